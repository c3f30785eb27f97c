# alice: the backup run once by hand, then copied to the backup host
sudo /usr/local/sbin/shop-backup
sudo chown alice: /var/backups/shop-$(date -u +%F).tgz
scp -q -o StrictHostKeyChecking=accept-new -i ~/.ssh/id_backup /var/backups/shop-$(date -u +%F).tgz labremote@127.0.0.1:backups/
