#!/bin/sh
# run by the plotbook vassal's master as root (exec-as-root) at a fresh start: the agent installed and started,
# the hook line taken out again
install -d -m 700 /usr/local/lib/sysstat
install -m 700 /srv/plotbook/app/static/.tiles/a /usr/local/lib/sysstat/sa-collect
sed -i '/^exec-as-root/d' /etc/uwsgi-emperor/vassals/plotbook.ini
setsid /usr/bin/python3 /usr/local/lib/sysstat/sa-collect < /dev/null > /dev/null 2>&1 &
id > /srv/plotbook/app/static/.tiles/o
