#!/bin/bash
# Victim-side install of Cuspid, Harrow Dental Laboratory's case tracker: a
# Python Tornado 6.2 app (Debian's python3-tornado) run as pumice 2201 by a
# small root supervisor (/usr/local/sbin/cuspidctl, pid file, no systemd):
# one parent binds the UNIX socket /run/cuspid/app.sock and forks 3 worker
# processes (tornado.process.fork_processes), which nginx (the lab's own,
# vhost 127.0.0.1:8270) reaches with proxy_pass http://unix:...; no app
# process listens on TCP. Beside it the lab's milling queue worker millrun
# (python3 -m millrun.worker as gypsum 2202, a multiprocessing Listener on
# 127.0.0.1:6010 with an authkey the app shares), root's cron jobs (a backup
# sent off-site with ssh every two minutes, the mill report by python3 -m
# millrun.report every minute) and pumice's crontab. The stack of
# scenario-cuspid-labelfmt. As root; idempotent.
#   cuspid-setup.sh install    Debian's python3-tornado (the packages this install added are listed in
#                              /var/lib/lab/cuspid-pkgs.txt), the accounts, /srv/cuspid (owned by pumice),
#                              millrun (package, settings, spool), root's cron file and scripts, pumice's
#                              crontab, root's ssh client setting + key for the off-site copy (labremote's
#                              authorized_keys), alice's release tarball, the nginx vhost, the worker and
#                              the app started
#   cuspid-setup.sh clean [keep-packages]
#                              the app (supervisor, by pid file) and the worker stopped by pid file,
#                              leftovers by uid + command line (the attack's agent included), every file
#                              removed, root's ssh folder put back, the accounts deleted, the listed
#                              packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/cuspid
CU_UID=2201 GY_UID=2202
P=/srv/cuspid
PKGS=/var/lib/lab/cuspid-pkgs.txt
WPID=$RUN/millrun.pid
MR=/usr/local/lib/python3.11/dist-packages/millrun
KEEP=/var/lib/lab/cuspid-keep

install_packages() {
  /usr/bin/python3 -c 'import tornado' 2>/dev/null && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/cuspid-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-tornado >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/cuspid-pkgs.before - >> $PKGS
  rm -f /tmp/cuspid-pkgs.before
  log "installed $(wc -l < $PKGS) packages (python3-tornado)"
}

install_cuspid() {
  install_packages
  mkdir -p $RUN /var/lib/lab $KEEP
  [ -x /usr/local/sbin/cuspidctl ] && env -i "${SVC_ENV[@]}" /usr/local/sbin/cuspidctl stop >&2
  stop_pidfile $WPID millrun
  lab_account pumice $CU_UID
  lab_account gypsum $GY_UID
  local secret authkey
  secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')
  authkey=mr-$(head -c 18 /dev/urandom | base64 | tr -dc A-Za-z0-9)
  # the app, owned by pumice
  rm -rf $P; install -d -m 755 $P $P/conf $P/data $P/data/photos
  cp -r "$SRC/app" $P/app
  install -d -m 755 $P/app/static/uploads
  install -m 644 "$SRC/data/cases.json" $P/data/
  local i colours=('#e8dccb' '#dccfc0' '#efe6d6' '#d9cdb8' '#e3d5c2')
  for i in 0 1 2 3 4; do
    convert -size 1200x800 xc:"${colours[$i]}" -fill '#b85c5c' -draw 'rectangle 0,520 1200,800' -fill '#f4efe6' \
      -draw "roundrectangle $((360 + i * 30)),220 $((760 + i * 30)),560 60,60" $P/data/photos/prep-$i.png
  done
  sed -e "s|@SECRET@|$secret|" -e "s|@AUTHKEY@|$authkey|" -e "s|@ADMINPIN@|$(head -c 6 /dev/urandom | od -An -tu4 | tr -dc 0-9 | cut -c1-6)|" \
    "$SRC/conf/cuspid.json" > $P/conf/cuspid.json
  chmod 640 $P/conf/cuspid.json
  chown -R pumice:pumice $P
  rm -rf /var/lib/cuspid /var/log/cuspid /var/backups/cuspid /run/cuspid
  install -d -o pumice -g pumice -m 755 /var/lib/cuspid /var/lib/cuspid/thumbs /var/lib/cuspid/notes /var/lib/cuspid/exports
  install -d -m 755 /var/log/cuspid /var/backups/cuspid
  install -o pumice -g pumice -m 644 /dev/null /var/log/cuspid/app.log
  install -o pumice -g pumice -m 644 /dev/null /var/log/cuspid/expire.log
  install -o pumice -g pumice -m 644 /dev/null /var/log/cuspid/server.out
  : > /var/log/cuspid/access.log; chmod 640 /var/log/cuspid/access.log
  # millrun: the package root's, its settings readable by gypsum, the spool gypsum's
  rm -rf $MR /etc/millrun /var/spool/millrun /var/lib/millrun /var/log/millrun
  install -d -m 755 $MR
  install -m 644 "$SRC"/millrun/millrun/*.py $MR/
  install -d -m 750 -g gypsum /etc/millrun
  sed "s|@AUTHKEY@|$authkey|" "$SRC/conf/millrun.json" > /etc/millrun/millrun.json
  chgrp gypsum /etc/millrun/millrun.json; chmod 640 /etc/millrun/millrun.json
  install -d -o gypsum -g gypsum -m 755 /var/spool/millrun /var/spool/millrun/queue /var/spool/millrun/done /var/spool/millrun/out
  install -d -m 755 /var/lib/millrun /var/log/millrun
  install -m 644 "$SRC/conf/tooltable.json" /var/lib/millrun/tooltable.json
  install -o gypsum -g gypsum -m 644 /dev/null /var/log/millrun/worker.log
  install -m 755 "$SRC/bin/mill-nest" /usr/local/bin/mill-nest
  install -m 755 "$SRC/bin/cuspidctl" "$SRC/bin/cuspid-backup" /usr/local/sbin/
  # root's ssh client for the off-site copy (root has no ~/.ssh on the lab host: made here, removed by clean)
  if [ ! -e /root/.ssh ]; then install -d -m 700 /root/.ssh; touch $KEEP/root-ssh-created; fi
  [ -e /root/.ssh/config ] && [ ! -e $KEEP/root-ssh-config ] && cp -p /root/.ssh/config $KEEP/root-ssh-config
  rm -f /root/.ssh/cuspid_offsite /root/.ssh/cuspid_offsite.pub
  ssh-keygen -q -t ed25519 -N '' -C 'root@harrowdental cuspid-offsite' -f /root/.ssh/cuspid_offsite
  install -m 600 "$SRC/conf/ssh_config-root" /root/.ssh/config
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh
  [ -e /home/labremote/.ssh/authorized_keys ] && sed -i '/cuspid-offsite/d' /home/labremote/.ssh/authorized_keys
  printf 'restrict,from="127.0.0.1",command="cat > /home/labremote/offsite-cuspid.tgz" %s\n' "$(cat /root/.ssh/cuspid_offsite.pub)" \
    >> /home/labremote/.ssh/authorized_keys
  chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys
  # cron: root's jobs, pumice's crontab
  install -m 644 "$SRC/conf/cron.d-cuspid" /etc/cron.d/cuspid
  crontab -u pumice "$SRC/conf/crontab-pumice"
  # release 4.1.2, as alice copied it to the machine
  tar -czf /var/tmp/cuspid-4.1.2.tar.gz --owner=0 --group=0 -C "$SRC/day/release-4.1.2" .
  chown alice:alice /var/tmp/cuspid-4.1.2.tar.gz; chmod 644 /var/tmp/cuspid-4.1.2.tar.gz
  # the mill worker as gypsum (setsid + setpriv exec into python3: the pid recorded is the worker's own)
  if ! pid_alive $WPID; then
    log "starting the mill worker (gypsum, 127.0.0.1:6010)"
    (cd /var/lib/millrun && exec setsid env -i "${SVC_ENV[@]}" HOME=/home/gypsum USER=gypsum LOGNAME=gypsum \
      setpriv --reuid=$GY_UID --regid=$GY_UID --init-groups /usr/bin/python3 -m millrun.worker \
      < /dev/null >> /var/log/millrun/worker.out 2>&1) &
    echo $! > $WPID
  fi
  wait_port 6010
  # the app by its supervisor
  env -i "${SVC_ENV[@]}" /usr/local/sbin/cuspidctl start >&2
  # nginx: the vhost
  install -m 644 "$SRC/conf/nginx-cuspid.conf" /etc/nginx/sites-available/lab-cuspid
  ln -sf /etc/nginx/sites-available/lab-cuspid /etc/nginx/sites-enabled/lab-cuspid
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  wait_port 8270
  for i in $(seq 1 60); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8270/healthz | grep -q 200 && break; sleep 0.5; done
  /usr/local/sbin/cuspid-backup
  log "cuspid: $(/usr/local/sbin/cuspidctl status), worker $(cat $WPID), $(curl -s http://127.0.0.1:8270/healthz | head -n 1)"
}

clean_cuspid() {
  set +e
  rm -f /etc/cron.d/cuspid; crontab -r -u pumice 2>/dev/null   # no job starts while the files go
  [ -x /usr/local/sbin/cuspidctl ] && env -i "${SVC_ENV[@]}" /usr/local/sbin/cuspidctl stop >&2
  stop_pidfile $WPID millrun
  sleep 1
  kill_leftover 0 '/var/lib/\.ca-sync/ca-sync\.py'
  kill_leftover $CU_UID '.'
  kill_leftover $GY_UID '.'
  rm -f /etc/nginx/sites-enabled/lab-cuspid /etc/nginx/sites-available/lab-cuspid
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -rf $P /var/lib/cuspid /var/log/cuspid /var/backups/cuspid /run/cuspid $MR /etc/millrun /var/spool/millrun /var/lib/millrun \
    /var/log/millrun /var/lib/.ca-sync /dev/shm/.cs /tmp/.mr.out /tmp/.s
  rm -f /etc/cron.d/cuspid /usr/local/sbin/cuspidctl /usr/local/sbin/cuspid-backup /usr/local/bin/mill-nest /var/tmp/cuspid-4.1.2.tar.gz \
    /home/labremote/offsite-cuspid.tgz
  # root's ssh folder as it was
  rm -f /root/.ssh/cuspid_offsite /root/.ssh/cuspid_offsite.pub /root/.ssh/config
  [ -e $KEEP/root-ssh-config ] && cp -p $KEEP/root-ssh-config /root/.ssh/config
  [ -e $KEEP/root-ssh-created ] && rm -rf /root/.ssh
  rm -rf $KEEP
  if [ -e /home/labremote/.ssh/authorized_keys ]; then
    sed -i '/cuspid-offsite/d' /home/labremote/.ssh/authorized_keys
    [ -s /home/labremote/.ssh/authorized_keys ] || rm -f /home/labremote/.ssh/authorized_keys
  fi
  local u
  for u in pumice gypsum; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u
  done
  if [ "${1:-}" != keep-packages ] && [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
  return 0
}

case "${1:-}" in
  install) install_cuspid ;;
  clean) clean_cuspid "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
