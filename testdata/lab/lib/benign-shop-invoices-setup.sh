# shellcheck shell=bash
# The PHP shop's invoicing day (scenario benign-shop-invoices): functions
# sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-invoices/www/:
# invoices rendered by wkhtmltopdf (account/invoice.php, proc_open argv; a
# lab stand-in in /usr/local/bin that renders with Ghostscript), the back
# office's product photos optimised by jpegoptim/optipng (admin/photos.php,
# proc_open argv; Debian's jpegoptim and optipng installed for the run,
# purged after), the supplier price import (admin/import.php: sh -c sed |
# awk | sort), the catalogue search (search.php, data/search.json);
# www-data's crontab (the search index by a php -r one-liner, the sitemap by
# /usr/local/lib/shop/sitemap.sh), root's port checks
# (/etc/cron.d/shop-ops: nc -z), the off-site backup
# /usr/local/sbin/shop-backup (tar + rsync over ssh to the backup host,
# labremote@127.0.0.1, whose authorized_keys gets root's backup key).
#   shopinv_install DIR     packages, files, jobs, keys; DIR: the remote parties' files
#                           (photos, price lists, exchange rates) and the backup target
#   shopinv_reset           everything the install and the run added (packages purged)

SHOPINV=$LAB_DIR/lib/benign-shop-invoices
SHOPINV_PKGS=(jpegoptim optipng)

shopinv_install() {
  local d=$1 p missing=() s
  for p in "${SHOPINV_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    printf '%s\n' "${missing[@]}" > /var/lib/lab/shopinv-pkgs
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
  fi
  # the pages
  cp -r "$SHOPINV/www/." "$WEBROOT/"
  install -d "$WEBROOT/data/invoices/src" "$WEBROOT/img/products"
  install -m 644 "$SHOPINV/bin/orders.csv" "$WEBROOT/data/orders.csv"
  chown -R www-data:www-data "$WEBROOT"
  runuser -u www-data -- php -r 'require "/var/www/html/lib/search.php"; shop_reindex("/var/www/html/data");'
  # tools and jobs
  install -m 755 "$SHOPINV/bin/wkhtmltopdf" /usr/local/bin/wkhtmltopdf
  install -d -m 755 /usr/local/lib/shop /usr/local/lib/shop-ops /var/lib/shop-ops
  install -m 755 "$SHOPINV/bin/sitemap.sh" /usr/local/lib/shop/sitemap.sh
  runuser -u www-data -- /bin/sh /usr/local/lib/shop/sitemap.sh > /dev/null
  install -m 755 "$SHOPINV/bin/portcheck" /usr/local/lib/shop-ops/portcheck
  install -m 755 "$SHOPINV/bin/shop-backup" /usr/local/sbin/shop-backup
  install -d -o www-data -g www-data -m 755 /var/log/shop-invoices
  install -m 644 "$SHOPINV/bin/cron.d-shop-ops" /etc/cron.d/shop-ops
  crontab -u www-data "$SHOPINV/bin/www-data.crontab"
  cp /home/alice/.bashrc /var/lib/lab/shopinv-alice-bashrc
  # the backup: root's key, accepted by the backup host's account (labremote)
  install -d -m 700 /etc/shop-invoices
  [ -e /var/lib/lab/keys/shopinv_backup ] || ssh-keygen -q -t ed25519 -N '' -C 'root@shop-backup' -f /var/lib/lab/keys/shopinv_backup
  install -m 600 /var/lib/lab/keys/shopinv_backup /etc/shop-invoices/backup_ed25519
  printf 'DEST=labremote@127.0.0.1:%s/offsite/\nKEY=/etc/shop-invoices/backup_ed25519\n' "$d" > /etc/shop-invoices/backup.conf
  chmod 600 /etc/shop-invoices/backup.conf
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
    touch /var/lib/lab/shopinv-labremote-keys-made
  fi
  printf 'restrict,from="127.0.0.1" %s\n' "$(cat /var/lib/lab/keys/shopinv_backup.pub)" >> /home/labremote/.ssh/authorized_keys
  # the remote parties' files: product photos (JPEG, PNG), supplier price lists, exchange rates
  install -d -o labremote -g labremote "$d" "$d/offsite" "$d/rates"
  for s in MUG-BLUE:jpeg:jpg TOTE-NAT:png16m:png TEE-GRY-M:jpeg:jpg CAP-RED:png16m:png POSTER-A2:jpeg:jpg; do
    printf '%%!PS\n0.2 0.4 0.8 setrgbcolor 0 0 moveto 400 0 lineto 400 300 lineto 0 300 lineto fill\n1 1 1 setrgbcolor /Helvetica findfont 36 scalefont setfont 40 140 moveto (%s) show showpage\n' "${s%%:*}" |
      gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE="$(echo "$s" | cut -d: -f2)" -r150 -g833x625 -dJPEGQ=98 \
        -sOutputFile="$d/${s%%:*}.${s##*:}" - > /dev/null 2>&1
  done
  printf 'sku;name;price_eur;stock\r\nMUG-BLUE;Mug;12.50;140\r\nTEE-GRY-M;T-Shirt;19.90;80\r\nPOSTER-A2;Poster;8.00;35\r\nSTICK-5;Sticker pack;3.00;500\r\nTOTE-NAT;Tote bag;9.50;60\r\nCAP-RED;Cap;14.00;n/a\r\n' > "$d/nordlicht-2026-12.csv"
  printf 'sku;name;price_eur;stock\r\nMUG-BLUE;Mug;11.90;220\r\nMUG-RED;Mug red;11.90;90\r\nTEE-GRY-M;T-Shirt;19.90;75\r\nPOSTER-A2;Poster;7.50;30\r\nSTICK-5;Sticker pack;3.00;480\r\nTOTE-NAT;Tote bag;9.50;58\r\nCAP-RED;Cap;14.00;12\r\n' > "$d/nordlicht-2026-12b.csv"
  printf '{"base":"EUR","date":"2026-12-06","rates":{"USD":1.0842,"GBP":0.8571,"CHF":0.9402,"DKK":7.4589}}\n' > "$d/rates/EUR.json"   # the mirror serves by file name: /v1/rates/EUR.json
  chown -R labremote:labremote "$d"
}

shopinv_reset() {
  local p
  kill_leftover 33 'shop_reindex|sitemap\.sh|wkhtmltopdf|jpegoptim|optipng'
  rm -f /usr/local/bin/wkhtmltopdf /usr/local/lib/shop/sitemap.sh /usr/local/lib/shop-ops/portcheck /usr/local/sbin/shop-backup
  rmdir /usr/local/lib/shop /usr/local/lib/shop-ops 2>/dev/null || true
  rm -f /etc/cron.d/shop-ops /etc/cron.d/shop-rates /tmp/shop-rates.cron /tmp/reindex-*.trace
  rm -rf /var/lib/shop-ops /var/log/shop-invoices /etc/shop-invoices /var/backups/shop-invoices
  crontab -u www-data -r 2>/dev/null || true
  if [ -e /var/lib/lab/shopinv-alice-bashrc ]; then
    install -o alice -g alice -m 644 /var/lib/lab/shopinv-alice-bashrc /home/alice/.bashrc && rm -f /var/lib/lab/shopinv-alice-bashrc
  fi
  if [ -e /var/lib/lab/shopinv-labremote-keys-made ]; then
    rm -f /home/labremote/.ssh/authorized_keys /var/lib/lab/shopinv-labremote-keys-made
  elif [ -e /home/labremote/.ssh/authorized_keys ] && [ -e /var/lib/lab/keys/shopinv_backup.pub ]; then
    grep -vF "$(cut -d' ' -f2 /var/lib/lab/keys/shopinv_backup.pub)" /home/labremote/.ssh/authorized_keys > /home/labremote/.ssh/authorized_keys.new || true
    cat /home/labremote/.ssh/authorized_keys.new > /home/labremote/.ssh/authorized_keys; rm -f /home/labremote/.ssh/authorized_keys.new
  fi
  if [ -s /var/lib/lab/shopinv-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopinv-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopinv-pkgs
  fi
  return 0
}
