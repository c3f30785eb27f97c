# alice: root's crontab gets a weekly prune of old backups
sudo crontab -l > /tmp/root.cron 2> /dev/null || true
echo '15 4 * * 0 /usr/bin/find /var/backups -name "shop-*" -mtime +14 -delete' >> /tmp/root.cron
sudo crontab /tmp/root.cron
sudo crontab -l
rm -f /tmp/root.cron
