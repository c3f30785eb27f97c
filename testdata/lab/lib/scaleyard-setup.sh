#!/bin/bash
# Victim-side install of Scaleyard, the quarry's weighbridge ticket portal
# (Perl PSGI: plain Plack under Starman, master + 3 workers as yardman 2091
# on 127.0.0.1:5091, behind Apache 2.4 mod_proxy_http as yardfront 2092 on
# 127.0.0.1:8102): the stack of scenario-scaleyard-archive. As root, under
# the lab lock; idempotent.
#   scaleyard-setup.sh install   Debian's starman (+ what it pulls in; the
#                                packages this install added are listed in
#                                /var/lib/lab/scaleyard-pkgs.txt), the two
#                                accounts, /srv/scaleyard (app, data, archive,
#                                conf: archive.env owned by yardman, sourced
#                                by root's archive job: the planted
#                                misconfiguration), root's cron file, alice's
#                                key for deploy (her ssh multiplexing), the
#                                Apache front and Starman started (pid files)
#   scaleyard-setup.sh clean     both stopped by pid file, leftovers by uid +
#                                command line (the attack's bot, alice's ssh
#                                master), every file removed, Apache's config
#                                included, both accounts deleted, the
#                                packages install added purged
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/scaleyard
YARD_UID=2091 FRONT_UID=2092
S=/srv/scaleyard
K=/var/lib/lab/keys
PKGS=/var/lib/lab/scaleyard-pkgs.txt
STARF=$RUN/scaleyard-starman.pid
FRONTF=$RUN/yard-front.pid

install_packages() {
  [ -x /usr/bin/starman ] && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/scaleyard-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends starman >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/scaleyard-pkgs.before - > $PKGS
  rm -f /tmp/scaleyard-pkgs.before
  log "installed $(wc -l < $PKGS) packages (starman and its dependencies)"
}

install_scaleyard() {
  install_packages
  lab_account yardman $YARD_UID
  lab_account yardfront $FRONT_UID
  install -d -m 755 $S
  install -d -o yardman -g yardman -m 755 $S/app $S/app/reports $S/app/data $S/archive $S/conf /var/log/scaleyard \
    /var/spool/scaleyard /run/scaleyard
  install -o yardman -g yardman -m 644 "$SRC/app/app.psgi" $S/app/
  install -o yardman -g yardman -m 644 "$SRC/app/reports/daily.pl" $S/app/reports/
  install -o yardman -g yardman -m 644 "$SRC/app/data/tickets.csv" $S/app/data/
  install -o yardman -g yardman -m 640 "$SRC/conf/scaleyard.ini" $S/conf/
  install -o yardman -g yardman -m 644 "$SRC/conf/archive.env" $S/conf/
  local m
  for m in 2026-09 2026-10; do
    gzip -9c "$SRC/app/data/$m.csv" > $S/archive/$m.csv.gz
  done
  install -o yardman -g yardman -m 644 "$SRC/app/data/2026-11.csv" $S/archive/
  chown yardman:yardman $S/archive/*
  touch -d 2026-12-01T02:00:00Z $S/archive/* $S/conf/* $S/app/app.psgi $S/app/reports/daily.pl
  install -m 755 "$SRC/bin/scaleyard-archive" "$SRC/bin/scaleyard-front" /usr/local/sbin/
  install -m 755 "$SRC/bin/yardprint" /usr/local/bin/
  install -m 644 "$SRC/conf/cron.d-scaleyard" /etc/cron.d/scaleyard
  # alice's key for the deploy host (she multiplexes her ssh sessions to it);
  # reset_victim rewrites deploy's authorized_keys, so it is appended after
  [ -e $K/alice_deploy ] || ssh-keygen -q -t ed25519 -N '' -C 'alice@weighbridge-admin' -f $K/alice_deploy
  install -o alice -g alice -m 600 $K/alice_deploy /home/alice/.ssh/id_ed25519
  install -o alice -g alice -m 644 $K/alice_deploy.pub /home/alice/.ssh/id_ed25519.pub
  grep -q 'alice@weighbridge-admin$' /home/deploy/.ssh/authorized_keys || cat $K/alice_deploy.pub >> /home/deploy/.ssh/authorized_keys

  install -d -m 755 /var/log/apache2-yard $RUN/apache2-yard
  install -m 644 "$SRC/conf/apache-scaleyard.conf" /etc/apache2/scaleyard-lab.conf
  /usr/sbin/apache2 -t -f /etc/apache2/scaleyard-lab.conf 2>/dev/null || die "apache config"
  if ! pid_alive $STARF; then
    log "starting starman (Scaleyard as yardman, 127.0.0.1:5091)"
    ( cd $S/app && setsid env -i "${SVC_ENV[@]}" HOME=/home/yardman USER=yardman LOGNAME=yardman PLACK_ENV=deployment \
      setpriv --reuid=$YARD_UID --regid=$YARD_UID --init-groups \
      /usr/bin/starman --listen 127.0.0.1:5091 --workers 3 $S/app/app.psgi \
      < /dev/null >> /var/log/scaleyard/starman.log 2>&1 & echo $! > $STARF )
  fi
  WAIT_PORT_TRIES=150 wait_port 5091
  if ! pid_alive $FRONTF; then
    log "starting apache2 (Scaleyard front, 127.0.0.1:8102)"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f /etc/apache2/scaleyard-lab.conf -DFOREGROUND \
      < /dev/null >> /var/log/apache2-yard/apache2.out 2>&1 &
    echo $! > $FRONTF
  fi
  wait_port 8102
}

clean_scaleyard() {
  set +e
  stop_pidfile $FRONTF apache2-yard
  stop_pidfile $STARF starman-scaleyard
  kill_leftover $YARD_UID 'starman|perl|sh '
  kill_leftover $FRONT_UID 'apache2'
  kill_leftover 0 'yard-logstat'
  kill_leftover $ALICE_UID 'ssh .*cm-'
  rm -f /etc/cron.d/scaleyard /etc/apache2/scaleyard-lab.conf /usr/local/sbin/scaleyard-archive /usr/local/sbin/scaleyard-front \
    /usr/local/bin/yardprint /usr/local/sbin/yard-logstat
  rm -rf $S /var/log/scaleyard /var/spool/scaleyard /run/scaleyard /var/log/apache2-yard $RUN/apache2-yard /dev/shm/.yd
  rm -f /home/alice/.ssh/id_ed25519 /home/alice/.ssh/id_ed25519.pub /home/alice/.ssh/cm-* /home/alice/.ssh/known_hosts
  sed -i '/alice@weighbridge-admin$/d' /home/deploy/.ssh/authorized_keys
  rm -f $K/alice_deploy $K/alice_deploy.pub
  local u
  for u in yardman yardfront; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u 2>/dev/null
  done
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 || log "WARNING: apt-get purge of $PKGS failed"
    rm -f $PKGS
  fi
  set -e
}

case "${1:-}" in
  install) install_scaleyard ;;
  clean) clean_scaleyard ;;
  *) die "usage: $0 install|clean" ;;
esac
