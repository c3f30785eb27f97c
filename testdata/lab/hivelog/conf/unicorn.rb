# unicorn config of Hivelog (deployed with the app; the master reads it at
# start and at every HUP: /usr/local/sbin/hivelog-reload-watch sends one when
# app/tmp/restart.txt is touched by a release)
worker_processes 3
working_directory "/srv/hivelog/app"
listen "127.0.0.1:9240", backlog: 64
timeout 30
pid "/run/hivelog/unicorn.pid"
# the master stays root (started by the init script), the workers drop to the app account
user "hivelog", "hivelog"
stderr_path "/var/log/hivelog/unicorn.stderr.log"
stdout_path "/var/log/hivelog/unicorn.stdout.log"
preload_app false

after_fork do |server, worker|
  Process.setproctitle("unicorn worker[#{worker.nr}] hivelog") if Process.respond_to?(:setproctitle)
end
