# shellcheck shell=bash
# The PHP shop's florist day (scenario benign-shop-florist): functions sourced by
# the scenario script, root side, idempotent. The shop of setup (/var/www/html,
# www-data) plus benign-shop-florist/www/: bouquet orders with a card message
# (order.php: the card rendered by gs through proc_open argv into
# /var/lib/shop-florist/cards, mail()), the courier's signed status callbacks
# (webhook/courier.php, mail() on delivery); the bouquet photos folder
# img/bouquets (deploy:www-data, setgid) that the designer fills over SFTP;
# www-data's crontab (the delivery route as CSV, put to the courier's SFTP drop by
# sftp -b with a key of its own: the courier account is labremote, forced
# sftp-server); alice's template for the Christmas-rush cron file; the
# developer's checkout with its history (~deploy/florist-app). No packages.
#   florist_install DIR     files, keys, the checkout; DIR: the remote parties' files
#   florist_install_cron    www-data's crontab
#   florist_reset           everything the install and the run added

FLORIST=$LAB_DIR/lib/benign-shop-florist
FLORIST_KEYS=/var/lib/lab/keys

florist_install() {
  local d=$1 i
  cp -r "$FLORIST/www/." "$WEBROOT/"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o deploy -g www-data -m 2775 "$WEBROOT/img/bouquets"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-florist /var/lib/shop-florist/orders \
    /var/lib/shop-florist/cards /var/lib/shop-florist/routes
  install -d -o www-data -g www-data -m 700 /var/lib/shop-florist/.ssh
  install -d -m 755 /var/log/shop-florist /usr/local/lib/shop-florist
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-florist/route-export.log
  install -m 644 "$FLORIST/bin/route-export.php" /usr/local/lib/shop-florist/route-export.php
  # the courier's SFTP drop: www-data's key, the host key
  [ -e "$FLORIST_KEYS/florist_courier" ] || ssh-keygen -q -t ed25519 -N '' -C florist-courier -f "$FLORIST_KEYS/florist_courier"
  install -o www-data -g www-data -m 600 "$FLORIST_KEYS/florist_courier" /var/lib/shop-florist/.ssh/courier_ed25519
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /var/lib/shop-florist/.ssh/known_hosts
  chown www-data:www-data /var/lib/shop-florist/.ssh/known_hosts
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
  fi
  printf 'restrict,from="127.0.0.1",command="/usr/lib/openssh/sftp-server" %s\n' \
    "$(cut -d' ' -f1,2 "$FLORIST_KEYS/florist_courier.pub") courier@florist" >> /home/labremote/.ssh/authorized_keys
  # alice's template; the developer's checkout
  install -o alice -g alice -m 644 "$FLORIST/bin/xmas-cron.tmpl" /home/alice/florist-xmas.cron.tmpl
  runuser -u deploy -- bash "$FLORIST/bin/make-app-repo.sh" /home/deploy/florist-app
  # the remote parties' files: the designer's photos and her sftp batch
  install -d -o labremote -g labremote "$d" "$d/photos"
  for i in ADVENT-WREATH ROSES-RED-12 WINTER-WHITE POINSETTIA SEASONAL-S; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g800x800 -r72 -sOutputFile="$d/photos/$i.jpg" \
      -c "0.2 0.45 0.25 setrgbcolor 0 0 800 800 rectfill 1 1 1 setrgbcolor /Helvetica findfont 42 scalefont setfont 80 400 moveto ($i) show showpage" > /dev/null 2>&1
  done
  chown -R labremote:labremote "$d"
}

florist_install_cron() {
  crontab -u www-data "$FLORIST/bin/www-data.crontab"
}

florist_reset() {
  local f
  crontab -u www-data -r 2>/dev/null || true
  rm -f /etc/cron.d/florist-xmas
  sleep 1
  kill_leftover 33 'route-export\.php|sftp -b'
  kill_leftover 2003 'git bisect|tests/delivery-fee\.php'
  rm -rf /var/lib/shop-florist /var/log/shop-florist /usr/local/lib/shop-florist /home/deploy/florist-app
  rm -f /home/alice/florist-xmas.cron.tmpl /home/labremote/route-*.csv
  f=/home/labremote/.ssh/authorized_keys
  if [ -e "$f" ]; then
    grep -v 'courier@florist' "$f" > "$f.new" || true
    cat "$f.new" > "$f"; rm -f "$f.new"
  fi
  return 0
}
