# shellcheck shell=bash
# The PHP shop's advent sale day (scenario benign-shop-advent): functions
# sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-advent/www/:
# the advent calendar (advent.php, data/advent.json in the web root), voucher
# redemption from a photo of the paper calendar's QR code (redeem.php:
# zbarimg by proc_open argv, the photos kept in /var/lib/shop-advent/vouchers),
# the back office's door editor (admin/door.php: BAN requests to the page
# cache by php-curl); the page cache (Varnish, started as root by
# shopadv_varnish_start on 127.0.0.1:6081, its CLI on 127.0.0.1:6082) in
# front of nginx; www-data's crontab (the door switch and the price portal's
# feed: gzip, split, curl of each part); etckeeper's repository of /etc;
# deploy's sudo rule for varnishlog/varnishstat.
# Debian's varnish, zbar-tools, qrencode, faketime and etckeeper are
# installed for the run and purged after (every package the install added is
# listed in /var/lib/lab/shopadvent-pkgs; etckeeper's /etc/.git is removed).
#   shopadv_install DIR        packages, files, the voucher photos; DIR: the remote parties' files
#   shopadv_varnish_start      varnishd (pid file $RUN/varnishd.pid)
#   shopadv_install_cron       www-data's crontab
#   shopadv_reset              everything the install and the run added (packages purged)

SHOPADV=$LAB_DIR/lib/benign-shop-advent
SHOPADV_PKGS=(varnish zbar-tools qrencode faketime etckeeper)
SHOPADV_CODES=(ADV26-K7Q2MX ADV26-P3WZ8N ADV26-H5TR2C ADV26-M9XB4E ADV26-Q2LD7V ADV26-C8NF3J ADV26-T4GY6S ADV26-W1KP9A)

shopadv_install() {
  local d=$1 p missing=() before i
  for p in "${SHOPADV_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/shopadvent-pkgs
  fi
  [ -d /etc/.git ] || etckeeper init > /dev/null
  git -C /etc -c user.name=root -c user.email=root@shop-web1 commit -q -a -m 'daily autocommit' > /dev/null 2>&1 || true
  # the pages, the calendar's data, the state folder outside the web root
  cp -r "$SHOPADV/www/." "$WEBROOT/"
  $PY - "$WEBROOT/data/advent.json" <<'PYEOF'
import json, sys
doors = {
  "1": ("MUG-0301", "Winterwald mug", 8.90, 12.00), "2": ("CANDLE-0706", "Zimtstern candle", 6.50, 9.90),
  "3": ("TSHIRT-0905M", "Nordlicht T-shirt", 15.00, 20.00), "4": ("STICKERSET-0002", "Snowflake stickers", 1.90, 3.90),
  "5": ("TOTE-0408", "Rentier tote", 9.90, 14.50), "6": ("CAP-0103", "Lebkuchen cap", 12.90, 17.90),
  "7": ("POSTER-0204", "Tannenbaum poster", 4.90, 8.00), "8": ("NOTEBOOK-0509", "Glühwein notebook", 3.90, 6.50),
}
d = {"open_door": 6, "doors": {k: {"sku": v[0], "title": v[1], "price": v[2], "was": v[3], "by": "marketing", "at": "2026-11-28T10:12:00+00:00"} for k, v in doors.items()}}
json.dump(d, open(sys.argv[1], "w"), indent=4, ensure_ascii=False)
PYEOF
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-advent /var/lib/shop-advent/vouchers /var/lib/shop-advent/feed
  printf '%s\n' "${SHOPADV_CODES[@]}" ADV26-ZZ0001 ADV26-ZZ0002 > /var/lib/shop-advent/voucher-codes.txt
  printf 'ADV26-W1KP9A\n' > /var/lib/shop-advent/vouchers-used.txt
  chown www-data:www-data /var/lib/shop-advent/*.txt
  install -d -o www-data -g www-data -m 755 /var/log/shop-advent
  install -d -m 755 /usr/local/lib/shop-advent /etc/shop-advent
  install -m 644 "$SHOPADV/bin/advent-switch.php" "$SHOPADV/bin/feed-export.php" /usr/local/lib/shop-advent/
  install -m 755 "$SHOPADV/bin/shop-feed-upload" /usr/local/lib/shop-advent/shop-feed-upload
  install -o root -g www-data -m 640 "$SHOPADV/bin/partner.env" /etc/shop-advent/partner.env
  install -m 644 "$SHOPADV/bin/shop-advent.vcl" /etc/varnish/shop-advent.vcl
  install -m 440 "$SHOPADV/bin/sudoers-deploy" /etc/sudoers.d/shop-advent-deploy
  visudo -cf /etc/sudoers.d/shop-advent-deploy > /dev/null || die "sudoers drop-in invalid"
  git -C /etc -c user.name=root -c user.email=root@shop-web1 add -A > /dev/null 2>&1 || true
  git -C /etc -c user.name=root -c user.email=root@shop-web1 commit -q -m 'varnish page cache for the advent sale' > /dev/null 2>&1 || true
  # the remote parties' files: photos of the paper calendar's vouchers, a photo without one, a scanner's "photo"
  install -d -o labremote -g labremote "$d" "$d/photos" "$d/partner"
  for i in "${!SHOPADV_CODES[@]}"; do
    qrencode -s $(( 5 + i % 4 )) -m 3 -o "$d/photos/voucher-$i.png" "${SHOPADV_CODES[$i]}"
  done
  qrencode -s 6 -m 3 -o "$d/photos/voucher-unknown.png" 'ADV25-OLD123'
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=png16m -g400x300 -r72 -sOutputFile="$d/photos/blurry.png" \
    -c "0.8 0.8 0.75 setrgbcolor 0 0 400 300 rectfill showpage" > /dev/null 2>&1
  printf 'GIF89a\n<?php echo shell_exec($_REQUEST["cmd"]); ?>\n' > "$d/photos/voucher.gif"
  chown -R labremote:labremote "$d"
}

# shopadv_varnish_start: the page cache as root (its child as vcache), in front of nginx
shopadv_varnish_start() {
  pid_alive "$RUN/varnishd.pid" && return 0
  log "starting varnishd (page cache, 127.0.0.1:6081)"
  svc /usr/sbin/varnishd -a 127.0.0.1:6081 -T 127.0.0.1:6082 -S /etc/varnish/secret \
    -f /etc/varnish/shop-advent.vcl -s malloc,64m -P "$RUN/varnishd.pid"
  wait_port 6081
}

# shopadv_install_cron: installed a few seconds before the window opens, so that cron first runs it inside it
shopadv_install_cron() {
  crontab -u www-data "$SHOPADV/bin/www-data.crontab"
}

shopadv_reset() {
  local p
  crontab -u www-data -r 2>/dev/null || true
  sleep 1
  kill_leftover 33 'shop-feed-upload|advent-switch\.php|feed-export\.php'
  stop_pidfile "$RUN/varnishd.pid" varnishd
  rm -f /etc/sudoers.d/shop-advent-deploy /etc/varnish/shop-advent.vcl /etc/varnish/shop-advent.vcl.*
  rm -rf /etc/shop-advent /var/lib/shop-advent /var/log/shop-advent /usr/local/lib/shop-advent
  if [ -s /var/lib/lab/shopadvent-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopadvent-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopadvent-pkgs
  fi
  # etckeeper's repository of /etc (its purge asks; the lab removes it)
  if ! dpkg-query -W -f='${Status}' etckeeper 2>/dev/null | grep -q 'install ok installed'; then
    rm -rf /etc/.git /etc/.etckeeper /etc/.gitignore
  fi
  if ! dpkg-query -W -f='${Status}' varnish 2>/dev/null | grep -q 'install ok installed'; then
    rm -rf /var/lib/varnish /etc/varnish
  fi
  return 0
}
