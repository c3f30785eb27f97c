# alice: rotate the web logs now, before the maintenance (the postrotate reopens nginx's logs: kill -USR1)
sudo logrotate -f --state /var/lib/lab/logrotate.state /etc/logrotate.d/lab-web
ls -la /var/log/nginx | head -n 8
