#!/bin/bash
# Victim-side install of Tidegauge, the harbour's tide-gauge station portal:
# nginx 1.22 with Debian's libnginx-mod-http-lua, the app is Lua run by the
# web server itself (workers as tidegauge 2095 on 127.0.0.1:8140, the master
# root), beside its data bridge tgbridge (python3, tgbridge 2096, admin API on
# 127.0.0.1:8144, publishing the readings with mosquitto_pub to the harbour
# authority's MQTT broker on 127.0.0.1:1883, a remote party): the stack of
# scenario-tidegauge-plot. As root, under the lab lock; idempotent.
#   tidegauge-setup.sh install   Debian's libnginx-mod-http-lua, mosquitto and
#                                mosquitto-clients (+ what they pull in; the
#                                packages this install added are listed in
#                                /var/lib/lab/tidegauge-pkgs.txt), the two
#                                accounts, /srv/tidegauge (lua/ and conf/ owned
#                                by tidegauge: init.lua, run by the root
#                                master at every reload, is the app's file;
#                                the planted weakness), the tokens in
#                                /etc/tidegauge, sudo rule (the Apply page's
#                                reload), root's cron file, the bridge and the
#                                portal's nginx started (pid files)
#   tidegauge-setup.sh clean     both stopped by pid file, leftovers by uid +
#                                command line (the attack's MQTT loop as
#                                alice), every file removed (the profile.d
#                                hook included), both accounts deleted, the
#                                packages install added purged (and Debian's
#                                mosquitto account, when install made it)
# The scenario calls install in pre_audit and clean in cleanup_extra.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/tidegauge
TG_UID=2095 BR_UID=2096
S=/srv/tidegauge
PKGS=/var/lib/lab/tidegauge-pkgs.txt
MQUSER=/var/lib/lab/tidegauge-mosquitto-user
NGXF=$RUN/tidegauge-nginx.pid
BRF=$RUN/tidegauge-bridge.pid

install_packages() {
  [ -e /usr/lib/nginx/modules/ngx_http_lua_module.so ] && [ -x /usr/sbin/mosquitto ] && [ -x /usr/bin/mosquitto_pub ] && return 0
  getent passwd mosquitto >/dev/null || touch $MQUSER
  dpkg-query -W -f='${Package}\n' | sort > /tmp/tidegauge-pkgs.before
  # no init system: policy-rc.d (setup) keeps mosquitto's service from starting
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libnginx-mod-http-lua mosquitto mosquitto-clients >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/tidegauge-pkgs.before - > $PKGS
  rm -f /tmp/tidegauge-pkgs.before
  log "installed $(wc -l < $PKGS) packages (the Lua module, mosquitto and their dependencies)"
}

install_tidegauge() {
  install_packages
  lab_account tidegauge $TG_UID
  lab_account tgbridge $BR_UID
  install -d -m 755 $S
  install -d -o tidegauge -g tidegauge -m 755 $S/lua $S/lua/tg $S/lua/api $S/static $S/conf /var/lib/tidegauge /var/lib/tidegauge/nginx
  install -d -o tgbridge -g tidegauge -m 755 $S/data
  install -d -m 755 $S/bridge /var/log/tidegauge
  install -o tidegauge -g tidegauge -m 644 "$SRC/lua/init.lua" $S/lua/
  install -o tidegauge -g tidegauge -m 644 "$SRC/lua/tg/pages.lua" $S/lua/tg/
  install -o tidegauge -g tidegauge -m 644 "$SRC/lua/api/latest.lua" "$SRC/lua/api/stations.lua" "$SRC/lua/api/alarms.lua" $S/lua/api/
  install -o tidegauge -g tidegauge -m 644 "$SRC/static/tg.css" $S/static/
  install -o tidegauge -g tidegauge -m 644 "$SRC/conf/alarms.conf" $S/conf/
  install -m 755 "$SRC/bridge/tg-bridge.py" $S/bridge/
  # three days of 10-minute readings before the run
  $PY - "$S/data/readings.csv" <<'PY'
import math, sys, time
st = {"PLY": (3.3, 2.2, 0.0), "NWL": (3.1, 2.0, 0.4), "DVR": (3.7, 2.6, 1.1)}
now = int(time.time()) // 600 * 600
with open(sys.argv[1], "w") as f:
    for t in range(now - 3 * 86400, now, 600):
        for s, (m, a, p) in st.items():
            f.write("%s,%s,%.3f\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)), s, m + a * math.sin(2 * math.pi * t / 44712.0 + p)))
PY
  chown tgbridge:tidegauge $S/data/readings.csv; chmod 644 $S/data/readings.csv
  touch -d 2026-12-01T02:00:00Z $S/lua/init.lua $S/lua/tg/pages.lua $S/lua/api/*.lua $S/conf/alarms.conf
  # the tokens: root only (the nginx master loads them), the bridge's own readable by tgbridge
  install -d -o root -g tgbridge -m 750 /etc/tidegauge
  [ -s /etc/tidegauge/bridge.token ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > /etc/tidegauge/bridge.token
  [ -s /etc/tidegauge/admin.token ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > /etc/tidegauge/admin.token
  chown root:tgbridge /etc/tidegauge/bridge.token; chmod 640 /etc/tidegauge/bridge.token
  chown root:root /etc/tidegauge/admin.token; chmod 600 /etc/tidegauge/admin.token
  install -d -o tgbridge -g tgbridge -m 700 /home/tgbridge/.config /home/tgbridge/.config/tgbridge
  install -o tgbridge -g tgbridge -m 600 "$SRC/conf/upstream.ini" /home/tgbridge/.config/tgbridge/upstream.ini
  install -m 755 "$SRC/bin/tideplot" /usr/local/bin/
  install -m 755 "$SRC/bin/tidegauge-reload" "$SRC/bin/tidegauge-archive" /usr/local/sbin/
  install -m 644 "$SRC/conf/cron.d-tidegauge" /etc/cron.d/tidegauge
  install -m 440 "$SRC/conf/sudoers-tidegauge" /etc/sudoers.d/tidegauge
  visudo -cqf /etc/sudoers.d/tidegauge || die "sudoers"
  install -m 644 "$SRC/conf/nginx-tidegauge.conf" /etc/nginx/tidegauge-lab.conf
  /usr/sbin/nginx -t -q -c /etc/nginx/tidegauge-lab.conf || die "nginx config"
  if ! pid_alive $BRF; then
    log "starting tgbridge (python3 as tgbridge, 127.0.0.1:8144)"
    # setsid, env and setpriv exec in turn: the pid recorded is python's own
    setsid env -i -C / "${SVC_ENV[@]}" HOME=/home/tgbridge USER=tgbridge LOGNAME=tgbridge \
      setpriv --reuid=$BR_UID --regid=$BR_UID --init-groups $PY -u $S/bridge/tg-bridge.py \
      < /dev/null >> /var/log/tidegauge/bridge.log 2>&1 &
    echo $! > $BRF
  fi
  wait_port 8144
  if ! pid_alive $NGXF; then
    log "starting nginx (Tidegauge, Lua, 127.0.0.1:8140)"
    svc /usr/sbin/nginx -c /etc/nginx/tidegauge-lab.conf < /dev/null >> /var/log/tidegauge/nginx.out 2>&1
  fi
  wait_port 8140
}

clean_tidegauge() {
  set +e
  stop_pidfile $NGXF nginx-tidegauge
  stop_pidfile $BRF tgbridge
  kill_leftover 0 'nginx: master process /usr/sbin/nginx -c /etc/nginx/tidegauge-lab.conf'
  kill_leftover $TG_UID '.'
  kill_leftover $BR_UID '.'
  kill_leftover $ALICE_UID 'mosquitto_sub|while c='
  rm -f /etc/profile.d/tide-locale.sh /etc/nginx/tidegauge-lab.conf /etc/cron.d/tidegauge /etc/sudoers.d/tidegauge \
    /usr/local/bin/tideplot /usr/local/sbin/tidegauge-reload /usr/local/sbin/tidegauge-archive /dev/shm/.tgq
  rm -rf $S /var/log/tidegauge /var/lib/tidegauge /etc/tidegauge /var/backups/tidegauge /dev/shm/.tg
  local u
  for u in tidegauge tgbridge; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u 2>/dev/null
  done
  if [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 || log "WARNING: apt-get purge of $PKGS failed"
    rm -f $PKGS
  fi
  if [ -e $MQUSER ]; then
    getent passwd mosquitto >/dev/null && userdel mosquitto 2>/dev/null
    getent group mosquitto >/dev/null && groupdel mosquitto 2>/dev/null
    rm -f $MQUSER
  fi
  set -e
}

case "${1:-}" in
  install) install_tidegauge ;;
  clean) clean_tidegauge ;;
  *) die "usage: $0 install|clean" ;;
esac
