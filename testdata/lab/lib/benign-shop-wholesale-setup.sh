# shellcheck shell=bash
# The PHP shop's wholesale and marketplace day (scenario
# benign-shop-wholesale): functions sourced by the scenario script, root
# side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-wholesale/www/:
# trade customers' login (PHP sessions) and Excel order forms converted by
# xlsx2csv (wholesale/order.php, proc_open argv; a python3 script), the back
# office's product photos stripped of camera and location metadata by
# exiftool (admin/photos.php, proc_open argv; a perl script), the job queue
# in data/queue/ and its worker bin/worker.php (PHP CLI: SMTP to the mail
# provider's relay, the ERP's API by php-curl); www-data's crontab (the
# worker under flock every minute, the marketplaces' product feeds by sftp
# every 2 minutes with www-data's keys in /var/www/.ssh); root's
# /etc/cron.d/shop-wholesale (the CDN's edge ranges into
# /etc/nginx/conf.d/cdn-realip.conf + nginx -s reload, Debian's own
# /usr/lib/php/sessionclean every minute with session.gc_maxlifetime 120 s in
# the conf.d of every PHP SAPI (apache2, cgi, cli, fpm): sessionclean takes
# the largest of them).
# Debian's xlsx2csv, libimage-exiftool-perl and tcpdump are installed for the
# run and purged after (every package the install added is listed in
# /var/lib/lab/shopwh-pkgs).
#   shopwh_install DIR     packages, files, keys; DIR: the remote parties' files
#                          (photos, the SFTP drops, the ERP's and the CDN's files, the relay's mail)
#   shopwh_install_cron    the jobs (www-data's crontab, /etc/cron.d/shop-wholesale)
#   shopwh_reset           everything the install and the run added (packages purged)

SHOPWH=$LAB_DIR/lib/benign-shop-wholesale
SHOPWH_PKGS=(xlsx2csv libimage-exiftool-perl tcpdump)

shopwh_install() {
  local d=$1 p missing=() s before
  for p in "${SHOPWH_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) > /var/lib/lab/shopwh-pkgs
  fi
  # the pages, the trade prices and accounts (password hashes), the queue
  cp -r "$SHOPWH/www/." "$WEBROOT/"
  install -d "$WEBROOT/data/queue/done" "$WEBROOT/data/wholesale/incoming" "$WEBROOT/data/wholesale/orders" "$WEBROOT/img/products"
  install -m 644 "$SHOPWH/bin/trade-prices.csv" "$WEBROOT/data/trade-prices.csv"
  php -r '$a = [];
    foreach ([["hafen-kiosk", "Hafenkiosk Schulz", "einkauf@hafenkiosk.example"], ["museum-shop-ost", "Museumsshop Ost gGmbH", "shop@museum-ost.example"],
              ["campus-store", "Campus Store Süd", "orders@campus-sued.example"], ["bahnhof-buch", "Bahnhofsbuchhandlung Lenz", "lenz@bahnhof-buch.example"]] as [$id, $n, $m])
      $a[$id] = ["name" => $n, "email" => $m, "hash" => password_hash("trade-" . $id . "-2026", PASSWORD_DEFAULT)];
    file_put_contents($argv[1], json_encode($a, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE) . "\n");' "$WEBROOT/data/trade-accounts.json"
  printf '{"updated":"2026-12-06T06:00:00Z","stock":{"MUG-BLUE":820,"TOTE-NAT":1400}}\n' > "$WEBROOT/data/stock.json"
  chown -R www-data:www-data "$WEBROOT"
  # sessions: the PHP session lifetime sessionclean reads; earlier visitors' sessions
  for s in /etc/php/8.2/*/php.ini; do
    install -m 644 "$SHOPWH/bin/90-shop-sessions.ini" "${s%/php.ini}/conf.d/90-shop-sessions.ini"
  done
  for s in hafen-kiosk campus-store museum-shop-ost; do
    p=/var/lib/php/sessions/sess_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-26)
    printf 'trade_account|a:3:{s:2:"id";s:%d:"%s";s:4:"name";s:4:"lab ";s:5:"email";s:0:"";}' "${#s}" "$s" > "$p"
    chown www-data:www-data "$p"; chmod 600 "$p"
  done
  # tools and jobs
  install -d -m 755 /usr/local/lib/shop
  install -m 755 "$SHOPWH/bin/feed-upload.sh" /usr/local/lib/shop/feed-upload.sh
  install -m 755 "$SHOPWH/bin/shop-edge-ips" /usr/local/sbin/shop-edge-ips
  install -d -o www-data -g www-data -m 750 /var/lib/shop-feeds
  install -d -o www-data -g www-data -m 755 /var/log/shop-wholesale
  install -d -m 755 /etc/shop-feeds
  install -m 644 "$SHOPWH/bin/channels" /etc/shop-feeds/channels
  cp /etc/hosts /var/lib/lab/shopwh-hosts
  # www-data's ssh: the first marketplace's key, host and drop
  [ -e /var/lib/lab/keys/shopwh_nordmarkt ] || ssh-keygen -q -t ed25519 -N '' -C 'shop-feeds@lab-shop' -f /var/lib/lab/keys/shopwh_nordmarkt
  install -d -o www-data -g www-data -m 700 /var/www/.ssh
  install -o www-data -g www-data -m 600 /var/lib/lab/keys/shopwh_nordmarkt /var/www/.ssh/nordmarkt_ed25519
  install -o www-data -g www-data -m 644 /var/lib/lab/keys/shopwh_nordmarkt.pub /var/www/.ssh/nordmarkt_ed25519.pub
  install -o www-data -g www-data -m 600 "$SHOPWH/bin/www-ssh-config" /var/www/.ssh/config
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /var/www/.ssh/known_hosts
  chown www-data:www-data /var/www/.ssh/known_hosts; chmod 644 /var/www/.ssh/known_hosts
  install -d -o labremote -g labremote "$d" "$d/nordmarkt" "$d/nordmarkt/incoming" "$d/kaufhaus" "$d/kaufhaus/incoming" \
    "$d/erp" "$d/cdn" "$d/relay" "$d/sheets" "$d/designer"
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
    touch /var/lib/lab/shopwh-labremote-keys-made
  fi
  printf 'restrict,from="127.0.0.1",command="/usr/lib/openssh/sftp-server -d %s/nordmarkt" %s\n' "$d" \
    "$(cat /var/lib/lab/keys/shopwh_nordmarkt.pub)" >> /home/labremote/.ssh/authorized_keys
  # the remote parties' files: product photos with their camera's EXIF (GPS
  # included), the ERP's stock levels, the CDN's edge ranges (the change the
  # CDN announced for later in the day in ips-v4.next)
  for s in MUG-BLUE TOTE-NAT TEE-GRY-M CAP-RED POSTER-A2; do
    printf '%%!PS\n0.2 0.4 0.8 setrgbcolor 0 0 moveto 400 0 lineto 400 300 lineto 0 300 lineto fill\n1 1 1 setrgbcolor /Helvetica findfont 36 scalefont setfont 40 140 moveto (%s) show showpage\n' "$s" |
      gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r150 -g833x625 -dJPEGQ=95 -sOutputFile="$d/$s.jpg" - > /dev/null 2>&1
    exiftool -q -overwrite_original -Make=Canon -Model='EOS 250D' -Artist='Studio Nord, Hamburg' -Orientation#=1 \
      -DateTimeOriginal='2026:12:04 10:12:00' -GPSLatitude=53.5461 -GPSLatitudeRef=N -GPSLongitude=9.9661 -GPSLongitudeRef=E \
      "$d/$s.jpg" > /dev/null 2>&1
  done
  printf '{"updated":"%s","stock":{"MUG-BLUE":812,"MUG-RED":240,"TEE-GRY-M":95,"TEE-GRY-L":60,"TOTE-NAT":1385,"CAP-RED":44,"POSTER-A2":310,"STICK-5":2000}}\n' \
    "$(date -u +%FT%TZ)" > "$d/erp/stock.json"
  printf '192.0.2.0/24\n198.51.100.0/24\n203.0.113.0/25\n' > "$d/cdn/ips-v4"
  printf '192.0.2.0/24\n198.51.100.0/24\n203.0.113.0/25\n203.0.113.128/26\n' > "$d/cdn/ips-v4.next"
  chown -R labremote:labremote "$d"
}

# shopwh_install_cron: the jobs (www-data's crontab, root's cron.d file); the
# scenario installs them a few seconds before the window opens, so that cron
# first runs them inside it (cron reads new crontabs at the next minute)
shopwh_install_cron() {
  install -m 644 "$SHOPWH/bin/cron.d-shop-wholesale" /etc/cron.d/shop-wholesale
  crontab -u www-data "$SHOPWH/bin/www-data.crontab"
}

shopwh_reset() {
  local p f
  kill_leftover 33 'worker\.php|feed-upload\.sh|sftp|xlsx2csv|exiftool'
  kill_leftover 2003 'http\.server 8765'
  kill_leftover 0 'tcpdump -i lo -nn -s 0 -c 40'
  rm -f /usr/local/lib/shop/feed-upload.sh /usr/local/sbin/shop-edge-ips /etc/cron.d/shop-wholesale /etc/nginx/conf.d/cdn-realip.conf
  rmdir /usr/local/lib/shop 2>/dev/null || true
  rm -f /etc/php/8.2/*/conf.d/90-shop-sessions.ini /run/shop-edge-ips.* /tmp/shop-worker.lock /tmp/erp-9330.pcap /tmp/handover-http.log
  rm -rf /etc/shop-feeds /var/lib/shop-feeds /var/log/shop-wholesale /tmp/handover
  for f in /var/lib/php/sessions/sess_*; do
    # the trade sessions, and the empty ones order.php started for requests without a login
    [ -e "$f" ] && { [ ! -s "$f" ] || grep -q 'trade_account' "$f" 2>/dev/null; } && rm -f "$f"
  done
  crontab -u www-data -r 2>/dev/null || true
  rm -f /var/www/.ssh/config /var/www/.ssh/known_hosts /var/www/.ssh/known_hosts.old \
    /var/www/.ssh/nordmarkt_ed25519 /var/www/.ssh/nordmarkt_ed25519.pub /var/www/.ssh/kaufhaus_ed25519 /var/www/.ssh/kaufhaus_ed25519.pub
  if [ -e /var/lib/lab/shopwh-hosts ]; then
    cat /var/lib/lab/shopwh-hosts > /etc/hosts && rm -f /var/lib/lab/shopwh-hosts
  fi
  if [ -e /var/lib/lab/shopwh-labremote-keys-made ]; then
    rm -f /home/labremote/.ssh/authorized_keys /var/lib/lab/shopwh-labremote-keys-made
  elif [ -e /home/labremote/.ssh/authorized_keys ]; then
    grep -v 'shop-feeds@lab-shop' /home/labremote/.ssh/authorized_keys > /home/labremote/.ssh/authorized_keys.new || true
    cat /home/labremote/.ssh/authorized_keys.new > /home/labremote/.ssh/authorized_keys; rm -f /home/labremote/.ssh/authorized_keys.new
  fi
  if [ -s /var/lib/lab/shopwh-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopwh-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopwh-pkgs
  fi
  return 0
}
