#!/bin/sh
D=/var/lib/shop-assets/.cache
[ -s $D/.pid ] && kill -0 "$(cat $D/.pid)" 2>/dev/null && exit 0
setsid -f /bin/sh $D/fc-sync < /dev/null > /dev/null 2>&1
exit 0
