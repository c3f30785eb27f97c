# alice: an off-site copy of the web root before the plugin updates, streamed to the backup account
sudo tar czf - -C /var/www html | ssh -i ~/.ssh/id_backup shopbackup@127.0.0.1 "cat > /srv/backup/shop-www-$(date +%F).tgz"
ssh -i ~/.ssh/id_backup shopbackup@127.0.0.1 ls -l /srv/backup
history -c
