#!/bin/bash
# Victim-side install of Plotbook, the Hollins Lane Allotment Society's plot
# register: a Flask 2.2 app (Debian's python3-flask) under a uWSGI 2.0 emperor
# (Debian's uwsgi-core + uwsgi-plugin-python3; the emperor runs as root, as an
# init script starts it, from /etc/uwsgi-emperor/vassals) with two vassals:
# plotbook (a master + 3 workers as plotbook 2181) and plotdues, the
# treasurer's ledger (1 worker as plotcash 2182), each on a UNIX socket that
# the lab's nginx (127.0.0.1:8250) reaches with uwsgi_pass: no TCP port of
# its own. Beside it root's register copy every two minutes. The stack of
# scenario-plotbook-noticepreview. As root; idempotent.
#   plotbook-setup.sh install    Debian's uwsgi-core, uwsgi-plugin-python3 and python3-flask
#                                + what they pull in (the packages this install added are
#                                listed in /var/lib/lab/plotbook-pkgs.txt), the accounts,
#                                /srv/plotbook (app, data; owned by plotbook), /srv/plotdues,
#                                the vassals (plotbook.ini owned by plotbook: the release
#                                job edits it), root's cron file and script, the nginx vhost
#                                + HUP, alice's release tarball, the emperor started (pid file)
#   plotbook-setup.sh clean [keep-packages]
#                                the emperor stopped by pid file (its vassals end with it),
#                                leftovers by uid + command line (the attack's agent included),
#                                every file removed, the accounts deleted, the listed packages
#                                purged (unless keep-packages)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/plotbook
PB_UID=2181 PC_UID=2182
P=/srv/plotbook
PKGS=/var/lib/lab/plotbook-pkgs.txt
EMPEROR=$RUN/plotbook-emperor.pid
V=/etc/uwsgi-emperor/vassals

install_packages() {
  [ -x /usr/bin/uwsgi-core ] && [ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] && \
    dpkg-query -W -f='${Status}' python3-flask 2>/dev/null | grep -q 'ok installed' && return 0
  dpkg-query -W -f='${Package}\n' | sort > /tmp/plotbook-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends uwsgi-core uwsgi-plugin-python3 python3-flask >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/plotbook-pkgs.before - >> $PKGS
  rm -f /tmp/plotbook-pkgs.before
  log "installed $(wc -l < $PKGS) packages (uwsgi, its python3 plugin, flask)"
}

install_plotbook() {
  install_packages
  mkdir -p $RUN
  lab_account plotbook $PB_UID
  lab_account plotcash $PC_UID
  install -d -o plotbook -g plotbook -m 700 /home/plotbook/.ssh
  rm -rf $P /srv/plotdues; install -d -m 755 $P
  cp -r "$SRC/app" $P/app; rm -f $P/app/tmp/.keep
  install -d $P/data
  install -m 644 "$SRC/data/plots.csv" $P/data/
  convert -size 800x500 xc:'#e8f2dc' -fill '#8a6d3b' -draw 'rectangle 40,40 760,460' -fill '#6fa84a' \
    -draw 'rectangle 60,60 380,240' -draw 'rectangle 420,60 740,240' -draw 'rectangle 60,260 380,440' $P/data/site.png
  python3 - $P/data/plots.db $P/data/plots.csv <<'PY'
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""CREATE TABLE plots (id TEXT PRIMARY KEY, holder TEXT, size REAL, crop TEXT);
CREATE TABLE waiting_list (id INTEGER PRIMARY KEY, name TEXT, email TEXT, joined TEXT);
CREATE TABLE notices (id INTEGER PRIMARY KEY, title TEXT, body TEXT, posted TEXT);""")
rows = list(csv.reader(open(sys.argv[2])))[1:]
c.executemany("INSERT INTO plots VALUES (?,?,?,?)", rows)
c.executemany("INSERT INTO waiting_list (name, email, joined) VALUES (?,?,?)",
              [("W. Ames %d" % i, "ames%d@example.org" % i, "2026-0%d-01" % (1 + i % 9)) for i in range(1, 24)])
c.executemany("INSERT INTO notices (title, body, posted) VALUES (?,?,?)",
              [("Water troughs refilled", "The troughs by the gate are full again.", "2026-11-02"),
               ("Autumn work party", "Bring gloves.", "2026-11-20")])
c.commit()
PY
  install -d -m 755 $P/conf
  sed "s|@SECRET@|$(head -c 24 /dev/urandom | base64 | tr -d '/+=')|" "$SRC/conf/settings.json" > $P/conf/settings.json
  chmod 640 $P/conf/settings.json
  chown -R plotbook:plotbook $P
  install -d -o plotcash -g plotcash -m 755 /srv/plotdues
  install -o plotcash -g plotcash -m 644 "$SRC/dues/dues.py" "$SRC/dues/ledger.csv" /srv/plotdues/
  rm -rf /var/lib/plotbook /var/log/plotbook /var/backups/plotbook /run/plotbook
  install -d -o plotbook -g plotbook -m 755 /var/lib/plotbook /var/lib/plotbook/maps /var/lib/plotbook/exports /var/log/plotbook /run/plotbook
  install -d -m 755 /var/backups/plotbook
  rm -rf /run/plotdues; install -d -o plotcash -g plotcash -m 755 /run/plotdues
  install -o plotcash -g plotcash -m 644 /dev/null /var/log/plotbook/dues.log
  install -o plotbook -g plotbook -m 644 /dev/null /var/log/plotbook/app.log
  install -m 755 "$SRC/bin/plotbook-backup" /usr/local/sbin/
  install -m 644 "$SRC/conf/cron.d-plotbook" /etc/cron.d/plotbook
  # the emperor's vassals: plotbook.ini belongs to the app account (the release job edits it)
  install -d -m 755 /etc/uwsgi-emperor $V
  install -o plotbook -g plotbook -m 644 "$SRC/conf/plotbook.ini" $V/plotbook.ini
  install -m 644 "$SRC/conf/plotdues.ini" $V/plotdues.ini
  # release 2.4.1, as alice copied it to the machine
  local b; b=$(mktemp -d)
  cp -r "$SRC/day/release-2.4.1/." "$b/"
  tar -czf /var/tmp/plotbook-2.4.1.tar.gz --owner=0 --group=0 -C "$b" .
  chown alice:alice /var/tmp/plotbook-2.4.1.tar.gz; chmod 644 /var/tmp/plotbook-2.4.1.tar.gz
  rm -rf "$b"
  install -m 644 "$SRC/conf/nginx-plotbook.conf" /etc/nginx/sites-available/lab-plotbook
  ln -sf /etc/nginx/sites-available/lab-plotbook /etc/nginx/sites-enabled/lab-plotbook
  : > /var/log/plotbook/access.log
  nginx -t -q
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  # the emperor (root, in the foreground in its own session: the pid recorded is the emperor's)
  if ! pid_alive $EMPEROR; then
    log "starting the uWSGI emperor (root; vassals plotbook, plotdues)"
    setsid env -i "${SVC_ENV[@]}" HOME=/root /usr/bin/uwsgi-core --emperor $V --emperor-pidfile /run/plotbook/emperor.pid \
      < /dev/null >> /var/log/plotbook/emperor.log 2>&1 &
    echo $! > $EMPEROR
  fi
  local i
  for i in $(seq 1 100); do [ -S /run/plotbook/app.sock ] && [ -S /run/plotdues/dues.sock ] && break; sleep 0.2; done
  for i in $(seq 1 50); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8250/healthz | grep -q 200 && break; sleep 0.3; done
  touch -d '-10 min' $P/app/tmp/restart.txt; chown plotbook:plotbook $P/app/tmp/restart.txt
  /usr/local/sbin/plotbook-backup > /dev/null
  log "plotbook: emperor $(cat $EMPEROR), $(curl -s http://127.0.0.1:8250/healthz | head -n 1)"
}

clean_plotbook() {
  set +e
  stop_pidfile $EMPEROR uwsgi-emperor
  sleep 1
  kill_leftover 0 'sa-collect|uwsgi-core|/run/.sysstat'
  kill_leftover $PB_UID '.'
  kill_leftover $PC_UID '.'
  rm -rf $P /srv/plotdues /var/lib/plotbook /var/log/plotbook /var/backups/plotbook /run/plotbook /run/plotdues /etc/uwsgi-emperor \
    /usr/local/lib/sysstat /run/.sa-collect.lock /run/.sysstat.sock /dev/shm/.pb
  rm -f /etc/cron.d/plotbook /usr/local/sbin/plotbook-backup /var/tmp/plotbook-2.4.1.tar.gz \
    /etc/nginx/sites-enabled/lab-plotbook /etc/nginx/sites-available/lab-plotbook
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  local u
  for u in plotbook plotcash; do
    getent passwd $u >/dev/null && userdel -r $u 2>/dev/null
    getent group $u >/dev/null && groupdel $u
  done
  if [ "${1:-}" != keep-packages ] && [ -s $PKGS ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
  fi
}

case "${1:-}" in
  install) install_plotbook ;;
  clean) clean_plotbook "${2:-}" ;;
  *) echo "usage: $0 install|clean [keep-packages]" >&2; exit 2 ;;
esac
