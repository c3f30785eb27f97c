#!/bin/bash
# Victim-side install of Berthplan, Kittiwake Marina's berth booking service:
# a FastAPI app served by uvicorn (ASGI, one process, as berthd 2111 on
# 127.0.0.1:8160, no front server), the harbour office's account quaydesk
# 2112 (a password; a sudo rule to copy the nightly exports to the office
# share) and atd (Debian's at, started by hand): the stack of
# scenario-berthplan-rules. As root; idempotent.
#   berthplan-setup.sh install   Debian's python3-uvicorn, python3-fastapi,
#                                python3-jinja2, python3-multipart and at (+
#                                what they pull in; the packages this install
#                                added are listed in /var/lib/lab/berthplan-pkgs.txt),
#                                the two accounts, /srv/berthplan (app/ and
#                                data/ owned by berthd; the planted weaknesses:
#                                the rules import's yaml.load with the full
#                                Loader behind an office key shipped in the
#                                public JS bundle, the info pages rendered by
#                                name from templates/pages/, the office
#                                password reused for quaydesk's login, the
#                                sudo rule's wildcard), atd and uvicorn started
#                                (pid files)
#   berthplan-setup.sh clean     all stopped by pid file, leftovers by uid +
#                                command line (the attack's root beacon
#                                included), at jobs removed, every file removed,
#                                both accounts deleted, the listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/berthplan
BP_UID=2111 QD_UID=2112
S=/srv/berthplan
PKGS=/var/lib/lab/berthplan-pkgs.txt
UVF=$RUN/berthplan-uvicorn.pid
ATF=$RUN/berthplan-atd.pid

install_packages() {
  /usr/bin/python3 -c 'import uvicorn, fastapi, jinja2, multipart' 2>/dev/null && [ -x /usr/sbin/atd ] && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/berthplan-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-uvicorn python3-fastapi \
    python3-jinja2 python3-multipart at >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/berthplan-pkgs.before - > $PKGS
  rm -f /tmp/berthplan-pkgs.before
  log "installed $(wc -l < $PKGS) packages (uvicorn, fastapi, jinja2, multipart, at and their dependencies)"
}

install_berthplan() {
  install_packages
  lab_account berthd $BP_UID
  lab_account quaydesk $QD_UID
  local key pw
  key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | cut -c1-28)
  pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | cut -c1-14)
  echo "quaydesk:$pw" | chpasswd
  install -d -m 755 $S $S/conf
  cp -a "$SRC/app" $S/
  install -d -m 755 $S/data $S/data/rules $S/exports /var/lib/berthplan /var/lib/berthplan/cache /var/log/berthplan
  sed -i "s|@OFFICE_KEY@|$key|" $S/app/static/app.js
  sed -e "s|@OFFICE_KEY@|$key|" -e "s|@QUAYDESK_PW@|$pw|" "$SRC/conf/berthplan.yaml" > $S/conf/berthplan.yaml
  install -m 644 "$SRC/conf/logging.json" $S/conf/logging.json
  install -m 644 "$SRC/data/berths.json" $S/data/berths.json
  install -m 644 "$SRC/data/rules-2026.yaml" $S/data/rules/rules-20261101T080000.yaml
  : > $S/data/bookings.csv
  local d
  for d in 2026-12-01 2026-12-02 2026-12-03 2026-12-04; do
    printf 'KW-%s01,A0%d,%s,2,guest%d@example.org\n' "${d//-/}" "${d: -1}" "$d" "${d: -1}" >> $S/data/bookings.csv
    cp $S/data/bookings.csv "$S/exports/bookings-$d.csv"
  done
  touch /var/log/berthplan/access.log /var/log/berthplan/requests.log /var/log/berthplan/uvicorn.log
  chown -R berthd:berthd $S/app $S/data $S/exports /var/lib/berthplan /var/log/berthplan
  chown root:berthd $S/conf/berthplan.yaml; chmod 640 $S/conf/berthplan.yaml
  install -d -m 755 /mnt/harbour-office
  install -m 440 "$SRC/conf/sudoers-berthplan" /etc/sudoers.d/berthplan-office
  visudo -cf /etc/sudoers.d/berthplan-office >/dev/null
  install -d -o alice -g alice -m 755 /home/alice/berthplan
  if ! pid_alive $ATF; then
    log "starting atd"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/atd -f < /dev/null > /dev/null 2>&1 &
    echo $! > $ATF
  fi
  if ! pid_alive $UVF; then
    log "starting uvicorn (berthplan, berthd)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/berthd USER=berthd LOGNAME=berthd \
      setpriv --reuid=$BP_UID --regid=$BP_UID --init-groups /usr/bin/python3 -m uvicorn berthplan:app \
      --app-dir $S/app --host 127.0.0.1 --port 8160 --log-config $S/conf/logging.json --no-server-header \
      < /dev/null >> /var/log/berthplan/uvicorn.out 2>&1 &
    echo $! > $UVF
  fi
  wait_port 8160
}

clean_berthplan() {
  set +e
  stop_pidfile $UVF berthplan-uvicorn
  stop_pidfile $ATF berthplan-atd
  kill_leftover 0 'tidewatch|/var/lib/\.tidewatch'
  kill_leftover $BP_UID 'uvicorn|python3|sh|curl|script|su'
  kill_leftover $QD_UID '.'
  local j
  for j in $(atq 2>/dev/null | awk '{print $1}'); do atrm "$j"; done
  rm -rf /var/lib/.tidewatch /tmp/.bp
  rm -f /etc/sudoers.d/berthplan-office /etc/sudoers.d/90-berthd
  rm -rf $S /var/lib/berthplan /var/log/berthplan /mnt/harbour-office /home/alice/berthplan
  getent passwd berthd >/dev/null && userdel -r berthd 2>/dev/null
  getent passwd quaydesk >/dev/null && userdel -r quaydesk 2>/dev/null
  getent group berthd >/dev/null && groupdel berthd
  getent group quaydesk >/dev/null && groupdel quaydesk
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_berthplan ;;
  clean) clean_berthplan ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
