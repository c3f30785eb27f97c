# alice's morning check of Printdesk (sent over ssh as one bash -c script)
uptime
sudo -n tail -n 5 /var/log/press/press.log
sudo -n -u pressbot crontab -l | grep -v '^#'
# the proof archive job, with the developers' library path (their SETENV rule)
sudo -n PERL5LIB=/srv/press/lib /usr/local/sbin/press-rotate-proofs --dry-run
sudo -n logrotate -d --state /var/lib/lab/press-logrotate.state /etc/logrotate.d/press 2>&1 | tail -n 4
sudo -n ss -ltnp 'sport = :3200'
sudo -n ls -la /var/archive/press /srv/press/proofs | tail -n 5
