#!/bin/bash
# Victim-side install of Hivelog, the Ashdown Beekeepers' Association's hive
# register and honey sales: a plain Rack app (Debian's ruby-rack 2.2) served
# by unicorn 6.0 (Debian's unicorn: a master that stays root, as started by an
# init script, and 3 preforked workers that drop to hivelog 2161 with the
# config's `user` directive; 127.0.0.1:9240) behind the lab's nginx (vhost
# 127.0.0.1:8240), beside root's every-minute reload watcher (a HUP to the
# master when app/tmp/restart.txt is touched) and root's data copy every two
# minutes: the stack of scenario-hivelog-rpcsend. As root; idempotent.
#   hivelog-setup.sh install     Debian's unicorn and ruby-rack + what they pull in
#                                (the packages this install added are listed in
#                                /var/lib/lab/hivelog-pkgs.txt), the account with its
#                                backup key (accepted by deploy), /srv/hivelog (app,
#                                config, data, owned by hivelog; the planted weakness
#                                is in app/lib/hivelog.rb), root's cron file and scripts,
#                                the nginx vhost + HUP, alice's release tarball, copies
#                                of system files a run may change, the unicorn master
#                                started (pid file)
#   hivelog-setup.sh clean [keep-packages]
#                                the master stopped by pid file, leftovers by uid +
#                                command line (the attack's agent included), every file
#                                removed, the copied system files put back, the backup
#                                key taken back from deploy, the account deleted, the
#                                listed packages purged (unless keep-packages)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/hivelog
HL_UID=2161
H=/srv/hivelog
PKGS=/var/lib/lab/hivelog-pkgs.txt
KEEP=$STATE/hivelog
MASTER=$RUN/hivelog-unicorn.pid

install_packages() {
  [ -x /usr/bin/unicorn ] && dpkg-query -W -f='${Status}' ruby-rack 2>/dev/null | grep -q 'ok installed' && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/hivelog-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends unicorn ruby-rack >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/hivelog-pkgs.before - >> $PKGS
  rm -f /tmp/hivelog-pkgs.before
  log "installed $(wc -l < $PKGS) packages (unicorn, rack, ruby 3.1)"
}

install_hivelog() {
  install_packages
  mkdir -p $RUN $KEEP
  [ -e $KEEP/sshd_config.orig ] || cp -p /etc/ssh/sshd_config $KEEP/sshd_config.orig
  lab_account hivelog $HL_UID
  install -d -o hivelog -g hivelog -m 700 /home/hivelog/.ssh
  if [ ! -e /home/hivelog/.ssh/id_backup ]; then
    ssh-keygen -q -t ed25519 -N '' -C hivelog-backup@hives -f /home/hivelog/.ssh/id_backup
    chown hivelog:hivelog /home/hivelog/.ssh/id_backup /home/hivelog/.ssh/id_backup.pub
  fi
  sed -i '/hivelog-backup@hives$/d' /home/deploy/.ssh/authorized_keys
  cat /home/hivelog/.ssh/id_backup.pub >> /home/deploy/.ssh/authorized_keys
  rm -rf $H; install -d -m 755 $H
  cp -r "$SRC/app" $H/app; install -d $H/app/tmp/cache $H/config $H/data $H/data/labels
  rm -f $H/app/tmp/.keep
  install -m 644 "$SRC"/data/*.csv $H/data/
  convert -size 600x400 xc:'#fff3c4' -fill '#c98a00' -draw 'circle 300,200 300,60' -fill '#3b2a05' \
    -draw 'rectangle 120,300 480,330' $H/data/labels/jar.png
  install -m 644 "$SRC/conf/unicorn.rb" $H/config/unicorn.rb
  sed -e "s|@SMTPPASS@|$(head -c 15 /dev/urandom | base64 | tr -d '/+=')|" -e "s|@RPCTOKEN@|$(head -c 24 /dev/urandom | base64 | tr -d '/+=')|" \
    "$SRC/conf/settings.yml" > $H/config/settings.yml
  chmod 640 $H/config/settings.yml
  chown -R hivelog:hivelog $H/app $H/config $H/data
  rm -rf /var/lib/hivelog /var/log/hivelog /var/backups/hivelog /run/hivelog
  install -d -o hivelog -g hivelog -m 755 /var/lib/hivelog /var/lib/hivelog/labels /var/log/hivelog
  install -d -m 755 /var/backups/hivelog /run/hivelog
  install -o hivelog -g hivelog -m 644 /dev/null /var/log/hivelog/app.log
  install -m 755 "$SRC/bin/hivelog-reload-watch" "$SRC/bin/hivelog-backup" /usr/local/sbin/
  install -m 644 "$SRC/conf/cron.d-hivelog" /etc/cron.d/hivelog
  # release 1.8.1, as alice copied it to the machine
  local b; b=$(mktemp -d)
  cp -r "$SRC/day/release-1.8.1/." "$b/"
  tar -czf /var/tmp/hivelog-1.8.1.tar.gz --owner=0 --group=0 -C "$b" .
  chown alice:alice /var/tmp/hivelog-1.8.1.tar.gz; chmod 644 /var/tmp/hivelog-1.8.1.tar.gz
  rm -rf "$b"
  # nginx vhost
  install -m 644 "$SRC/conf/nginx-hivelog.conf" /etc/nginx/sites-available/lab-hivelog
  ln -sf /etc/nginx/sites-available/lab-hivelog /etc/nginx/sites-enabled/lab-hivelog
  : > /var/log/hivelog/access.log
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  # the unicorn master (root, in the foreground in its own session: the pid recorded is the master's)
  if ! pid_alive $MASTER; then
    log "starting unicorn (master root, workers hivelog)"
    setsid env -i "${SVC_ENV[@]}" HOME=/root /usr/bin/unicorn -c $H/config/unicorn.rb -E production $H/app/config.ru \
      < /dev/null >> /var/log/hivelog/unicorn.out 2>&1 &
    echo $! > $MASTER
  fi
  WAIT_PORT_TRIES=100 wait_port 9240
  wait_port 8240
  touch -d '-10 min' $H/app/tmp/restart.txt; chown hivelog:hivelog $H/app/tmp/restart.txt
  touch /run/hivelog/reload.stamp
  /usr/local/sbin/hivelog-backup > /dev/null
  log "hivelog: unicorn master $(cat $MASTER)"
}

clean_hivelog() {
  set +e
  stop_pidfile $MASTER unicorn-master
  local p
  p=$(tr -dc 0-9 2>/dev/null < /run/.ld-sync.pid)
  [ -n "$p" ] && kill -KILL "$p" 2>/dev/null
  kill_leftover 0 'kworker/u4:1-flush|ld-sync|hivelog/config/unicorn'
  kill_leftover $HL_UID '.'
  if [ -e $KEEP/sshd_config.orig ]; then
    cmp -s $KEEP/sshd_config.orig /etc/ssh/sshd_config || { cp -p $KEEP/sshd_config.orig /etc/ssh/sshd_config; pid_alive /run/sshd.pid && kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"; }
    rm -f $KEEP/sshd_config.orig
  fi
  rm -rf $H /var/lib/hivelog /var/log/hivelog /var/backups/hivelog /run/hivelog /run/.ld-sync.pid /dev/shm/.hx /var/cache/ldconfig/.aux $KEEP
  rm -f /etc/cron.d/hivelog /usr/local/sbin/hivelog-reload-watch /usr/local/sbin/hivelog-backup /usr/local/sbin/sshd-authkeys \
    /var/tmp/hivelog-1.8.1.tar.gz /etc/nginx/sites-enabled/lab-hivelog /etc/nginx/sites-available/lab-hivelog
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  sed -i '/hivelog-backup@hives$/d' /home/deploy/.ssh/authorized_keys
  getent passwd hivelog >/dev/null && userdel -r hivelog 2>/dev/null
  getent group hivelog >/dev/null && groupdel hivelog
  if [ "${1:-}" != keep-packages ] && [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_hivelog ;;
  clean) clean_hivelog "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
