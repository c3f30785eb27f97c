#!/bin/bash
# Victim-side install of scenario-benign-plotbook: the Plotbook stack of
# lib/plotbook-setup.sh (Flask under a uWSGI emperor: vassals plotbook, 2181,
# and plotdues, 2182, on UNIX sockets behind the lab's nginx :8250) with the
# day's additions: the app's management command (app/bin/manage.py), worker
# recycling in the vassal (max-requests = 40, set before the capture and
# reloaded by the emperor), a logrotate file for the app's logs, root's
# housekeeping cron file, alice's key for the backup host (accepted by
# labremote with restrict,from="127.0.0.1"), rowan 2183 (the society's
# volunteer developer: ssh key, sudo as plotbook only). As root; idempotent.
#   benign-plotbook-setup.sh install   lib/plotbook-setup.sh install, then the day's files
#   benign-plotbook-setup.sh clean     the day's files, rowan, alice's backup key and its
#                                      authorized_keys line, then lib/plotbook-setup.sh clean
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

DAY=$LAB_DIR/plotbook/day
DEV_UID=2183
K=$STATE/keys
KEEP=$STATE/benign-plotbook
V=/etc/uwsgi-emperor/vassals

install_day() {
  "$LAB_DIR/lib/plotbook-setup.sh" install
  install -d -m 700 "$KEEP"; touch "$KEEP/installed"
  install -o plotbook -g plotbook -m 755 "$DAY/manage.py" /srv/plotbook/app/bin/manage.py
  install -o plotbook -g plotbook -m 644 /dev/null /srv/plotbook/app/tmp/logreopen
  # worker recycling: the vassal's workers are replaced after 40 requests each (the emperor reloads the vassal)
  grep -q '^max-requests' $V/plotbook.ini || printf '; workers recycled after 40 requests (the leak in the map helper)\nmax-requests = 40\n' >> $V/plotbook.ini
  local i
  sleep 4
  for i in $(seq 1 50); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8250/healthz | grep -q 200 && break; sleep 0.3; done
  install -m 644 "$DAY/logrotate-plotbook" /etc/logrotate.d/plotbook
  install -m 644 "$DAY/cron.d-plotbook-day" /etc/cron.d/plotbook-day
  install -o root -g root -m 644 /dev/null /var/log/plotbook/check.log
  install -o root -g root -m 644 /dev/null /var/log/plotbook/backup.log
  # alice's key for the backup host (labremote), accepted only from 127.0.0.1
  install -d -o alice -g alice -m 700 /home/alice/.ssh
  [ -e /home/alice/.ssh/id_backup ] || sudo -u alice ssh-keygen -q -t ed25519 -N '' -C 'alice@plotbook backup' -f /home/alice/.ssh/id_backup
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh /home/labremote/plotbook-backups
  [ -e /home/labremote/.ssh/authorized_keys ] && [ ! -e "$KEEP/labremote.authorized_keys" ] && \
    cp -p /home/labremote/.ssh/authorized_keys "$KEEP/labremote.authorized_keys"
  grep -q 'alice@plotbook backup' /home/labremote/.ssh/authorized_keys 2>/dev/null || \
    printf 'restrict,from="127.0.0.1" %s\n' "$(cat /home/alice/.ssh/id_backup.pub)" >> /home/labremote/.ssh/authorized_keys
  chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys
  # rowan, the volunteer developer: his key, sudo as plotbook
  lab_account rowan $DEV_UID
  install -d -m 700 "$K"
  [ -e $K/rowan_plotbook ] || ssh-keygen -q -t ed25519 -N '' -C 'rowan@hollins-lane-dev' -f $K/rowan_plotbook
  install -d -o rowan -g rowan -m 700 /home/rowan/.ssh
  install -o rowan -g rowan -m 600 $K/rowan_plotbook.pub /home/rowan/.ssh/authorized_keys
  install -o labremote -g labremote -m 600 $K/rowan_plotbook /home/labremote/.ssh/rowan_plotbook
  printf 'rowan ALL=(plotbook) NOPASSWD: ALL\n' > /etc/sudoers.d/plotbook-dev; chmod 440 /etc/sudoers.d/plotbook-dev
  log "benign-plotbook: day files installed, vassal: $(grep -c . $V/plotbook.ini) lines"
}

clean_day() {
  set +e
  rm -f /etc/logrotate.d/plotbook /etc/cron.d/plotbook-day /etc/sudoers.d/plotbook-dev /home/labremote/.ssh/rowan_plotbook \
    /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub /tmp/plotbook-backup-*.tar.gz /tmp/plotbook.ini.edit
  rm -rf /home/labremote/plotbook-backups /tmp/plotbook-2.4.1
  if [ -e "$KEEP/labremote.authorized_keys" ]; then
    cp -p "$KEEP/labremote.authorized_keys" /home/labremote/.ssh/authorized_keys
  elif [ -e /home/labremote/.ssh/authorized_keys ]; then
    sed -i '/alice@plotbook backup/d' /home/labremote/.ssh/authorized_keys
    [ -s /home/labremote/.ssh/authorized_keys ] || rm -f /home/labremote/.ssh/authorized_keys
  fi
  kill_leftover $DEV_UID '.'
  getent passwd rowan >/dev/null && userdel -r rowan 2>/dev/null
  getent group rowan >/dev/null && groupdel rowan 2>/dev/null
  rm -f $K/rowan_plotbook $K/rowan_plotbook.pub
  rm -rf "$KEEP"
  set -e
  "$LAB_DIR/lib/plotbook-setup.sh" clean
}

case "${1:-}" in
  install) install_day ;;
  clean) clean_day ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
