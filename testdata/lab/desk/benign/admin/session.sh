# alice, the admin, over ssh: a look at the helpdesk after the support team
# reported slow attachment previews (sudo for the root-owned logs and backups)
cd /tmp
id; uname -a
sudo -n tail -n 20 /var/log/nginx/desk-error.log
sudo -n tail -n 30 /var/log/deskline/app.log
sudo -n grep -c 'attachment stored' /var/log/deskline/app.log
sudo -n ls -la /var/backups/deskline/data | head -n 12
sudo -n rsync -a --dry-run --itemize-changes /srv/deskline/data/ /var/backups/deskline/data/ | head -n 20
sudo -n -u deskline php /srv/deskline/bin/reindex.php
sudo -n php-fpm8.2 -t --fpm-config /etc/php/8.2/fpm/deskline-fpm.conf
ss -tln
df -h /srv
