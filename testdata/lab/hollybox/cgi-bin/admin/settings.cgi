#!/bin/sh
# Hollybox: off-site sync settings (admin)
. /srv/hollybox/cgi-bin/lib/common.sh
hb_require_admin
if [ "${REQUEST_METHOD:-GET}" = POST ]; then
  IFS= read -r HB_BODY || true
  host=$(hb_form sync_host)
  path=$(hb_form sync_path)
  printf "# written by the settings page\nSYNC_HOST='%s'\nSYNC_PATH='%s'\nSYNC_USER='hbsync'\n" "$host" "$path" > "$HB_CONF/sync.conf"
  hb_header
  printf '<p>Saved. <a href="/cgi-bin/admin/settings.cgi">back</a></p>\n'
  exit 0
fi
. "$HB_CONF/sync.conf"
hb_header
printf '<h1>Off-site sync</h1><form method="post">Host <input name="sync_host" value="%s"> Path <input name="sync_path" value="%s"> <button>Save</button></form>\n' "$SYNC_HOST" "$SYNC_PATH"
printf '<form method="post" action="/cgi-bin/admin/sync.cgi"><button>Test connection</button></form>\n'
