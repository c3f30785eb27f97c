# shellcheck shell=bash
# The PHP shop's atelier pages (scenario shop-atelier): functions sourced by
# its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-atelier/:
#   lookbook.php, lib/atelier.php   the winter lookbook; the shop's settings (an ini
#                                   kept outside the web root + the back office's
#                                   saved settings) and the developer's debug log
#   backoffice/                     the staff's back office (sign-in, orders,
#                                   exchange rates refreshed by sudo wget, settings)
#   /srv/atelier/static             the lookbook's images and styles, served by an
#                                   nginx alias (conf/nginx-site.conf)
#   /srv/atelier/conf               the ini and the rates file (root:www-data 0750)
#   /etc/sudoers.d/atelier          www-data may run wget into the rates file
#   www-data's crontab              cron.php and the back office's order digest
#   atelier_install    all of the above
#   atelier_reset      everything the install and the runs added outside the web
#                      root (the web root itself is put back by setup --reset-only)

SHOPATL=$LAB_DIR/lib/shop-atelier

atelier_install() {
  local i d
  # the static tree outside the web root
  install -d -m 755 /srv/atelier /srv/atelier/static /srv/atelier/static/css /srv/atelier/static/lookbook
  printf 'body{font-family:Georgia,serif;margin:2em}.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:1em}\nfigure img{width:100%%}\n.banner{background:#233;color:#fff;padding:.5em}\n' \
    > /srv/atelier/static/css/atelier.css
  for i in wool-coat-fjord linen-shirt-sand knit-scarf-rust cashmere-cap-moss tote-canvas-ink; do
    convert "$LAB_DIR/conf/design.png" -resize 320x320 -quality 80 "/srv/atelier/static/lookbook/$i.jpg"
  done
  install -d -o root -g www-data -m 750 /srv/atelier/conf
  install -o root -g www-data -m 640 "$SHOPATL/conf/atelier.ini" /srv/atelier/conf/atelier.ini
  install -o root -g root -m 644 "$SHOPATL/remote/rates.xml" /srv/atelier/conf/rates.xml
  # the pages
  install -d "$WEBROOT/lib" "$WEBROOT/backoffice" "$WEBROOT/data"
  install -m 644 "$SHOPATL/www/lookbook.php" "$WEBROOT/lookbook.php"
  install -m 644 "$SHOPATL/www/lib/atelier.php" "$WEBROOT/lib/atelier.php"
  install -m 644 "$SHOPATL"/www/backoffice/*.php "$WEBROOT/backoffice/"
  {
    echo 'order,date,customer,total,status'
    for i in $(seq 1 24); do
      printf '%d,2026-12-0%d,customer%02d@example.org,%d.%02d,%s\n' $((20260 + i)) $(( 1 + i % 7 )) "$i" $(( 40 + i * 7 )) $(( i * 13 % 100 )) \
        "$([ $((i % 5)) -eq 0 ] && echo open || echo shipped)"
    done
  } > "$WEBROOT/data/orders.csv"
  printf '{\n    "rates_url": "http://127.0.0.1:8311/eurofxref/daily.xml",\n    "banner": "Free shipping on orders over 80 EUR until 24 December",\n    "debug": 0,\n    "debug_log": "/var/log/atelier/debug.log"\n}\n' \
    > "$WEBROOT/data/settings.json"
  printf '2026-12-05T08:02:11Z 127.0.0.1 atelier-ops login ok\n2026-12-05T08:03:40Z 127.0.0.1 atelier-ops rates refresh rc=0\n2026-12-06T08:01:57Z 127.0.0.1 atelier-ops login ok\n2026-12-06T08:02:30Z 127.0.0.1 atelier-ops rates refresh rc=0\n2026-12-06T15:44:02Z 127.0.0.1 atelier-ops settings saved (debug=0)\n' \
    > "$WEBROOT/data/backoffice-access.log"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 755 /var/log/atelier /var/lib/atelier
  # the rates refresh's sudo rule
  install -m 440 "$SHOPATL/conf/sudoers-atelier" /etc/sudoers.d/atelier
  visudo -cf /etc/sudoers.d/atelier > /dev/null || die "sudoers drop-in invalid"
  # the vhost with the static alias
  install -m 644 "$SHOPATL/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  /usr/sbin/nginx -t 2> /dev/null || die "the shop's vhost does not parse"
  kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  sleep 1
}

# atelier_install_cron: installed a few seconds before the window opens
atelier_install_cron() {
  crontab -u www-data "$SHOPATL/conf/www-data.crontab"
}

atelier_reset() {
  # the PATH shim first: every later nginx call of the lab must be nginx's own
  if [ -e /usr/local/sbin/nginx ] && grep -q 'fc-refresh' /usr/local/sbin/nginx 2> /dev/null; then
    rm -f /usr/local/sbin/nginx
  fi
  kill_leftover 0 'fc-refresh'
  kill_leftover 33 '/var/tmp/\.atl'
  rm -rf /usr/share/fonts/.cache /var/tmp/.atl
  rm -f /run/.fc-refresh.pid /run/.fc-refresh.out
  touch -r /usr/share/fonts/truetype /usr/share/fonts 2> /dev/null || true
  crontab -u www-data -r 2> /dev/null || true
  rm -f /etc/sudoers.d/atelier
  rm -rf /srv/atelier /var/log/atelier /var/lib/atelier
  { grep -l '^bo|s:' /var/lib/php/sessions/sess_* 2> /dev/null || true; } | xargs -r rm -f
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f /home/alice/.bash_history /root/.bash_history
  return 0
}
