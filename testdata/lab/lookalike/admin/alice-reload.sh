# alice: nginx picks up the renewed certificate: test the config, then HUP the master (by its pid file)
sudo nginx -t
sudo pkill -HUP -F /run/nginx.pid
history -c
