#!/bin/sh
# Hollybox: "Test connection" of the off-site sync (admin)
. /srv/hollybox/cgi-bin/lib/common.sh
hb_require_admin
. "$HB_CONF/sync.conf"
hb_header text/plain
printf 'testing %s@%s:%s\n' "$SYNC_USER" "$SYNC_HOST" "$SYNC_PATH"
if nc -z -w 2 "$SYNC_HOST" 22 2>&1; then echo reachable; else echo unreachable; fi
