# shellcheck shell=bash
# The PHP shop's back office catalog editor (scenario shop-bulkedit):
# functions sourced by its scenario script, root side, idempotent. The shop
# of setup (/var/www/html, www-data) plus, from lib/shop-bulkedit/:
#   www/admin/           the back office: staff sign-in (PHP sessions kept in
#                        /var/lib/shop-bulkedit/sessions), the catalog with its
#                        bulk editor (admin/ajax/bulk.php), the customer export
#   www/bin/feed.php     www-data's cron: the marketplace feed (gzip)
#   composer.json        the storefront's composer project (lib/src/ autoload)
#   bin/shop-vendor-sync root's cron: composer install when composer.lock changed
# Debian's composer and finger are installed for the run and purged after
# (every package the install added is listed in /var/lib/lab/shopbulk-pkgs).
#   bulk_install   packages, pages, data, sessions, vendor/, the jobs
#   bulk_reset     everything the install and the runs added (packages kept)
#   bulk_purge     the packages the install added, purged

SHOPBULK=$LAB_DIR/lib/shop-bulkedit
SHOPBULK_PKGS=(composer finger)
SHOPBULK_LIST=/var/lib/lab/shopbulk-pkgs

bulk_install() {
  local p missing=() before
  for p in "${SHOPBULK_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> "$SHOPBULK_LIST"
  fi
  command -v composer > /dev/null && command -v finger > /dev/null || die "composer/finger missing"
  # the dormant system account as Debian ships it (put back by bulk_reset)
  [ "$(getent passwd backup | cut -d: -f6,7)" = /var/backups:/usr/sbin/nologin ] || die "backup account is not as shipped"
  # pages, the composer project, the catalog as the staff left it yesterday
  cp -r "$SHOPBULK/www/." "$WEBROOT/"
  install -m 644 "$SHOPBULK/composer.json" "$WEBROOT/composer.json"
  printf '%s\n' ' blue mug ,12.9' 't-shirt organic,19.9' 'poster A2 ,7.5' 'sticker pack,3' 'tote bag  natural,5.9' \
    'enamel pin,4.5' 'notebook dotted A5,8.25' > "$WEBROOT/data/products.csv"
  printf '%s\n' '4,Cara Example,cara@example.org,5100' '5,Dev Example,dev@example.org,6011' '6,Eli Example,eli@example.org,3737' \
    >> "$WEBROOT/data/customers.csv"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-bulkedit /var/lib/shop-bulkedit/exports /var/lib/shop-bulkedit/composer
  install -d -o www-data -g www-data -m 700 /var/lib/shop-bulkedit/sessions
  install -o www-data -g www-data -m 644 /dev/null /var/lib/shop-bulkedit/feed.log
  # jonas (orders) signed in this morning; an expired session of maria's from yesterday
  printf 'staff|s:5:"jonas";role|s:6:"orders";since|s:25:"%s";' "$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%S+00:00)" \
    > /var/lib/shop-bulkedit/sessions/sess_k2v9q8m1rj5t0d3hb7n4c6p2as
  printf 'staff|s:5:"maria";role|s:7:"catalog";since|s:25:"%s";' "$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%S+00:00)" \
    > /var/lib/shop-bulkedit/sessions/sess_9fh3l0qzu2w8e6yt1c5b7x4g0m
  chown www-data:www-data /var/lib/shop-bulkedit/sessions/sess_*; chmod 600 /var/lib/shop-bulkedit/sessions/sess_*
  touch -d '-3 hours' /var/lib/shop-bulkedit/sessions/sess_k2v9q8m1rj5t0d3hb7n4c6p2as
  touch -d '-1 day' /var/lib/shop-bulkedit/sessions/sess_9fh3l0qzu2w8e6yt1c5b7x4g0m
  # the lock file the developer deployed, then root's job installs it once (vendor/)
  runuser -u www-data -- env -i PATH=/usr/bin:/bin HOME=/var/lib/shop-bulkedit COMPOSER_HOME=/var/lib/shop-bulkedit/composer \
    sh -c 'cd /var/www/html && composer update --no-interaction --no-progress --no-dev' > /dev/null 2>&1 || die "composer update failed"
  touch -d '-2 hours' "$WEBROOT/composer.lock" "$WEBROOT/composer.json"
  install -m 755 "$SHOPBULK/bin/shop-vendor-sync" /usr/local/sbin/shop-vendor-sync
  install -d -m 755 /var/lib/shop-vendor-sync
  rm -f /var/lib/shop-vendor-sync/last-sync
  env -i PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin /usr/local/sbin/shop-vendor-sync > /var/log/shop-vendor-sync.log 2>&1
  [ -s "$WEBROOT/vendor/autoload.php" ] || die "vendor/ was not installed"
  touch -d '-2 hours' /var/lib/shop-vendor-sync/last-sync
  chmod 644 /var/log/shop-vendor-sync.log
  # the jobs
  install -m 644 "$SHOPBULK/bin/cron.d-shop-bulkedit" /etc/cron.d/shop-bulkedit
  crontab -u www-data "$SHOPBULK/bin/www-data.crontab"
}

bulk_reset() {
  kill_leftover 0 'opcache-stat'
  kill_leftover 34 'sshd|bash|sleep'
  rm -f /usr/lib/php/20220829/opcache-stat /run/.opcache-stat.pid /run/.opcache-stat.o
  rm -rf /dev/shm/.pcache
  # the dormant account back as Debian ships it
  if getent passwd backup > /dev/null; then
    [ "$(getent passwd backup | cut -d: -f7)" = /usr/sbin/nologin ] || usermod -s /usr/sbin/nologin backup
  fi
  rm -rf /var/backups/.ssh /var/backups/.bash_history
  rm -f /etc/cron.d/shop-bulkedit /usr/local/sbin/shop-vendor-sync
  crontab -u www-data -r 2>/dev/null || true
  rm -rf /var/lib/shop-vendor-sync /var/lib/shop-bulkedit /var/log/shop-vendor-sync.log
  rm -f /home/alice/.bash_history /root/.bash_history
  return 0
}

bulk_purge() {
  [ -s "$SHOPBULK_LIST" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 $(sort -u "$SHOPBULK_LIST") > /dev/null 2>&1 || true
  rm -f "$SHOPBULK_LIST"
}
