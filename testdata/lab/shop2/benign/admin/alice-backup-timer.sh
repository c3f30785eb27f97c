# alice (admin, ssh + sudo): a nightly backup of the shop as a systemd timer
uptime
sudo tee /usr/local/sbin/shop-backup > /dev/null <<'SCRIPT'
#!/bin/sh
# nightly backup of the shop: a DB dump, then /etc and the web root
d=$(date -u +%F)
pass=$(sed -n "s/^define('DB_PASS', '\(.*\)');.*/\1/p" /var/www/html/config.php)
mysqldump -u shop -p"$pass" --single-transaction shop > /var/backups/shop-db-$d.sql
tar czf /var/backups/shop-$d.tgz /etc /var/www/html /var/backups/shop-db-$d.sql 2> /dev/null
ls -la /var/backups/
SCRIPT
sudo chmod 755 /usr/local/sbin/shop-backup
sudo tee /etc/systemd/system/shop-backup.service > /dev/null <<'UNIT'
[Unit]
Description=Nightly backup of the shop (DB dump, /etc, web root)

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/shop-backup
UNIT
sudo tee /etc/systemd/system/shop-backup.timer > /dev/null <<'UNIT'
[Unit]
Description=Run shop-backup every night

[Timer]
OnCalendar=*-*-* 02:30:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
sudo systemctl enable shop-backup.timer || true
ls -la /etc/systemd/system/timers.target.wants/ 2> /dev/null
