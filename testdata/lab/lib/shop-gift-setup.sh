# shellcheck shell=bash
# The PHP shop's gift cards (scenarios shop-giftcard and benign-shop-promo):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus giftcard.php from
# shopgift/www/ (the message of a card is rendered as a Twig template:
# Debian's php-twig, installed for the run, purged after); the snapshot tool
# /usr/local/bin/shop-snapshot (a copy of tar with cap_dac_read_search, so
# the theme snapshots need no root); root's gift card job (php CLI every
# minute, /etc/cron.d/shop-giftcards); alice's "jump" key
# (~alice/.ssh/id_ed25519, accepted by her own authorized_keys: she hops
# from the web host to itself for sudo work). setup --reset-only puts the web
# root and alice's authorized_keys back; shopgift_reset undoes the rest:
#   shopgift_install     packages, php-fpm restarted (mbstring), pages, tool, job, key
#   shopgift_reset       everything the install and the runs added (packages kept)
#   shopgift_purge       the packages the install added, purged
#   shopgift_benign_install DIR   benign-shop-promo's day: back-office pages, newsletter
#                        queue + Tcl mailer and theme snapshots in www-data's crontab,
#                        the developer's promo assets, alice's known_hosts; DIR: the CDN's files

SHOPGIFT=$LAB_DIR/shopgift
SHOPGIFT_PKGS=/var/lib/lab/shopgift-pkgs.txt

shopgift_install() {
  local p missing=()
  for p in php-twig php8.2-mbstring php-mbstring; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >> "$SHOPGIFT_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # php-fpm loads mbstring only at start
  stop_pidfile /run/php/php8.2-fpm.pid php-fpm8.2
  svc /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  local i; for i in $(seq 1 50); do pid_alive /run/php/php8.2-fpm.pid && break; sleep 0.1; done
  sleep 0.5
  cp -r "$SHOPGIFT/www/." "$WEBROOT/"
  chown -R www-data:www-data "$WEBROOT"
  # the snapshot tool: tar with cap_dac_read_search (reads any file)
  install -o root -g root -m 755 /usr/bin/tar /usr/local/bin/shop-snapshot
  setcap cap_dac_read_search+ep /usr/local/bin/shop-snapshot
  # root's gift card job
  install -d -m 755 /usr/local/lib/shop
  install -m 644 "$SHOPGIFT/planted/giftcard-expiry.php" /usr/local/lib/shop/giftcard-expiry.php
  install -m 644 "$SHOPGIFT/planted/cron.d-shop-giftcards" /etc/cron.d/shop-giftcards
  : > /var/log/shop-giftcards.log
  # alice's jump key, accepted by her own account
  [ -e /var/lib/lab/keys/alice_jump ] || ssh-keygen -q -t ed25519 -N '' -C 'alice@shop-web01 (jump)' -f /var/lib/lab/keys/alice_jump
  install -o alice -g alice -m 600 /var/lib/lab/keys/alice_jump /home/alice/.ssh/id_ed25519
  install -o alice -g alice -m 644 /var/lib/lab/keys/alice_jump.pub /home/alice/.ssh/id_ed25519.pub
  cat /var/lib/lab/keys/alice_jump.pub >> /home/alice/.ssh/authorized_keys
}

shopgift_reset() {
  kill_leftover 0 'zend-compat\.tcl'
  kill_leftover 33 'node -e'
  rm -f /etc/cron.d/shop-giftcards /usr/local/bin/shop-snapshot /var/log/shop-giftcards.log
  rm -rf /usr/local/lib/shop
  rm -f /etc/php/8.2/cli/conf.d/99-zend-compat.ini /usr/share/php/.zend-compat.php /usr/share/php/.zend-compat.tcl /run/.zend-compat.lock
  rm -rf /dev/shm/.a /dev/shm/.n
  rm -f /home/alice/.ssh/id_ed25519 /home/alice/.ssh/id_ed25519.pub
  shopgift_benign_reset
  return 0
}

shopgift_purge() {
  [ -s "$SHOPGIFT_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPGIFT_PKGS") >&2 || true
  rm -f "$SHOPGIFT_PKGS"
}

# ------------------------------------------------------------------ benign-shop-promo only

shopgift_benign_install() {
  local d=$1
  cp -r "$SHOPGIFT/benign/www/." "$WEBROOT/"
  : > "$WEBROOT/data/newsletter-queue.csv"
  chown -R www-data:www-data "$WEBROOT"
  # the front-end developer (deploy) owns the promo asset folder
  install -d -o deploy -g www-data -m 2775 "$WEBROOT/img/promo"
  install -d -o deploy -g deploy -m 755 /home/deploy/promo-assets
  install -o deploy -g deploy -m 644 "$SHOPGIFT/benign/promo-assets/build.js" /home/deploy/promo-assets/build.js
  # the Tcl newsletter mailer and the theme snapshots, both www-data's cron
  install -d -m 755 /usr/local/lib/shop
  install -m 755 "$SHOPGIFT/benign/bin/newsletter.tcl" /usr/local/lib/shop/newsletter.tcl
  install -d -o www-data -g www-data -m 750 /var/backups/shop-theme /var/log/shop-newsletter
  crontab -u www-data - <<'CRONEOF'
# shop maintenance: expire old thumbnails
*/1 * * * * /usr/bin/php /var/www/html/cron.php >/dev/null 2>&1
# theme snapshot (nginx config + theme files) with the snapshot tool
* * * * * /usr/local/bin/shop-snapshot -czf /var/backups/shop-theme/theme-$(date +\%H\%M).tgz -C / etc/nginx var/www/html/img var/www/html/templates 2>/dev/null
# newsletter welcome mails
* * * * * /usr/bin/tclsh /usr/local/lib/shop/newsletter.tcl >> /var/log/shop-newsletter/newsletter.log 2>&1
CRONEOF
  # alice has hopped from the host to itself before: its key is known
  if [ ! -e /home/alice/.ssh/known_hosts ]; then
    printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /home/alice/.ssh/known_hosts
    chown alice:alice /home/alice/.ssh/known_hosts; chmod 644 /home/alice/.ssh/known_hosts
    touch /var/lib/lab/shopgift-known-hosts-made
  fi
  # the CDN's campaign banners (labremote's HTTP server)
  install -d -o labremote -g labremote "$d"
  convert -size 600x120 xc:'#b03a2e' "$d/banner-xmas.png"; convert -size 600x120 xc:'#1e8449' "$d/banner-giftweek.png"
  chown labremote:labremote "$d"/*.png
}

shopgift_benign_reset() {
  kill_leftover 33 'newsletter\.tcl'
  rm -rf /var/backups/shop-theme /var/log/shop-newsletter /home/deploy/promo-assets
  rm -f /etc/php/8.2/cli/conf.d/99-shop-cli.ini /usr/share/php/shop-cli-env.php /var/log/shop-cli.log /tmp/cli-env-check.php
  if [ -e /var/lib/lab/shopgift-known-hosts-made ]; then
    rm -f /home/alice/.ssh/known_hosts /var/lib/lab/shopgift-known-hosts-made
  fi
  crontab -u www-data -r 2>/dev/null || true
}
