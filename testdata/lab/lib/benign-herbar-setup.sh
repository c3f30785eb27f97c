#!/bin/bash
# shellcheck shell=bash
# The herbarium's innocent day (scenario-benign-herbar, held out by
# lab-benign9): root-side functions, sourced by the scenario (or run
# directly: `lib/benign-herbar-setup.sh install|clean`, under the lab lock).
#   hbday_install  the account herbar 2091; herbard (Go, net/http) built with
#                  the Go toolchain in /usr/local/go from testdata/lab/herbar/app
#                  (the binary is never committed); /srv/herbar/{bin,data,wiki,
#                  public,log}; the wiki a git repository of herbar's; the
#                  off-site key (herbar's ~/.ssh/id_offsite, accepted by
#                  labremote with `restrict`: the off-site host is a remote
#                  party); the front server: Apache 2.4 with mod_proxy + mod_ssl
#                  (/etc/apache2/herbar-front.conf, www-data, 127.0.0.1:8131 and
#                  :8132 with a certificate that expires in 5 days); root's
#                  certificate renewal hook and its daily cron.d line (at the
#                  minute $HB_RENEW_AT, "MM HH"); herbar's crontab (public
#                  statistics into the web root); the package herbar-tools 1.0
#                  (dpkg -i of a .deb built here); both servers started in
#                  their own session (pid files $RUN/herbar-*.pid)
#   hbday_clean    both stopped by pid, everything above and everything the
#                  day adds removed (odile's account, herbar-probe and its
#                  cron.d file, herbar-tools purged, /etc backups made after
#                  install), the account herbar deleted
HB_UID=2091
HB=/srv/herbar
HB_KEEP=/var/lib/lab/herbar
HB_SRC=${LAB_DIR:-.}/herbar

# hb_deb VERSION OUT: the herbar-tools package of that version
hb_deb() {
  local v=$1 out=$2 d
  d=$(mktemp -d)
  install -d "$d/DEBIAN" "$d/usr/bin"
  sed "s/@VERSION@/$v/" "$HB_SRC/day/herbar-tools/control" > "$d/DEBIAN/control"
  sed "s/@VERSION@/$v/" "$HB_SRC/day/herbar-tools/postinst" > "$d/DEBIAN/postinst"
  install -m 755 "$HB_SRC/day/herbar-tools/postrm" "$d/DEBIAN/postrm"
  chmod 755 "$d/DEBIAN/postinst"
  sed "s/@VERSION@/$v/" "$HB_SRC/day/herbar-tools/herbar-fsck" > "$d/usr/bin/herbar-fsck"
  chmod 755 "$d/usr/bin/herbar-fsck"
  dpkg-deb --root-owner-group -Zgzip --build "$d" "$out" > /dev/null
  rm -rf "$d"
}

hbday_install() {
  local p
  for p in apache2 imagemagick groff-base ghostscript git rsync file netcat-openbsd wget; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || die "package $p missing"
  done
  [ -x /usr/local/go/bin/go ] || die "go missing (/usr/local/go: herbard is built at install time)"
  stop_pidfile "$RUN/herbar-front.pid" apache2-herbar
  stop_pidfile "$RUN/herbard.pid" herbard
  lab_account herbar $HB_UID
  install -d -m 755 "$HB_KEEP"
  touch "$HB_KEEP/installed"   # the /etc backups the day makes are newer

  rm -rf "$HB"
  install -d -o herbar -g herbar -m 755 "$HB" "$HB/public" "$HB/public/static" "$HB/public/thumbs"
  install -d -o herbar -g herbar -m 750 "$HB/bin" "$HB/log" "$HB/data" "$HB/data/scans" "$HB/data/loans" \
    "$HB/data/labels" "$HB/data/exports"
  log "building herbard (go build)"
  ( cd "$HB_SRC/app" && env -i PATH=/usr/local/go/bin:/usr/bin:/bin HOME=/root GOTOOLCHAIN=local CGO_ENABLED=0 \
      GOCACHE=/var/cache/lab-herbar-gocache GOFLAGS=-mod=mod /usr/local/go/bin/go build -trimpath -o "$HB/bin/herbard" . )
  chown herbar:herbar "$HB/bin/herbard"; chmod 750 "$HB/bin/herbard"
  install -o herbar -g herbar -m 755 "$HB_SRC/bin/herbar-stats" "$HB/bin/"
  cp -r "$HB_SRC/data/records" "$HB/data/records"
  chown -R herbar:herbar "$HB/data/records"
  install -o herbar -g herbar -m 644 "$HB_SRC/conf/herbar.css" "$HB/public/static/herbar.css"
  printf 'User-agent: *\nDisallow: /export\nDisallow: /admin/\n' > "$HB/public/robots.txt"
  chown herbar:herbar "$HB/public/robots.txt"
  # the curators' wiki: a git repository of herbar's
  install -d -o herbar -g herbar -m 750 "$HB/wiki"
  runuser -u herbar -- git -C "$HB/wiki" init -q -b main
  for p in collecting-guide loans-policy mounting fumigation; do
    printf '# %s\n\nFirst version, copied from the binder.\n' "$p" > "$HB/wiki/$p.md"
  done
  chown herbar:herbar "$HB/wiki"/*.md
  runuser -u herbar -- git -C "$HB/wiki" add -A
  runuser -u herbar -- git -C "$HB/wiki" -c user.name='Marta Keller' -c user.email=marta.keller@herbarium.lab.local commit -qm 'wiki from the binder'
  runuser -u herbar -- "$HB/bin/herbar-stats"

  # the off-site copy: herbar's key, accepted by the off-site host (labremote)
  install -d -o herbar -g herbar -m 700 /home/herbar/.ssh
  rm -f /home/herbar/.ssh/id_offsite /home/herbar/.ssh/id_offsite.pub
  runuser -u herbar -- ssh-keygen -q -t ed25519 -N '' -C 'herbar@herbarium offsite' -f /home/herbar/.ssh/id_offsite
  ssh-keyscan -t ed25519 127.0.0.1 2> /dev/null > /home/herbar/.ssh/known_hosts
  chown herbar:herbar /home/herbar/.ssh/known_hosts
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh /home/labremote/herbar-offsite
  [ -e /home/labremote/.ssh/authorized_keys ] && [ ! -e "$HB_KEEP/labremote.authorized_keys" ] && \
    cp -p /home/labremote/.ssh/authorized_keys "$HB_KEEP/labremote.authorized_keys"
  printf 'restrict,from="127.0.0.1" %s\n' "$(cat /home/herbar/.ssh/id_offsite.pub)" >> /home/labremote/.ssh/authorized_keys
  chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys

  install -d -m 750 -g herbar /etc/herbar
  install -m 640 -g herbar "$HB_SRC/conf/herbar.env" /etc/herbar/herbard.env
  crontab -u herbar "$HB_SRC/conf/herbar.crontab"

  # the front server, its first certificate (5 days left) and the renewal hook
  install -d -m 755 /etc/apache2/herbar-tls /var/log/herbar-front
  openssl req -x509 -newkey rsa:2048 -nodes -days 5 -subj "/CN=herbarium.lab.local" \
    -keyout /etc/apache2/herbar-tls/herbar-initial.key -out /etc/apache2/herbar-tls/herbar-initial.crt 2> /dev/null
  chmod 600 /etc/apache2/herbar-tls/herbar-initial.key
  install -m 644 "$HB_SRC/conf/apache-herbar.conf" /etc/apache2/herbar-front.conf
  sed -i 's|^ProxyPass /stats.json !|&\nProxyPass /robots.txt !|' /etc/apache2/herbar-front.conf
  install -m 755 "$HB_SRC/bin/herbar-cert-renew" /usr/local/sbin/herbar-cert-renew
  sed "s|^\* \* \* \* \* root|${HB_RENEW_AT:-17 3} * * * root|" "$HB_SRC/conf/cron.d-herbar-certs" > /etc/cron.d/herbar-certs
  chmod 644 /etc/cron.d/herbar-certs
  install -d -m 755 "$RUN/herbar-front"
  apache2 -t -f /etc/apache2/herbar-front.conf

  # herbar-tools 1.0, as the office's package mirror shipped it last month
  hb_deb 1.0 "$HB_KEEP/herbar-tools_1.0_all.deb"
  dpkg -i "$HB_KEEP/herbar-tools_1.0_all.deb" > /dev/null

  hbday_start
}

hbday_start() {
  install -d -m 755 "$RUN" "$RUN/herbar-front"
  if ! pid_alive "$RUN/herbard.pid"; then
    log "starting herbard (herbar, 127.0.0.1:9131)"
    # shellcheck disable=SC2046
    setsid env -i "${SVC_ENV[@]}" HOME=/home/herbar USER=herbar LOGNAME=herbar $(grep -E '^[A-Z_]+=' /etc/herbar/herbard.env) \
      setpriv --reuid=$HB_UID --regid=$HB_UID --init-groups "$HB/bin/herbard" \
      < /dev/null >> "$HB/log/herbard.out" 2>&1 &
    echo $! > "$RUN/herbard.pid"
  fi
  if ! pid_alive "$RUN/herbar-front.pid"; then
    log "starting apache2 (herbarium front, mod_proxy)"
    setsid env -i "${SVC_ENV[@]}" /usr/sbin/apache2 -f /etc/apache2/herbar-front.conf -DFOREGROUND \
      < /dev/null >> /var/log/herbar-front/apache2.out 2>&1 &
    echo $! > "$RUN/herbar-front.pid.lab"
  fi
  wait_port 9131; wait_port 8131; wait_port 8132
}

hbday_clean() {
  set +e
  local p
  # Apache writes its own pid file (PidFile); the one the lab wrote is the same pid
  [ -s "$RUN/herbar-front.pid.lab" ] && stop_pidfile "$RUN/herbar-front.pid.lab" apache2-herbar
  stop_pidfile "$RUN/herbar-front.pid" apache2-herbar
  stop_pidfile "$RUN/herbard.pid" herbard
  kill_leftover $HB_UID 'herbard|rsync|ssh|sh|tar|convert|git|sleep'
  crontab -u herbar -r 2> /dev/null
  rm -f /etc/cron.d/herbar-certs /etc/cron.d/herbar-probe /usr/local/sbin/herbar-cert-renew /usr/local/bin/herbar-probe \
    /etc/apache2/herbar-front.conf /tmp/herbar-tools_*.deb
  rm -rf /etc/apache2/herbar-tls /var/log/herbar-front /var/lib/herbar-probe /etc/herbar "$RUN/herbar-front" \
    /var/cache/lab-herbar-gocache /home/labremote/herbar-offsite
  rm -f /tmp/herbar-label-*.tr
  dpkg-query -W herbar-tools > /dev/null 2>&1 && dpkg --purge herbar-tools > /dev/null
  if [ -e "$HB_KEEP/installed" ]; then
    find /var/backups -maxdepth 1 -name 'etc-*.tar.gz' -newer "$HB_KEEP/installed" -delete
  fi
  # labremote's authorized_keys as it was (none before the first install)
  if [ -e "$HB_KEEP/labremote.authorized_keys" ]; then
    cp -p "$HB_KEEP/labremote.authorized_keys" /home/labremote/.ssh/authorized_keys
  elif [ -e /home/labremote/.ssh/authorized_keys ]; then
    sed -i '/herbar@herbarium offsite/d' /home/labremote/.ssh/authorized_keys
    [ -s /home/labremote/.ssh/authorized_keys ] || rm -f /home/labremote/.ssh/authorized_keys
  fi
  rm -rf "$HB" "$HB_KEEP"
  for p in odile herbar; do
    kill_leftover "$(id -u "$p" 2> /dev/null || echo none)" '.'
    getent passwd "$p" > /dev/null && userdel -r "$p" 2> /dev/null
    getent group "$p" > /dev/null && groupdel "$p" 2> /dev/null
  done
  set -e
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  LAB_DIR=$(cd "$(dirname "$0")/.." && pwd)
  HB_SRC=$LAB_DIR/herbar
  . "$LAB_DIR/lib/common.sh"
  need_root
  case "${1:-}" in
    install) hbday_install ;;
    clean) hbday_clean ;;
    *) echo "usage: $0 install|clean" >&2; exit 2 ;;
  esac
fi
