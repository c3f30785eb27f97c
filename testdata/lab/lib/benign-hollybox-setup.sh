#!/bin/bash
# Victim-side install of Hollybox for its innocent busy day
# (scenario-benign-hollybox): the stack of scenario-hollybox-sync
# (lib/hollybox-setup.sh install: nginx + fcgiwrap CGIs as hollybox 2101,
# scanbox 2102 on Redis, root's snapshot cron), then the day's own settings
# (hollybox/day/): the scan page with the copier's scan profiles
# (hollybox.ini [scan.profiles]: gzip, a preview by convert, sha256sum, a
# register line, a mail; the worker runs each with sh -c) and the CI's
# deploy key in hollybox's authorized_keys (the CI ships new CGI scripts as
# the appliance's own account). As root, under the lab lock; idempotent.
#   benign-hollybox-setup.sh install CI_PUBKEY_FILE
#   benign-hollybox-setup.sh clean   what the day's admin added (sudoers
#                                    drop-in, cron.d job, profile.d snippet,
#                                    backups, temp files), then
#                                    lib/hollybox-setup.sh clean
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root
S=/srv/hollybox
DAY=$LAB_DIR/hollybox/day

install_day() {
  "$LAB_DIR/lib/hollybox-setup.sh" install
  local pw
  pw=$(sed -n 's/^password = //p' $S/conf/hollybox.ini)
  [ -n "$pw" ] || die "no Redis password in hollybox.ini"
  sed "s|@REDIS_PASSWORD@|$pw|" "$DAY/hollybox.ini" > $S/conf/hollybox.ini
  chown hollybox:hollybox $S/conf/hollybox.ini; chmod 640 $S/conf/hollybox.ini
  install -o hollybox -g hollybox -m 755 "$DAY/scan.cgi" $S/cgi-bin/scan.cgi
  touch -d 2026-11-20T09:00:00Z $S/cgi-bin/scan.cgi $S/conf/hollybox.ini
  # the CI's key (its runner = labremote): only from 127.0.0.1, no forwarding
  install -d -o hollybox -g hollybox -m 700 /home/hollybox/.ssh
  printf 'from="127.0.0.1",no-port-forwarding,no-agent-forwarding,no-X11-forwarding %s\n' "$(cat "$1")" \
    > /home/hollybox/.ssh/authorized_keys
  chown hollybox:hollybox /home/hollybox/.ssh/authorized_keys; chmod 600 /home/hollybox/.ssh/authorized_keys
}

clean_day() {
  set +e
  rm -f /etc/sudoers.d/60-nora /etc/cron.d/hollybox-scan-purge /etc/profile.d/office-proxy.sh \
    /tmp/60-nora /tmp/hollybox-settings-*.tar.gz /var/backups/hollybox-common.sh.*
  set -e
  "$LAB_DIR/lib/hollybox-setup.sh" clean
}

case "${1:-}" in
  install) install_day "${2:?CI public key file}" ;;
  clean) clean_day ;;
  *) die "usage: $0 install CI_PUBKEY_FILE|clean" ;;
esac
