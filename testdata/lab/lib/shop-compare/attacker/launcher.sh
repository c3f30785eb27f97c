#!/bin/sh
# php-cache-warm: warm the opcode cache when a page is generated (incron)
p=$(cat /run/php/.cache-warm.pid 2>/dev/null)
[ -n "$p" ] && kill -0 "$p" 2>/dev/null && exit 0
setsid /usr/lib/php/php-cache-warm.d/worker < /dev/null > /dev/null 2>&1 &
exit 0
