#!/bin/bash
# Victim-side install of Docket, Harrow & Vale LLP's case docket: a Django
# 3.2 app served by Apache 2.4 with mod_wsgi 4.9 in DAEMON mode (the Apache
# parent as root, its event-MPM workers as www-data, the app in a
# WSGIDaemonProcess group of 2 processes as docket 2131 with display-name
# "(wsgi:docket)", 127.0.0.1:8190), root's every-minute reminder job
# (manage.py send_reminders): the stack of scenario-docket-exhibit. As root;
# idempotent.
#   docket-setup.sh install   Debian's libapache2-mod-wsgi-py3 and
#                             python3-django + what they pull in (the
#                             packages this install added are listed in
#                             /var/lib/lab/docket-pkgs.txt), the account,
#                             /srv/docket (the planted weaknesses: the exhibit
#                             upload joins the form's folder field to
#                             MEDIA_ROOT unchecked; DEBUG on; app/ and the
#                             daemon's python-path site dir lib/ owned by
#                             docket; root's cron runs manage.py in that
#                             tree), Apache's config, root's cron file,
#                             alice's key for deploy, a copy of
#                             /etc/python3.11/sitecustomize.py, Apache started
#                             (pid file)
#   docket-setup.sh clean     Apache stopped by pid file, leftovers by uid +
#                             command line (the attack's implant included),
#                             sitecustomize.py put back, every file removed,
#                             alice's key taken back, the account deleted, the
#                             listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/docket
DK_UID=2131
S=/srv/docket
K=$STATE/keys
PKGS=/var/lib/lab/docket-pkgs.txt
APF=$RUN/docket-apache.pid
SITECUST=/etc/python3.11/sitecustomize.py
SITECUST_COPY=/var/lib/lab/sitecustomize.py.docket

install_packages() {
  [ -e /usr/lib/apache2/modules/mod_wsgi.so ] && /usr/bin/python3 -c 'import django' 2>/dev/null && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/docket-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libapache2-mod-wsgi-py3 python3-django >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/docket-pkgs.before - >> $PKGS
  rm -f /tmp/docket-pkgs.before
  log "installed $(wc -l < $PKGS) packages (mod_wsgi, django and their dependencies)"
}

install_docket() {
  install_packages
  lab_account docket $DK_UID
  local sk tok
  sk=$(head -c 36 /dev/urandom | base64 | tr -d '/+=' | cut -c1-40)
  tok=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | cut -c1-24)
  [ -e $SITECUST_COPY ] || cp -p $SITECUST $SITECUST_COPY
  rm -rf $S/lib $S/media
  install -d -m 755 $S $S/conf $S/data $S/media $S/lib /var/lib/docket /var/lib/docket/cache /var/log/docket
  rm -rf $S/app $S/static; cp -a "$SRC/app" $S/app; cp -a "$SRC/static" $S/static
  find $S/app -name __pycache__ -prune -exec rm -rf {} +
  sed -e "s|@SECRET_KEY@|$sk|" -e "s|@EFILING@|$tok|" "$SRC/conf/docket.ini" > $S/conf/docket.ini
  install -m 644 "$SRC/data/cases.json" $S/data/cases.json
  # the vendored court-calendar helper in the daemon's python-path site dir
  printf '"""courtcal: court sitting days (vendored, 0.4)."""\nSITTING = ("Mon", "Tue", "Wed", "Thu", "Fri")\n' > $S/lib/courtcal.py
  local no
  for no in HV-2026-0141 HV-2026-0152 HV-2026-0167; do
    install -d $S/media/$no
    convert -size 640x480 xc:white -fill '#3a4a6b' -draw 'rectangle 40,40 600,120' -draw 'rectangle 40,160 420,200' "$S/media/$no/exhibit-A.png"
    printf '%%PDF-1.4\n%% exhibit B of %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' "$no" > "$S/media/$no/exhibit-B.pdf"
  done
  touch /var/log/docket/access.log /var/log/docket/apache-error.log /var/log/docket/reminders.log
  chown -R docket:docket $S/app $S/lib $S/media $S/data /var/lib/docket
  chown root:docket $S/conf/docket.ini; chmod 640 $S/conf/docket.ini
  # compiled once as docket (as the release job does), so root's cron run writes no .pyc into the tree
  setpriv --reuid=$DK_UID --regid=$DK_UID --init-groups env -i HOME=/home/docket PATH=/usr/bin:/bin \
    /usr/bin/python3 -m compileall -q $S/app $S/lib >/dev/null
  install -m 644 "$SRC/conf/apache-docket.conf" /etc/apache2/docket-lab.conf
  install -m 644 "$SRC/conf/cron.d-docket" /etc/cron.d/docket
  # the admin's own key, accepted by deploy (she pulls the release repository as deploy)
  [ -e $K/alice_docket ] || ssh-keygen -q -t ed25519 -N '' -C 'alice@harrowvale-admin' -f $K/alice_docket
  install -o alice -g alice -m 600 $K/alice_docket /home/alice/.ssh/id_ed25519
  install -o alice -g alice -m 644 $K/alice_docket.pub /home/alice/.ssh/id_ed25519.pub
  grep -q 'alice@harrowvale-admin$' /home/deploy/.ssh/authorized_keys || cat $K/alice_docket.pub >> /home/deploy/.ssh/authorized_keys
  if ! pid_alive $APF; then
    log "starting apache2 (docket: workers www-data, mod_wsgi daemon docket)"
    install -d -m 755 $RUN/docket-apache
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f /etc/apache2/docket-lab.conf -DFOREGROUND \
      < /dev/null >> /var/log/docket/apache2.out 2>&1 &
    echo $! > $APF
  fi
  wait_port 8190
}

clean_docket() {
  set +e
  stop_pidfile $APF docket-apache
  kill_leftover 0 'python3-langcache|langcache\.py'
  kill_leftover $DK_UID '.'
  [ -e $SITECUST_COPY ] && cp -p $SITECUST_COPY $SITECUST && rm -f $SITECUST_COPY
  rm -rf /usr/lib/python3.11/__pycache__/sitecustomize.*
  rm -rf $S /var/lib/docket /var/log/docket /var/lib/python3-langcache /var/tmp/.dkr $RUN/docket-apache /run/.langcache.pid
  rm -f /etc/apache2/docket-lab.conf /etc/cron.d/docket
  rm -f /home/alice/.ssh/id_ed25519 /home/alice/.ssh/id_ed25519.pub /home/alice/.ssh/known_hosts
  sed -i '/alice@harrowvale-admin$/d' /home/deploy/.ssh/authorized_keys
  rm -f $K/alice_docket $K/alice_docket.pub
  getent passwd docket >/dev/null && userdel -r docket 2>/dev/null
  getent group docket >/dev/null && groupdel docket
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_docket ;;
  clean) clean_docket ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
