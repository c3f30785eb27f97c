#!/bin/bash
# Victim-side install of Hollybox, Marsh & Reed Architects' file-share
# appliance: nginx 1.22 in front of fcgiwrap running the web UI's CGI scripts
# (sh, Perl, Python) as hollybox 2101 on 127.0.0.1:8150; the copier's
# scan-to-share worker scanbox (python3, scanbox 2102) taking jobs from a
# Redis list (redis-server as redis on 127.0.0.1:6390, password in the
# appliance's settings); root's cron snapshot of the shares every minute:
# the stack of scenario-hollybox-sync. As root, under the lab lock; idempotent.
#   hollybox-setup.sh install   Debian's fcgiwrap and redis-server (+ what they
#                               pull in; the packages this install added are
#                               listed in /var/lib/lab/hollybox-pkgs.txt), the
#                               two accounts, /srv/hollybox (cgi-bin/ and conf/
#                               owned by hollybox: the appliance updates itself;
#                               the planted weaknesses are the admin check's
#                               unquoted [ $sess = ... ], the settings page's
#                               unescaped values in sync.conf, which sync.cgi
#                               sources, and the update page's sudo rule for
#                               dpkg -i of /srv/hollybox/updates/*.deb), the
#                               vendor's theme package (for the staff's update),
#                               redis, the worker, fcgiwrap and nginx started
#                               (pid files)
#   hollybox-setup.sh clean     all stopped by pid file, leftovers by uid +
#                               command line (the attack's root implant
#                               included), the packages the runs installed with
#                               dpkg -i purged, every file removed, both accounts
#                               deleted, the packages install added purged (and
#                               Debian's redis account, when install made it)
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/hollybox
HB_UID=2101 SB_UID=2102
S=/srv/hollybox
PKGS=/var/lib/lab/hollybox-pkgs.txt
RDUSER=/var/lib/lab/hollybox-redis-user
NGXF=$RUN/hollybox-nginx.pid
FCGF=$RUN/hollybox-fcgiwrap.pid
RDF=$RUN/hollybox-redis.pid
SBF=$RUN/hollybox-scanbox.pid

install_packages() {
  [ -x /usr/sbin/fcgiwrap ] && [ -x /usr/bin/redis-server ] && [ -x /usr/bin/redis-cli ] && return 0
  getent passwd redis >/dev/null || touch $RDUSER
  dpkg-query -W -f='${Package}\n' | sort > /tmp/hollybox-pkgs.before
  # no init system: policy-rc.d (setup) keeps fcgiwrap's and redis's services from starting
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fcgiwrap redis-server >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/hollybox-pkgs.before - > $PKGS
  rm -f /tmp/hollybox-pkgs.before
  log "installed $(wc -l < $PKGS) packages (fcgiwrap, redis-server and their dependencies)"
}

# a drawing or site photo of the shares (convert: a few shapes and a label)
mkimg() {
  convert -size "$2" xc:white -stroke '#2e6b3a' -strokewidth 3 -fill none -draw "rectangle 20,20 $3" \
    -draw "line 20,20 $3" -fill '#233' -stroke none -pointsize 18 -annotate +30+50 "$4" "$1"
}

install_hollybox() {
  install_packages
  lab_account hollybox $HB_UID
  lab_account scanbox $SB_UID
  local pw
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  install -d -m 755 $S
  cp -a "$SRC/cgi-bin" $S/
  chown -R hollybox:hollybox $S/cgi-bin
  install -d -o hollybox -g hollybox -m 755 $S/conf $S/updates $S/static $S/www
  install -d -o hollybox -g hollybox -m 755 $S/shares $S/shares/projects $S/shares/drawings
  install -d -o scanbox -g scanbox -m 755 $S/shares/scans
  install -d -o root -g root -m 755 $S/inbox
  sed "s|@REDIS_PASSWORD@|$pw|" "$SRC/conf/hollybox.ini" > $S/conf/hollybox.ini
  chown hollybox:hollybox $S/conf/hollybox.ini; chmod 640 $S/conf/hollybox.ini
  install -o hollybox -g hollybox -m 644 "$SRC/conf/sync.conf" $S/conf/sync.conf
  install -o hollybox -g hollybox -m 644 "$SRC/static/hb.css" "$SRC/static/robots.txt" $S/static/
  # the shares: drawings and site photos (PNG), a few documents; the copier's scans
  mkimg $S/shares/projects/site-plan-harbour-st.png 640x480 600,440 'Harbour St - site plan'
  mkimg $S/shares/projects/elevation-north.png 640x400 600,360 'North elevation'
  mkimg $S/shares/projects/survey-photo-0412.png 800x600 760,560 'Survey 04-12'
  mkimg $S/shares/drawings/detail-eaves-d12.png 480x480 440,440 'Detail D12 eaves'
  mkimg $S/shares/drawings/stair-section-s3.png 480x640 440,600 'Stair section S3'
  printf 'Harbour St - brief\nClient: Tidewater Housing Co-op\nBudget: 1.2M\n' > $S/shares/projects/brief-harbour-st.txt
  printf 'fee proposal 2026-11 (draft)\n' > $S/shares/projects/fee-proposal-2026-11.txt
  chown -R hollybox:hollybox $S/shares/projects $S/shares/drawings
  local i
  for i in 1 2 3 4 5 6; do mkimg $S/inbox/scan-000$i.png 1240x1754 1200,1700 "Scan $i - signed drawing register"; done
  chmod 644 $S/inbox/*.png
  touch -d 2026-11-20T09:00:00Z $S/cgi-bin/*.cgi $S/cgi-bin/admin/*.cgi $S/cgi-bin/lib/common.sh $S/conf/*
  install -d -o hollybox -g hollybox -m 750 /var/lib/hollybox /var/lib/hollybox/cache /var/lib/hollybox/cache/thumbs /var/lib/hollybox/nginx
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > /var/lib/hollybox/admin.session
  chown hollybox:hollybox /var/lib/hollybox/admin.session; chmod 600 /var/lib/hollybox/admin.session
  install -d -m 755 /var/log/hollybox
  touch /var/log/hollybox/redis.log /var/log/hollybox/scanbox.log; chown redis:redis /var/log/hollybox/redis.log
  chown scanbox:scanbox /var/log/hollybox/scanbox.log
  install -d -m 755 /etc/hollybox
  sed "s|@REDIS_PASSWORD@|$pw|" "$SRC/conf/redis.conf" > /etc/hollybox/redis.conf
  chown root:redis /etc/hollybox/redis.conf; chmod 640 /etc/hollybox/redis.conf
  install -d -o redis -g redis -m 750 /var/lib/hollybox-redis
  # scanbox: its worker, settings, the copier's file-server account
  install -d -o scanbox -g scanbox -m 700 /home/scanbox/.config /home/scanbox/.config/scanbox
  sed "s|@REDIS_PASSWORD@|$pw|" "$SRC/conf/scanbox.ini" > /home/scanbox/.config/scanbox/scanbox.ini
  install -o scanbox -g scanbox -m 600 "$SRC/conf/smb.cred" /home/scanbox/.config/scanbox/smb.cred
  chown scanbox:scanbox /home/scanbox/.config/scanbox/scanbox.ini; chmod 600 /home/scanbox/.config/scanbox/scanbox.ini
  install -d -m 755 /usr/local/lib/scanbox
  install -m 755 "$SRC/worker/scanbox.py" /usr/local/lib/scanbox/
  install -m 755 "$SRC/bin/hollybox-snapshot" /usr/local/sbin/
  install -m 644 "$SRC/conf/cron.d-hollybox" /etc/cron.d/hollybox
  install -m 440 "$SRC/conf/sudoers-hollybox" /etc/sudoers.d/hollybox
  visudo -cqf /etc/sudoers.d/hollybox || die "sudoers"
  # the vendor's theme package, which the staff install through the update page
  install -d -m 755 /var/lib/lab/hollybox-vendor
  dpkg-deb --root-owner-group -Zgzip -b "$SRC/vendor/hollybox-theme" /var/lib/lab/hollybox-vendor/hollybox-theme_3.2.1_all.deb >/dev/null
  install -m 644 "$SRC/conf/nginx-hollybox.conf" /etc/nginx/hollybox-lab.conf
  install -d -m 755 /run/hollybox; chown hollybox:hollybox /run/hollybox
  /usr/sbin/nginx -t -q -c /etc/nginx/hollybox-lab.conf || die "nginx config"
  if ! pid_alive $RDF; then
    log "starting redis-server (redis, 127.0.0.1:6390)"
    # setsid, env and setpriv exec in turn: the pid recorded is redis's own
    setsid env -i -C / "${SVC_ENV[@]}" setpriv --reuid=redis --regid=redis --init-groups \
      /usr/bin/redis-server /etc/hollybox/redis.conf < /dev/null > /dev/null 2>&1 &
    echo $! > $RDF.tmp
    wait_port 6390
    mv $RDF.tmp $RDF
  fi
  if ! pid_alive $SBF; then
    log "starting scanbox (python3 as scanbox)"
    setsid env -i -C /home/scanbox "${SVC_ENV[@]}" HOME=/home/scanbox USER=scanbox LOGNAME=scanbox \
      setpriv --reuid=$SB_UID --regid=$SB_UID --init-groups $PY -u /usr/local/lib/scanbox/scanbox.py \
      < /dev/null >> /var/log/hollybox/scanbox.log 2>&1 &
    echo $! > $SBF
  fi
  if ! pid_alive $FCGF; then
    log "starting fcgiwrap (hollybox, /run/hollybox/fcgiwrap.sock)"
    rm -f /run/hollybox/fcgiwrap.sock
    setsid env -i -C $S/cgi-bin "${SVC_ENV[@]}" HOME=/home/hollybox USER=hollybox LOGNAME=hollybox \
      setpriv --reuid=$HB_UID --regid=$HB_UID --init-groups /usr/sbin/fcgiwrap -c 3 -s unix:/run/hollybox/fcgiwrap.sock \
      < /dev/null >> /var/log/hollybox/fcgiwrap.log 2>&1 &
    echo $! > $FCGF
    local i
    for i in $(seq 1 50); do [ -S /run/hollybox/fcgiwrap.sock ] && break; sleep 0.1; done
  fi
  if ! pid_alive $NGXF; then
    log "starting nginx (Hollybox, 127.0.0.1:8150)"
    svc /usr/sbin/nginx -c /etc/nginx/hollybox-lab.conf < /dev/null >> /var/log/hollybox/nginx.out 2>&1
  fi
  wait_port 8150
}

clean_hollybox() {
  set +e
  stop_pidfile $NGXF nginx-hollybox
  stop_pidfile $FCGF fcgiwrap-hollybox
  stop_pidfile $SBF scanbox
  stop_pidfile $RDF redis-hollybox
  kill_leftover 0 'nginx: master process /usr/sbin/nginx -c /etc/nginx/hollybox-lab.conf'
  kill_leftover 0 'hbws|/var/lib/hollybox/'
  kill_leftover $HB_UID '.'
  kill_leftover $SB_UID '.'
  kill_leftover "$(id -u redis 2>/dev/null || echo 999999)" 'redis-server .*:6390'
  local p
  for p in hollybox-hotfix hollybox-theme; do
    dpkg-query -W "$p" >/dev/null 2>&1 && { DEBIAN_FRONTEND=noninteractive dpkg --purge "$p" >/dev/null 2>&1 || log "WARNING: dpkg --purge $p failed"; }
  done
  rm -f /etc/nginx/hollybox-lab.conf /etc/cron.d/hollybox /etc/sudoers.d/hollybox /etc/sudoers.d/hollybox-hotfix \
    /usr/local/sbin/hollybox-snapshot
  rm -rf $S /var/lib/hollybox /var/lib/hollybox-redis /var/log/hollybox /etc/hollybox /var/backups/hollybox /run/hollybox \
    /usr/local/lib/scanbox /var/lib/lab/hollybox-vendor /tmp/.hbx
  local u
  for u in hollybox scanbox; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u 2>/dev/null
  done
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 || log "WARNING: apt-get purge of $PKGS failed"
    rm -f $PKGS
  fi
  if [ -e $RDUSER ]; then
    getent passwd redis >/dev/null && userdel redis 2>/dev/null
    getent group redis >/dev/null && groupdel redis 2>/dev/null
    rm -f $RDUSER
  fi
  set -e
}

case "${1:-}" in
  install) install_hollybox ;;
  clean) clean_hollybox ;;
  *) die "usage: $0 install|clean" ;;
esac
