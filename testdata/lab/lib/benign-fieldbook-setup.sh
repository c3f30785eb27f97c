#!/bin/bash
# shellcheck shell=bash
# Fieldbook's innocent day (scenario-benign-fieldbook, held out by
# lab-benign8): root-side functions, sourced by the scenario (or run
# directly: `lib/benign-fieldbook-setup.sh install|clean`, under the lab lock).
#   fbday_install  Debian's uwsgi-core + uwsgi-plugin-python3, caddy and
#                  python3-flask (apt-get, first run only); the account
#                  fieldbook 2085; the app (testdata/lab/fieldbook/app) as a
#                  git checkout of deploy's repository /srv/git/fieldbook.git;
#                  /srv/fieldbook/{conf,data,static,log,backup,bin}; the unit
#                  file, cron files, crontab, logrotate file, the monitoring
#                  agent; uWSGI started as fieldbook and Caddy as caddy, each
#                  in its own session (pid files $RUN/fieldbook-*.pid)
#   fbday_clean    both stopped by pid, everything above removed (logrotate's
#                  state put back from the copy install keeps), the account
#                  deleted
FB_UID=2085
FB=/srv/fieldbook
FB_KEEP=/var/lib/lab/fieldbook

fbday_install() {
  local p missing=()
  for p in uwsgi-core uwsgi-plugin-python3 caddy python3-flask zip unzip file groff-base ghostscript; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  # a run that died left them running: stopped first (by pid file)
  stop_pidfile "$RUN/fieldbook-caddy.pid" caddy
  stop_pidfile "$RUN/fieldbook-uwsgi.pid" uwsgi
  lab_account fieldbook $FB_UID
  install -d -m 755 "$FB_KEEP"
  [ -e "$FB_KEEP/logrotate.status" ] || cp -p /var/lib/logrotate/status "$FB_KEEP/logrotate.status" 2> /dev/null || : > "$FB_KEEP/logrotate.status"

  # deploy's repository and work clone (the CI pushes there), fieldbook's checkout
  rm -rf /srv/git/fieldbook.git /home/deploy/fieldbook-work "$FB"
  install -d -m 755 /srv/git
  local w
  w=$(mktemp -d)
  cp "$LAB_DIR/fieldbook/app/fieldbook.py" "$w/"
  printf '# Fieldbook\n\nSite-survey reports. Runs under uWSGI behind Caddy.\n' > "$w/README.md"
  printf '2026.12.1\n' > "$w/VERSION"
  git -C "$w" init -q -b main
  git -C "$w" -c user.name=CI -c user.email=ci@survey.lab.local add -A
  git -C "$w" -c user.name=CI -c user.email=ci@survey.lab.local commit -qm 'release 2026.12.1'
  git init -q --bare -b main /srv/git/fieldbook.git
  git -C "$w" push -q /srv/git/fieldbook.git main
  rm -rf "$w"
  chown -R deploy:deploy /srv/git/fieldbook.git
  git config --system --get-all safe.directory | grep -qx /srv/git/fieldbook.git || git config --system --add safe.directory /srv/git/fieldbook.git
  runuser -u deploy -- git clone -q /srv/git/fieldbook.git /home/deploy/fieldbook-work
  runuser -u deploy -- git -C /home/deploy/fieldbook-work config user.name 'Fieldbook CI'
  runuser -u deploy -- git -C /home/deploy/fieldbook-work config user.email ci@survey.lab.local
  install -d -o fieldbook -g fieldbook -m 755 "$FB"
  runuser -u fieldbook -- git clone -q /srv/git/fieldbook.git "$FB/app"
  install -d -o fieldbook -g fieldbook -m 750 "$FB/conf" "$FB/data" "$FB/log" "$FB/backup" "$FB/data/photos" "$FB/data/clients"
  install -d -o fieldbook -g fieldbook -m 755 "$FB/static" "$FB/bin"
  install -o fieldbook -g fieldbook -m 640 "$LAB_DIR/fieldbook/conf/fieldbook.ini" "$LAB_DIR/fieldbook/conf/uwsgi.ini" "$FB/conf/"
  runuser -u fieldbook -- touch "$FB/conf/reload" "$FB/conf/logreopen"
  install -o fieldbook -g fieldbook -m 644 "$LAB_DIR/fieldbook/data/sites.json" "$FB/data/"
  $PY - "$FB/data/users.json" <<'PY'
import hashlib, json, sys
u = {"jana": ("Feldbuch-2026", "admin"), "hartmann": ("Baugrube#1", "client"), "stadtwerke": ("Kanal!Nord7", "client")}
json.dump({k: {"pw": hashlib.sha256(p.encode()).hexdigest(), "role": r} for k, (p, r) in u.items()}, open(sys.argv[1], "w"), indent=1)
PY
  chown fieldbook:fieldbook "$FB/data/users.json"; chmod 640 "$FB/data/users.json"
  install -o fieldbook -g fieldbook -m 644 "$LAB_DIR/fieldbook/static/fb.css" "$LAB_DIR/fieldbook/static/robots.txt" "$FB/static/"
  install -o fieldbook -g fieldbook -m 755 "$LAB_DIR/fieldbook/bin/fb-sitemap" "$LAB_DIR/fieldbook/bin/fb-backup" "$FB/bin/"
  runuser -u fieldbook -- "$FB/bin/fb-sitemap"
  install -d -o fieldbook -g fieldbook -m 700 /home/fieldbook/.ssh
  runuser -u fieldbook -- touch /home/fieldbook/.ssh/authorized_keys
  chmod 600 /home/fieldbook/.ssh/authorized_keys

  # how the office runs it: unit, cron, logrotate, monitoring agent, Caddy's site
  install -m 644 "$LAB_DIR/fieldbook/conf/fieldbook-uwsgi.service" /etc/systemd/system/fieldbook-uwsgi.service
  install -m 644 "$LAB_DIR/fieldbook/conf/cron.d-fieldbook-ops" /etc/cron.d/fieldbook-ops
  crontab -u fieldbook "$LAB_DIR/fieldbook/conf/fieldbook.crontab"
  install -m 644 "$LAB_DIR/fieldbook/conf/logrotate-fieldbook" /etc/logrotate.d/fieldbook
  install -m 755 "$LAB_DIR/fieldbook/bin/fb-monitor" /usr/local/sbin/fb-monitor
  install -m 644 "$LAB_DIR/fieldbook/conf/Caddyfile" /etc/caddy/Caddyfile.fieldbook
  install -d -o caddy -g caddy -m 755 /var/log/caddy
  rm -f /var/log/caddy/fieldbook-access*.log

  fbday_start
}

fbday_start() {
  if ! pid_alive "$RUN/fieldbook-uwsgi.pid"; then
    log "starting uwsgi (fieldbook)"
    setsid env -i "${SVC_ENV[@]}" HOME=/home/fieldbook USER=fieldbook LOGNAME=fieldbook \
      setpriv --reuid=$FB_UID --regid=$FB_UID --init-groups /usr/bin/uwsgi-core --ini "$FB/conf/uwsgi.ini" \
      < /dev/null >> "$FB/log/uwsgi.out" 2>&1 &
    echo $! > "$RUN/fieldbook-uwsgi.pid"
  fi
  if ! pid_alive "$RUN/fieldbook-caddy.pid"; then
    log "starting caddy (fieldbook's front)"
    setsid env -i "${SVC_ENV[@]}" HOME=/var/lib/caddy XDG_DATA_HOME=/var/lib/caddy XDG_CONFIG_HOME=/var/lib/caddy \
      setpriv --reuid=caddy --regid=caddy --init-groups /usr/bin/caddy run --config /etc/caddy/Caddyfile.fieldbook --adapter caddyfile \
      < /dev/null >> /var/log/caddy/fieldbook-caddy.out 2>&1 &
    echo $! > "$RUN/fieldbook-caddy.pid"
  fi
  wait_port 9123; wait_port 8123
}

fbday_clean() {
  set +e
  stop_pidfile "$RUN/fieldbook-caddy.pid" caddy
  stop_pidfile "$RUN/fieldbook-uwsgi.pid" uwsgi
  kill_leftover $FB_UID 'uwsgi|sshd|bash|sh|curl|tar|sleep'
  crontab -u fieldbook -r 2> /dev/null
  rm -f /etc/cron.d/fieldbook-ops /etc/logrotate.d/fieldbook /usr/local/sbin/fb-monitor /usr/local/bin/fb-exporter \
    /etc/systemd/system/fieldbook-uwsgi.service /etc/caddy/Caddyfile.fieldbook /var/tmp/fb-monitor.json
  rm -rf /etc/systemd/system/fieldbook-uwsgi.service.d /opt/fb-exporter-0.4.1 /home/alice/fb-exporter-0.4.1* /home/alice/fieldbook-notes
  rm -f /var/log/caddy/fieldbook-access*.log /var/log/caddy/fieldbook-caddy.out
  rm -rf "$FB" /srv/git/fieldbook.git /home/deploy/fieldbook-work
  git config --system --fixed-value --unset-all safe.directory /srv/git/fieldbook.git 2> /dev/null
  [ -e "$FB_KEEP/logrotate.status" ] && cp -p "$FB_KEEP/logrotate.status" /var/lib/logrotate/status
  rm -rf "$FB_KEEP"
  getent passwd fieldbook > /dev/null && userdel -r fieldbook 2> /dev/null
  getent group fieldbook > /dev/null && groupdel fieldbook 2> /dev/null
  set -e
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
  . "$LAB_DIR/lib/common.sh"
  need_root
  case "${1:-}" in
    install) fbday_install ;;
    clean) fbday_clean ;;
    *) echo "usage: $0 install|clean" >&2; exit 2 ;;
  esac
fi
