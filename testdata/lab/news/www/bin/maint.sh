#!/bin/sh
# Newsroom maintenance, run by root's cron every minute (/etc/cron.d/newsroom):
# expire the page cache, rebuild the sitemap as the site user, fix ownership
# of what editors upload. (Lives in the app tree, owned by the site user.)
find /var/www/news/cache -type f -name '*.html' -mmin +2 -delete
runuser -u www-data -- php /var/www/news/bin/sitemap.php
chown -R www-data:www-data /var/www/news/media /var/www/news/cache
