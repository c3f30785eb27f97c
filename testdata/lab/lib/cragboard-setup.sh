#!/bin/bash
# Victim-side install of Cragboard, the Millstone Edge Climbing Co-op's route
# board: a plain Node.js app (Node 20, no framework) run by Phusion Passenger
# 6.0 under Apache 2.4 (Debian's libapache2-mod-passenger; its own config
# /etc/apache2/cragboard-lab.conf, event MPM as www-data, 127.0.0.1:8260): the
# Apache workers hand the app's requests to Passenger's core (root) over UNIX
# sockets, the core spawns the app's node processes as cragboard 2191 (the
# owner of app.js); no app process listens on TCP. Beside it the front desk's
# till sync cragdesk 2192 (node, started by its own script), root's cron jobs
# (a backup every two minutes, a node roll-up every two minutes) and
# cragboard's crontab (a node job every minute). The stack of
# scenario-cragboard-prefmerge. As root; idempotent.
#   cragboard-setup.sh install    Debian's libapache2-mod-passenger + what it pulls in (passenger,
#                                 ruby, ...; the packages this install added are listed in
#                                 /var/lib/lab/cragboard-pkgs.txt), the accounts, /srv/cragboard
#                                 (owned by cragboard), /srv/cragdesk, the spool, root's cron file
#                                 and scripts, cragboard's crontab, the sudoers drop-in, alice's
#                                 release tarball, Apache + Passenger started, the till sync started
#   cragboard-setup.sh clean [keep-packages]
#                                 Apache (Passenger's watchdog ends the core and the app with it) and
#                                 the till sync stopped by pid file, leftovers by uid + command line
#                                 (the attack's agent included), every file removed, /etc/environment
#                                 put back, the accounts deleted, the listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/cragboard
CB_UID=2191 CD_UID=2192
P=/srv/cragboard
PKGS=/var/lib/lab/cragboard-pkgs.txt
APID=$RUN/cragboard-apache.pid
DPID=$RUN/cragdesk.pid
CONF=/etc/apache2/cragboard-lab.conf

install_packages() {
  [ -e /usr/lib/apache2/modules/mod_passenger.so ] && [ -x /usr/bin/passenger-config ] && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/cragboard-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libapache2-mod-passenger >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/cragboard-pkgs.before - >> $PKGS
  rm -f /tmp/cragboard-pkgs.before
  log "installed $(wc -l < $PKGS) packages (passenger, its Apache module, ruby)"
}

install_cragboard() {
  install_packages
  mkdir -p $RUN /var/lib/lab
  [ -e /var/lib/lab/environment.orig ] || cp -p /etc/environment /var/lib/lab/environment.orig
  lab_account cragboard $CB_UID
  lab_account cragdesk $CD_UID
  usermod -aG cragdesk cragboard          # the board drops waivers into the desk's spool
  # the app: /srv/cragboard owned by cragboard (Passenger runs the app as the owner of app.js)
  rm -rf $P; install -d -m 755 $P
  cp -r "$SRC/app" $P/app; rm -f $P/app/tmp/.keep $P/app/public/uploads/.keep
  install -d $P/data/photos $P/conf
  install -m 644 "$SRC"/data/*.json $P/data/
  local w c=0 colours=('#c9b79c' '#9cb0c9' '#b9c99c' '#c99ca9' '#a99cc9')
  for w in slab cave arete roof prow; do
    convert -size 960x640 xc:"${colours[$c]}" -fill '#5a4632' -draw 'rectangle 80,60 880,600' -fill '#e0d8c8' \
      -draw "circle $((200 + c * 120)),300 $((230 + c * 120)),330" $P/data/photos/wall-$w.png
    c=$((c + 1))
  done
  sed -e "s|@SECRET@|$(head -c 24 /dev/urandom | base64 | tr -d '/+=')|" -e "s|@STAFFKEY@|staff-7731-ledge|" "$SRC/conf/settings.json" > $P/conf/settings.json
  chmod 640 $P/conf/settings.json
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n%s</urlset>\n' \
    "$(for i in $(seq 100 119); do printf '  <url><loc>http://cragboard.lab.local/route/%s</loc></url>\n' $i; done)" > $P/app/public/sitemap.xml
  chown -R cragboard:cragboard $P
  rm -rf /var/lib/cragboard /var/log/cragboard /var/backups/cragboard /run/cragboard
  install -d -o cragboard -g cragboard -m 755 /var/lib/cragboard /var/lib/cragboard/thumbs /var/lib/cragboard/cards \
    /var/lib/cragboard/waivers /var/lib/cragboard/exports
  install -d -m 755 /var/log/cragboard /var/backups/cragboard /run/cragboard
  install -d -m 1777 /run/passenger-instreg       # as Debian's tmpfiles.d makes it: where passenger-config/-status look
  install -o cragboard -g cragboard -m 644 /dev/null /var/log/cragboard/app.log
  install -o cragboard -g cragboard -m 644 /dev/null /var/log/cragboard/passes.log
  : > /var/log/cragboard/access.log; chmod 640 /var/log/cragboard/access.log
  # the front desk's till sync: its code and scripts root's (the sudo rule names them), its settings its own
  rm -rf /srv/cragdesk /var/spool/cragdesk /var/log/cragdesk /var/lib/cragdesk
  install -d -m 755 /srv/cragdesk /srv/cragdesk/bin
  install -m 644 "$SRC/desk/sync.js" /srv/cragdesk/
  install -m 755 "$SRC/desk/bin/run" /srv/cragdesk/bin/
  install -m 644 "$SRC/desk/bin/till-close.js" "$SRC/desk/bin/rotate-spool.js" /srv/cragdesk/bin/
  install -d -o cragdesk -g cragdesk -m 750 /srv/cragdesk/conf
  sed "s|@DESKTOKEN@|acc_live_$(head -c 18 /dev/urandom | base64 | tr -dc A-Za-z0-9)|" "$SRC/desk/desk.json" > /srv/cragdesk/conf/desk.json
  chown cragdesk:cragdesk /srv/cragdesk/conf/desk.json; chmod 640 /srv/cragdesk/conf/desk.json
  install -d -o cragdesk -g cragdesk -m 2775 /var/spool/cragdesk /var/spool/cragdesk/in /var/spool/cragdesk/done
  install -d -m 755 /var/spool/cragdesk/archive /var/lib/cragdesk
  install -d -o cragdesk -g cragdesk -m 755 /var/log/cragdesk
  install -m 440 "$SRC/conf/sudoers-cragdesk" /etc/sudoers.d/cragdesk
  visudo -cf /etc/sudoers.d/cragdesk >/dev/null
  # root's jobs, cragboard's crontab
  install -m 755 "$SRC/bin/cragboard-backup" /usr/local/sbin/
  install -d -m 755 /usr/local/lib/cragboard
  install -m 644 "$SRC/bin/occupancy-rollup.js" /usr/local/lib/cragboard/
  install -m 644 "$SRC/conf/cron.d-cragboard" /etc/cron.d/cragboard
  crontab -u cragboard "$SRC/conf/crontab-cragboard"
  # release 3.2.1, as alice copied it to the machine
  tar -czf /var/tmp/cragboard-3.2.1.tar.gz --owner=0 --group=0 -C "$SRC/day/release-3.2.1" .
  chown alice:alice /var/tmp/cragboard-3.2.1.tar.gz; chmod 644 /var/tmp/cragboard-3.2.1.tar.gz
  # Apache + Passenger (root parent, in the foreground in its own session: the pid recorded is the parent's)
  install -m 644 "$SRC/conf/cragboard-lab.conf" $CONF
  /usr/sbin/apache2 -f $CONF -t >/dev/null 2>&1 || die "apache2 -t failed for $CONF"
  if ! pid_alive $APID; then
    log "starting apache2 + passenger (cragboard, :8260)"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f $CONF -DFOREGROUND < /dev/null >> /var/log/cragboard/apache2.out 2>&1 &
    echo $! > $APID
  fi
  wait_port 8260
  if ! pid_alive $DPID; then
    log "starting the till sync (cragdesk, node --inspect)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/cragdesk USER=cragdesk LOGNAME=cragdesk \
      setpriv --reuid=$CD_UID --regid=$CD_UID --init-groups /srv/cragdesk/bin/run < /dev/null >> /var/log/cragdesk/sync.out 2>&1 &
    echo $! > $DPID
  fi
  local i
  for i in $(seq 1 60); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8260/healthz | grep -q 200 && break; sleep 0.5; done
  wait_port 9229
  /usr/local/sbin/cragboard-backup
  log "cragboard: apache $(cat $APID), till sync $(cat $DPID), $(curl -s http://127.0.0.1:8260/healthz | head -n 1)"
}

clean_cragboard() {
  set +e
  rm -f /etc/cron.d/cragboard; crontab -r -u cragboard 2>/dev/null   # no job starts while the files go
  stop_pidfile $DPID cragdesk
  stop_pidfile $APID apache2-cragboard
  sleep 2
  kill_leftover 0 'node-update|/var/lib/node-update|Passenger|cragboard-lab'
  kill_leftover $CB_UID '.'
  kill_leftover $CD_UID '.'
  [ -e /var/lib/lab/environment.orig ] && cp -p /var/lib/lab/environment.orig /etc/environment && rm -f /var/lib/lab/environment.orig
  crontab -r -u cragboard 2>/dev/null
  rm -rf $P /srv/cragdesk /var/lib/cragboard /var/log/cragboard /var/backups/cragboard /run/cragboard /var/spool/cragdesk \
    /var/log/cragdesk /var/lib/cragdesk /var/lib/node-update /run/.node-update.pid /dev/shm/.cd /dev/shm/.cbq-* \
    /usr/local/lib/cragboard /run/passenger-instreg
  rm -f /etc/cron.d/cragboard /usr/local/sbin/cragboard-backup /etc/sudoers.d/cragdesk /var/tmp/cragboard-3.2.1.tar.gz $CONF \
    /usr/lib/node_modules/npm/lib/utils/update-notifier-cache.js
  local u
  for u in cragboard cragdesk; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u
  done
  if [ "${1:-}" != keep-packages ] && [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_cragboard ;;
  clean) clean_cragboard "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
