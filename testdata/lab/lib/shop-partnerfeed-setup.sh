# shellcheck shell=bash
# The PHP shop's partner API and storefront themes (scenario shop-partnerfeed):
# functions sourced by its scenario script, root side, idempotent. The shop of
# setup (/var/www/html, www-data) plus, from lib/shop-partnerfeed/:
#   www/api/partner.php    the partner API (JSON): the supplier's stock sync,
#                          product edits and the agency's feed exports into feeds/
#   www/admin/themes.php   the back office's theme upload (into themes/incoming/)
#   shop-theme-install     root's cron job installing queued theme packages
#                          (tar -xf into /srv/shop-themes), /etc/cron.d/shop-themes
#   partner.ini            /etc/shop/partner.ini (partner key, staff token)
#   catalog.json           data/catalog.json (the products the API edits)
#   pf_install             all of the above (+ www-data's crontab)
#   pf_reset               everything the install and the runs added, put back
#                          (/etc/environment from the copy pf_install keeps)
# Nothing is installed from the archive: perl, tar, curl and gcc are setup's.

SHOPPF=$LAB_DIR/lib/shop-partnerfeed
PF_PRELOAD=/usr/local/lib/x86_64-linux-gnu/libgcrypt-hw.so.1

pf_install() {
  [ -e /var/lib/lab/pf-environment.orig ] || cp -p /etc/environment /var/lib/lab/pf-environment.orig
  install -d -m 755 /etc/shop
  install -o root -g www-data -m 640 "$SHOPPF/partner.ini" /etc/shop/partner.ini
  install -d "$WEBROOT/api" "$WEBROOT/admin" "$WEBROOT/feeds" "$WEBROOT/themes" "$WEBROOT/themes/incoming"
  install -m 644 "$SHOPPF/www/api/partner.php" "$WEBROOT/api/partner.php"
  install -m 644 "$SHOPPF/www/admin/themes.php" "$WEBROOT/admin/themes.php"
  install -m 644 "$SHOPPF/catalog.json" "$WEBROOT/data/catalog.json"
  chown -R www-data:www-data "$WEBROOT"
  install -d -m 755 /srv/shop-themes
  install -m 755 "$SHOPPF/shop-theme-install" /usr/local/sbin/shop-theme-install
  : > /var/log/shop-themes.log
  # the theme installed last month
  local d; d=$(mktemp -d)
  mkdir -p "$d/autumn-2026/css" "$d/autumn-2026/img"
  printf '{"name": "Autumn 2026", "version": "1.2.0", "author": "Studio Nord"}\n' > "$d/autumn-2026/theme.json"
  printf 'body { background: #f4ede4; color: #3b2a1a; }\n.hero { background: url(../img/hero.png); }\n' > "$d/autumn-2026/css/style.css"
  cp "$LAB_DIR/conf/design.png" "$d/autumn-2026/img/hero.png"
  tar -cf - -C "$d" autumn-2026 | tar -xf - -C /srv/shop-themes
  rm -rf "$d"
  install -m 644 "$SHOPPF/cron.d-shop-themes" /etc/cron.d/shop-themes
  crontab -u www-data "$SHOPPF/www-data.crontab"
}

# pf_theme_tar OUT NAME: the staff's new theme package
pf_theme_tar() {
  local out=$1 name=$2 d
  d=$(mktemp -d)
  mkdir -p "$d/$name/css" "$d/$name/img"
  printf '{"name": "Winter 2026", "version": "1.0.0", "author": "Studio Nord"}\n' > "$d/$name/theme.json"
  printf 'body { background: #eef3f8; color: #1b2a3a; }\n.hero { background: url(../img/hero.png); }\n.snow { opacity: .6; }\n' > "$d/$name/css/style.css"
  cp "$LAB_DIR/conf/design.png" "$d/$name/img/hero.png"
  tar -cf "$out" -C "$d" "$name"
  rm -rf "$d"
}

pf_reset() {
  # the preload line first: while it is there every cron job loads what it names
  if [ -e /var/lib/lab/pf-environment.orig ]; then
    cp -p /var/lib/lab/pf-environment.orig /etc/environment
  else
    sed -i '/^LD_PRELOAD=/d' /etc/environment
  fi
  rm -f "$PF_PRELOAD"
  rmdir /usr/local/lib/x86_64-linux-gnu 2>/dev/null || true
  kill_leftover 0 '^\[kworker/u8:3-events\]'
  kill_leftover 33 '^\[kworker/u8:3-events\]'
  kill_leftover 0 'decode_base64'
  rm -f /run/.fc.lock
  rm -f /etc/cron.d/shop-themes /usr/local/sbin/shop-theme-install /var/log/shop-themes.log
  rm -rf /srv/shop-themes /etc/shop /var/tmp/.ts /var/tmp/.fc.tgz
  crontab -u www-data -r 2>/dev/null || true
  rm -f /home/alice/.bash_history /root/.bash_history
  return 0
}
