#!/bin/bash
# Victim-side install of netdiag 2.3 on the lab's gunicorn WSGI stack
# (/srv/webapp, account webapp 2004, 127.0.0.1:8080): the stack of
# scenario-netdiag-profile. As root, under the lab lock; idempotent.
#   netdiag-setup.sh install   testdata/lab/netdiag/app.py over
#                              /srv/webapp/app.py (gunicorn restarted by pid
#                              file), the profiles and plugins folders (owned
#                              by webapp: the planted misconfiguration), the
#                              settings netdiag.ini, the relay key (accepted
#                              by deploy), the backup sudo rule with its
#                              wildcard, /var/backups/netdiag, the timer
#                              netdiag-prune in /etc/systemd/system and the
#                              lab's cron-run stand-in for systemd's timer
#                              manager (/usr/local/sbin/lab-timers)
#   netdiag-setup.sh clean     the attacker's leftovers stopped by pid (its
#                              beacon's pid file, uid + command line), every
#                              file install (or a run) made removed, the
#                              original app.py back, gunicorn restarted
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/netdiag
APP=/srv/webapp
K=/var/lib/lab/keys
SD=/etc/systemd/system

restart_gunicorn() {
  stop_pidfile "$RUN/gunicorn.pid" gunicorn
  if [ "${1:-}" = start ]; then start_services; fi
}

install_netdiag() {
  install -d -m 700 $K
  [ -e $K/netdiag_relay ] || ssh-keygen -q -t ed25519 -N '' -C 'netdiag relay' -f $K/netdiag_relay
  install -m 644 "$SRC/app.py" $APP/app.py
  install -d -o webapp -g webapp -m 755 $APP/profiles $APP/plugins
  install -d -o webapp -g webapp -m 700 $APP/.keys
  install -o webapp -g webapp -m 644 "$SRC/plugins/latency.py" $APP/plugins/latency.py
  install -o webapp -g webapp -m 640 "$SRC/conf/netdiag.ini" $APP/netdiag.ini
  install -o webapp -g webapp -m 600 $K/netdiag_relay $APP/.keys/relay_ed25519
  local p
  for p in default core-switches dmz-edge; do
    $PY -c 'import json,sys
n=sys.argv[1]
print(json.dumps({"name": n, "hosts": ["127.0.0.1", "localhost"], "interval": 30 if n=="default" else 60, "count": 3, "owner": "netops"}))' "$p" > $APP/profiles/$p.json
  done
  chown webapp:webapp $APP/profiles/*.json
  touch -d 2026-11-18T10:00:00Z $APP/app.py $APP/netdiag.ini $APP/plugins/latency.py $APP/plugins $APP/profiles/*.json
  # the relay key, accepted by deploy (reset_victim rewrites the file)
  cat $K/netdiag_relay.pub >> /home/deploy/.ssh/authorized_keys
  # the backup button's sudo rule, its folder
  install -m 440 "$SRC/conf/sudoers-netdiag" /etc/sudoers.d/netdiag
  visudo -cq
  install -d -m 750 /var/backups/netdiag
  # the prune timer and the stand-in for systemd's timer manager
  install -m 755 "$SRC/bin/netdiag-prune" "$SRC/bin/lab-timers" /usr/local/sbin/
  install -m 644 "$SRC/conf/netdiag-prune.service" "$SRC/conf/netdiag-prune.timer" $SD/
  ln -sf $SD/netdiag-prune.timer $SD/timers.target.wants/netdiag-prune.timer
  install -m 644 "$SRC/conf/cron.d-lab-timers" /etc/cron.d/lab-timers
  restart_gunicorn start
}

clean_netdiag() {
  set +e
  local f p
  # the attacker's beacon (root) and any unit the stand-in started
  for f in /dev/shm/.ndcache.pid /run/lab/timers/*.pid; do
    [ -e "$f" ] || continue
    p=$(tr -dc 0-9 < "$f")
    if [ -n "$p" ] && grep -qaE 'ndcache|netdiag' "/proc/$p/cmdline" 2>/dev/null; then kill "$p" 2>/dev/null; fi
  done
  kill_leftover 0 'ndcache'
  kill_leftover $WEBAPP_UID 'ssh .*relay_ed25519'
  rm -f /etc/cron.d/lab-timers /usr/local/sbin/lab-timers /usr/local/sbin/netdiag-prune /etc/sudoers.d/netdiag
  rm -f $SD/netdiag-prune.service $SD/netdiag-prune.timer $SD/timers.target.wants/netdiag-prune.timer
  rm -f $SD/netdiag-cache.service $SD/netdiag-cache.timer $SD/timers.target.wants/netdiag-cache.timer /usr/local/lib/netdiag/ndcache
  rmdir /usr/local/lib/netdiag 2>/dev/null
  rm -rf /run/lab/timers /var/backups/netdiag /dev/shm/.nd /dev/shm/.ndcache.pid
  rm -rf $APP/profiles $APP/plugins $APP/.keys $APP/netdiag.ini $APP/__pycache__
  install -m 644 "$LAB_DIR/webapp/app.py" $APP/app.py
  rm -f $K/netdiag_relay $K/netdiag_relay.pub
  sed -i '/netdiag relay$/d' /home/deploy/.ssh/authorized_keys
  restart_gunicorn
  set -e
}

case "${1:-}" in
  install) install_netdiag ;;
  clean) clean_netdiag ;;
  *) die "usage: $0 install|clean" ;;
esac
