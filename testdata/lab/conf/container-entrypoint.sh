#!/bin/sh
# Container init of the lab shop: php-fpm and cron as daemons, nginx in the
# foreground with its access log on stdout (-> docker's json-file log).
set -e
mkdir -p /run/php
php-fpm8.2 --daemonize
cron
exec nginx -g 'daemon off;'
