#!/bin/bash
# Victim-side install of Kilnworks, a pottery studio's class booking site: PHP 8.2's built-in
# server (php -S 127.0.0.1:9210 with a router script, PHP_CLI_SERVER_WORKERS=2) as kiln 2141 behind
# Caddy 2.6 (as caddy, 127.0.0.1:8210, JSON access log), both run by supervisord 4.2 as root (its own
# config /etc/supervisor/kiln-lab.conf): the stack of scenario-kiln-photourl. As root; idempotent.
#   kiln-setup.sh install   Debian's supervisor and caddy (the packages this install added are
#                           listed in /var/lib/lab/kiln-pkgs.txt), the account, /srv/kiln (the
#                           planted weaknesses: the gallery's link is passed to curl through
#                           escapeshellcmd, which leaves spaces and options alone; the PHP server
#                           runs any .php file under public/, and public/media/ is writable by kiln;
#                           supervisord includes the app's own program folder
#                           /srv/kiln/conf/supervisor.d/ (owned by kiln) and its socket is group
#                           kiln; alice's own key ~/.ssh/id_ed25519 is accepted by alice and deploy),
#                           photos, bookings, two backups in /var/backups/kiln, supervisord started
#                           (pid file)
#   kiln-setup.sh clean     supervisord stopped by pid file (its programs with it), leftovers by
#                           uid + command line (the attack's implant included), every file removed,
#                           alice's key taken back, the account deleted, the listed packages purged
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$LAB_DIR/lib/common.sh"
need_root

SRC=$LAB_DIR/kiln
KILN_UID=2141
S=/srv/kiln
K=$STATE/keys
PKGS=/var/lib/lab/kiln-pkgs.txt
SVP=$RUN/kiln-supervisor.pid

install_packages() {
  [ -x /usr/bin/supervisord ] && [ -x /usr/bin/caddy ] && return 0
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  dpkg-query -W -f='${Package}\n' | sort > /tmp/kiln-pkgs.before
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends supervisor caddy >/dev/null
  dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/kiln-pkgs.before - >> $PKGS
  rm -f /tmp/kiln-pkgs.before
  log "installed $(wc -l < $PKGS) packages (supervisor, caddy and their dependencies)"
}

install_kiln() {
  install_packages
  lab_account kiln $KILN_UID
  stop_pidfile $SVP kiln-supervisord
  rm -rf $S /var/lib/kiln /var/log/kiln /var/backups/kiln
  install -d -m 755 $S $S/conf $S/data $S/data/photos $S/uploads $S/uploads/gallery /var/lib/kiln /var/lib/kiln/cache /var/log/kiln /var/backups/kiln
  cp -a "$SRC/app" $S/app; cp -a "$SRC/public" $S/public
  cp -a "$SRC/conf/supervisor.d" $S/conf/supervisor.d
  sed -e "s|@MAILPW@|$(head -c 18 /dev/urandom | base64 | tr -d '/+=')|" \
      -e "s|@PAYKEY@|sk_test_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')|" "$SRC/conf/kiln.ini" > $S/conf/kiln.ini
  install -m 644 "$SRC/data/classes.json" $S/data/classes.json
  local c i col=("#8a5a44" "#3f6e73" "#b08d57" "#6b4f7a" "#5f7f4a")
  i=0
  for c in wheel-intro handbuild glaze-lab raku-day kids-clay; do
    /usr/bin/convert -size 900x600 "xc:${col[$i]}" -fill '#f3ede4' -draw 'circle 450,300 450,120' "$S/data/photos/$c.jpg"; i=$((i + 1))
  done
  for c in g0901a1 g0915b2 g1002c3; do
    /usr/bin/convert -size 700x700 xc:'#d9cbb8' -fill '#7a4b35' -draw 'ellipse 350,380 180,240 0,360' "$S/uploads/gallery/$c.jpg"
  done
  # the season's bookings (names and addresses made up)
  $PY - $S/data/bookings.csv <<'PY'
import csv, random, sys
random.seed(2141)
first = "Ada Ben Cleo Dara Emil Fay Gus Hana Ivo Jun Kit Lia Mo Nia Oli Pia Quin Rua Sol Tam".split()
last = "Ashby Brook Carew Dunn Ellis Frame Gale Hart Ingram Jolly Keane Lowe Marsh Noble Orr".split()
cls = ["wheel-intro", "handbuild", "glaze-lab", "raku-day", "kids-clay"]
with open(sys.argv[1], "w", newline="") as fh:
    w = csv.writer(fh)
    for i in range(2400):
        f, l = random.choice(first), random.choice(last)
        w.writerow(["2026-%02d-%02dT%02d:%02d:00+00:00" % (1 + i % 11, 1 + i % 28, 8 + i % 12, i % 60), random.choice(cls),
                    f + " " + l, "%s.%s%d@mail.example" % (f.lower(), l.lower(), i % 97), "+44 7700 9%05d" % random.randrange(100000)])
PY
  : > $S/data/gallery.log
  chown -R kiln:kiln $S/app $S/public $S/data $S/uploads $S/conf/supervisor.d /var/lib/kiln
  chown root:kiln $S/conf/kiln.ini; chmod 640 $S/conf/kiln.ini
  # the nightly backups (two kept)
  tar -czf /var/backups/kiln/kiln-2026-12-03.tar.gz -C / srv/kiln/data srv/kiln/conf 2>/dev/null
  tar -czf /var/backups/kiln/kiln-2026-12-04.tar.gz -C / srv/kiln/data srv/kiln/conf srv/kiln/uploads 2>/dev/null
  chmod 600 /var/backups/kiln/*.tar.gz
  install -m 644 "$SRC/conf/supervisord.conf" /etc/supervisor/kiln-lab.conf
  install -m 644 "$SRC/conf/Caddyfile" /etc/supervisor/kiln-Caddyfile
  install -d -m 755 /etc/supervisor/conf.d
  touch /var/log/kiln/access.log; chown caddy:caddy /var/log/kiln/access.log
  touch /var/log/kiln/php-server.log
  # the admin's own key: accepted by deploy and by alice herself (she hops through the bastion name)
  [ -e $K/alice_kiln ] || ssh-keygen -q -t ed25519 -N '' -C 'alice@kiln-studio' -f $K/alice_kiln
  install -o alice -g alice -m 600 $K/alice_kiln /home/alice/.ssh/id_ed25519
  install -o alice -g alice -m 644 $K/alice_kiln.pub /home/alice/.ssh/id_ed25519.pub
  grep -q 'alice@kiln-studio$' /home/deploy/.ssh/authorized_keys || cat $K/alice_kiln.pub >> /home/deploy/.ssh/authorized_keys
  grep -q 'alice@kiln-studio$' /home/alice/.ssh/authorized_keys || cat $K/alice_kiln.pub >> /home/alice/.ssh/authorized_keys
  if ! pid_alive $SVP; then
    log "starting supervisord (kiln: caddy as caddy, php -S as kiln)"
    setsid env -i "${SVC_ENV[@]}" /usr/bin/supervisord -n -c /etc/supervisor/kiln-lab.conf \
      < /dev/null >> /var/log/kiln/supervisord.out 2>&1 &
    echo $! > $SVP
  fi
  wait_port 9210; wait_port 8210
}

clean_kiln() {
  set +e
  stop_pidfile $SVP kiln-supervisord
  kill_leftover 0 'kcache|kiln-cache|/var/tmp/\.kw'
  kill_leftover $KILN_UID '.'
  getent passwd caddy >/dev/null && kill_leftover "$(id -u caddy)" 'kiln-Caddyfile'
  rm -rf $S /var/lib/kiln /var/log/kiln /var/backups/kiln /usr/local/lib/kiln-cache /var/tmp/.kw /dev/shm/.kc /run/lab/kiln-supervisor.sock
  rm -f /etc/supervisor/kiln-lab.conf /etc/supervisor/kiln-Caddyfile /etc/supervisor/conf.d/kiln-cache.conf
  rm -f /home/alice/.ssh/id_ed25519 /home/alice/.ssh/id_ed25519.pub /home/alice/.ssh/known_hosts
  sed -i '/alice@kiln-studio$/d' /home/deploy/.ssh/authorized_keys /home/alice/.ssh/authorized_keys
  rm -f $K/alice_kiln $K/alice_kiln.pub /root/.ssh/known_hosts.kiln
  getent passwd kiln >/dev/null && userdel -r kiln 2>/dev/null
  getent group kiln >/dev/null && groupdel kiln
  if [ -s $PKGS ]; then
    local own_caddy=0
    grep -qx caddy $PKGS && own_caddy=1
    DEBIAN_FRONTEND=noninteractive apt-get purge -y $(cat $PKGS) >/dev/null 2>&1 && log "purged $(wc -l < $PKGS) packages" && rm -f $PKGS
    # the caddy package's postinst made a system account (and put it in www-data); its purge keeps it
    if [ $own_caddy = 1 ] && ! [ -x /usr/bin/caddy ]; then
      getent passwd caddy >/dev/null && userdel caddy 2>/dev/null
      getent group caddy >/dev/null && groupdel caddy 2>/dev/null
      rm -rf /var/lib/caddy /etc/caddy 2>/dev/null
    fi
  fi
  rmdir /etc/supervisor/conf.d /etc/supervisor 2>/dev/null
  set -e
}

case "${1:-}" in
  install) install_kiln ;;
  clean) clean_kiln ;;
  *) echo "usage: $0 install|clean" >&2; exit 2 ;;
esac
