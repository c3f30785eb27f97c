# alice: the shop's own logs fill the disk; old rotations go (logrotate does not cover /var/log/shop)
sudo du -sh /var/log/shop
sudo find /var/log/shop -name '*.log.*' -mtime +14 -print -delete
sudo du -sh /var/log/shop
history -c
