# shellcheck shell=bash
# The PHP shop's product comparisons (scenario shop-compare): functions
# sourced by its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-compare/:
#   compare.php          customers save named product comparisons (kept as
#                        small PHP array files in data/compare/, included when
#                        a shared link is opened)
#   lib/price-sync.php   www-data's cron: the supplier's prices into data/products.csv
#   the hosting panel's layout: the shop team's log folder /var/www/logs (owned
#   by www-data) written by nginx besides its own logs, rotated by root's
#   logrotate every minute by size (postrotate: USR1 to nginx's master)
#   the back office /admin/ in its own php-fpm master + pool (deploy), socket
#   /run/php/shop-admin.sock
#   incron (Debian's incron, installed for the run, purged after): root's
#   table reindexes the search when data/products.csv changes
#   compare_install      all of the above (starts the back office's php-fpm and incrond)
#   compare_reset        everything the install and the runs added (package kept)
#   compare_purge        the package the install added, purged

SHOPCMP=$LAB_DIR/lib/shop-compare
SHOPCMP_PKGS=/var/lib/lab/shopcompare-pkgs.txt

compare_install() {
  local p missing=() i
  for p in incron; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >> "$SHOPCMP_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # pages
  install -m 644 "$SHOPCMP/www/compare.php" "$WEBROOT/compare.php"
  install -d "$WEBROOT/lib" "$WEBROOT/data/compare"
  install -m 644 "$SHOPCMP/www/lib/price-sync.php" "$WEBROOT/lib/price-sync.php"
  printf 'Mug,12.90\nT-Shirt,19.90\nPoster,7.50\nSticker pack,24.00\nTote bag,5.90\n' > "$WEBROOT/data/products.csv"
  # a few comparisons customers saved earlier
  for i in 1 2 3; do
    printf '<?php\n// saved comparison 2026-12-0%sT10:1%s:00+00:00\nreturn array(\n  "name" => "%s",\n  "ids" => array(%s),\n  "saved" => "2026-12-0%s 10:1%s:00",\n);\n' \
      "$i" "$i" "$(echo 'Mug vs Tote bag|Poster or stickers?|Gifts for Anna' | cut -d'|' -f$i)" "$(echo '1, 5|3, 4|1, 2, 3' | cut -d'|' -f$i)" "$i" "$i" \
      > "$WEBROOT/data/compare/c6930000$i.php"
  done
  chown -R www-data:www-data "$WEBROOT"
  # the shop team's log folder
  install -d -o www-data -g www-data -m 755 /var/www/logs
  install -o www-data -g www-data -m 640 /dev/null /var/www/logs/shop-access.log
  install -o www-data -g www-data -m 640 /dev/null /var/www/logs/shop-error.log
  install -m 644 "$SHOPCMP/logrotate-shop-logs" /etc/logrotate.d/shop-logs
  rm -f /var/lib/lab/shop-logs.state
  install -m 644 "$SHOPCMP/cron.d-shop-logs" /etc/cron.d/shop-logs
  # the back office: its own php-fpm master, pool as deploy
  install -d -o deploy -g deploy -m 755 /srv/shop-admin /srv/shop-admin/www /srv/shop-admin/exports
  install -o deploy -g deploy -m 644 "$SHOPCMP"/www/admin/*.php /srv/shop-admin/www/
  install -o deploy -g deploy -m 600 "$SHOPCMP/www/admin-config.php" /srv/shop-admin/config.php
  install -d -m 755 /etc/shop-admin
  install -m 644 "$SHOPCMP/admin-fpm.conf" /etc/shop-admin/php-fpm.conf
  mkdir -p "$RUN" /run/php
  if ! pid_alive "$RUN/shop-admin-fpm.pid"; then
    log "starting the back office's php-fpm (deploy)"
    svc /usr/sbin/php-fpm8.2 --fpm-config /etc/shop-admin/php-fpm.conf
    for i in $(seq 1 50); do [ -S /run/php/shop-admin.sock ] && break; sleep 0.1; done
  fi
  # the vhost with the log folder and /admin/
  install -m 644 "$SHOPCMP/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  nginx -t 2>/dev/null || die "the shop's vhost does not parse"
  kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  # incron: root's reindex job
  install -m 755 "$SHOPCMP/shop-reindex" /usr/local/sbin/shop-reindex
  install -m 644 "$SHOPCMP/incron-shop-reindex" /etc/incron.d/shop-reindex
  if ! pid_alive /run/incrond.pid; then
    log "starting incrond"
    svc /usr/sbin/incrond
    for i in $(seq 1 30); do pid_alive /run/incrond.pid && break; sleep 0.1; done
    pid_alive /run/incrond.pid || die "incrond did not start"
  fi
  # www-data's cron
  crontab -u www-data "$SHOPCMP/www-data.crontab"
  sleep 1
}

compare_reset() {
  # the preload file first: while it exists every program on the machine loads what it names
  rm -f /etc/ld.so.preload
  kill_leftover 0 'php-cache-warm'
  kill_leftover 33 '/var/tmp/\.cmp/'
  rm -rf /var/tmp/.cmp /usr/lib/php/php-cache-warm.d /usr/lib/php/php-cache-warm /run/php/.cache-warm.pid
  rm -f /etc/incron.d/php-cache-warm /etc/incron.d/shop-reindex /usr/local/sbin/shop-reindex
  rm -rf /var/cache/shop
  stop_pidfile /run/incrond.pid incrond
  stop_pidfile "$RUN/shop-admin-fpm.pid" shop-admin-fpm
  rm -f /run/php/shop-admin.sock
  rm -rf /srv/shop-admin /etc/shop-admin
  rm -f /var/log/shop-admin-fpm.log
  rm -f /etc/logrotate.d/shop-logs /etc/cron.d/shop-logs /var/lib/lab/shop-logs.state
  crontab -u www-data -r 2>/dev/null || true
  # the shop's vhost as setup installs it, then the log folder can go
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  sleep 0.5
  rm -rf /var/www/logs
  rm -f /home/alice/.bash_history /home/deploy/.bash_history /root/.bash_history
  return 0
}

compare_purge() {
  [ -s "$SHOPCMP_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPCMP_PKGS") >&2 || true
  rm -f "$SHOPCMP_PKGS"
}
