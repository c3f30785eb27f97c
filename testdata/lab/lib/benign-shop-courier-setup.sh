# shellcheck shell=bash
# The PHP shop's returns and integrations day (scenario benign-shop-courier):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-courier/www/:
# customer returns (returns.php: the carrier's API by php-curl, the label
# decoded by proc_open([base64, -d]) into returns/labels/, a mail), the cart's
# shipping rules uploaded by the staff as PHP files (admin/rules.php: php -l,
# then live in custom/rules/, included by cart.php), translations compiled by
# msgfmt (admin/translations.php), the ERP's stock through www-data's ssh
# tunnel (admin/stock.php); www-data's crontab (the tunnel kept up with ssh
# -f -N -L, the media backup to the object storage by curl --aws-sigv4);
# root's /etc/cron.d/shop-rma (the partner's export: CSV encrypted with
# gpg into /srv/rma-exports/outbox, pulled by the partner with rsync over
# ssh as deploy through rrsync). No package is installed for the run.
#   shopcour_install DIR     files, keys, gpg keyring; DIR: the remote parties' files
#   shopcour_install_cron    the jobs (www-data's crontab, /etc/cron.d/shop-rma)
#   shopcour_reset           everything the install and the run added

SHOPCOUR=$LAB_DIR/lib/benign-shop-courier
SHOPCOUR_KEYS=/var/lib/lab/keys

shopcour_install() {
  local d=$1 k g
  # the pages
  cp -r "$SHOPCOUR/www/." "$WEBROOT/"
  install -d "$WEBROOT/custom/rules" "$WEBROOT/returns/labels" "$WEBROOT/data/returns" "$WEBROOT/data/i18n" "$WEBROOT/locale"
  install -m 644 "$SHOPCOUR/remote/free-over-50.php" "$WEBROOT/custom/rules/free-over-50.php"
  chown -R www-data:www-data "$WEBROOT"
  # tools and jobs
  install -d -m 755 /usr/local/lib/shop-rma /etc/shop-rma /var/lib/shop-rma
  install -m 755 "$SHOPCOUR/bin/erp-tunnel.sh" "$SHOPCOUR/bin/objstore-backup.sh" "$SHOPCOUR/bin/returns-csv.php" /usr/local/lib/shop-rma/
  install -m 755 "$SHOPCOUR/bin/shop-rma-export" /usr/local/sbin/shop-rma-export
  install -d -o www-data -g www-data -m 755 /var/log/shop-rma
  install -d -o deploy -g deploy -m 750 /srv/rma-exports /srv/rma-exports/outbox
  install -d -o deploy -g deploy -m 755 /srv/shop-rma /srv/shop-rma/i18n
  # www-data's env file for the object storage, its ssh to the ERP's bastion
  install -d -o www-data -g www-data -m 700 /var/www/.config
  install -o www-data -g www-data -m 600 "$SHOPCOUR/bin/shop-objstore.env" /var/www/.config/shop-objstore.env
  [ -d /var/www/.ssh ] || { install -d -o www-data -g www-data -m 700 /var/www/.ssh; touch /var/lib/lab/shopcour-wwwssh-made; }
  for k in erp_tunnel vendor partner; do
    [ -e "$SHOPCOUR_KEYS/shopcour_$k" ] || ssh-keygen -q -t ed25519 -N '' -C "shopcour-$k" -f "$SHOPCOUR_KEYS/shopcour_$k"
  done
  install -o www-data -g www-data -m 600 "$SHOPCOUR_KEYS/shopcour_erp_tunnel" /var/www/.ssh/erp_tunnel_ed25519
  install -o www-data -g www-data -m 600 "$SHOPCOUR/bin/www-ssh-config" /var/www/.ssh/config
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /var/www/.ssh/known_hosts
  chown www-data:www-data /var/www/.ssh/known_hosts; chmod 644 /var/www/.ssh/known_hosts
  # alice's key for the payment terminal vendor's support bastion
  install -o alice -g alice -m 600 "$SHOPCOUR_KEYS/shopcour_vendor" /home/alice/.ssh/paysupport_ed25519
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /home/alice/.ssh/paysupport_known_hosts
  chown alice:alice /home/alice/.ssh/paysupport_known_hosts
  # the remote side: the bastion's and the vendor's keys in labremote's authorized_keys, the partner's private key
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
    touch /var/lib/lab/shopcour-labremote-keys-made
  fi
  printf 'restrict,from="127.0.0.1",port-forwarding,permitopen="127.0.0.1:9353",command="/bin/false" %s\n' \
    "$(cut -d' ' -f1,2 "$SHOPCOUR_KEYS/shopcour_erp_tunnel.pub") erp-bastion@shopcour" >> /home/labremote/.ssh/authorized_keys
  printf 'restrict,from="127.0.0.1",port-forwarding,permitlisten="127.0.0.1:2022",command="/bin/false" %s\n' \
    "$(cut -d' ' -f1,2 "$SHOPCOUR_KEYS/shopcour_vendor.pub") paysupport@shopcour" >> /home/labremote/.ssh/authorized_keys
  install -o labremote -g labremote -m 600 "$SHOPCOUR_KEYS/shopcour_partner" /home/labremote/.ssh/shopcour_partner
  # the partner's gpg keys (2026 in use, 2027 announced), root's export keyring
  g=$(mktemp -d /tmp/shopcour-partner-gpg.XXXXXX)
  for k in 2026 2027; do
    gpg --homedir "$g" --batch --quiet --passphrase '' --quick-gen-key "Fulfilment Partner $k <returns-$k@fulfil-partner.example>" future-default default never 2>/dev/null
    gpg --homedir "$g" --batch --armor --export "returns-$k@fulfil-partner.example" > "$g/partner-$k.asc"
  done
  rm -rf /etc/shop-rma/gnupg; install -d -m 700 /etc/shop-rma/gnupg
  gpg --homedir /etc/shop-rma/gnupg --batch --quiet --import "$g/partner-2026.asc" 2>/dev/null
  echo returns-2026@fulfil-partner.example > /etc/shop-rma/recipient
  install -d -o labremote -g labremote "$d" "$d/carrier" "$d/carrier/store" "$d/erp" "$d/objstore" "$d/geo" "$d/pulled" "$d/ci"
  install -o labremote -g labremote -m 644 "$g/partner-2027.asc" "$d/partner-2027.asc"
  gpgconf --homedir "$g" --kill all 2>/dev/null || true
  gpgconf --homedir /etc/shop-rma/gnupg --kill all 2>/dev/null || true
  rm -rf "$g"
  # yesterday's export already in the outbox
  printf 'rma,order,email,reason,at\nRMA-100311-161204,100311,jana@example.org,too small,2026-12-05T16:12:04+00:00\n' |
    gpg --homedir /etc/shop-rma/gnupg --batch --yes --quiet --trust-model always -r returns-2026@fulfil-partner.example \
      -o /srv/rma-exports/outbox/returns-20261205T2200.csv.gpg -e
  chown deploy:deploy /srv/rma-exports/outbox/returns-20261205T2200.csv.gpg
  gpgconf --homedir /etc/shop-rma/gnupg --kill all 2>/dev/null || true
  # the remote parties' files: the carrier's label (a PDF as base64), the
  # ERP's stock, the GeoIP database release, the CI's translation
  printf '%%!PS\n/Helvetica findfont 20 scalefont setfont 40 700 moveto (RETURN LABEL - DHL Retoure) show 40 660 moveto (Lab Shop, Hafenstr. 1, Hamburg) show showpage\n' |
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$d/label.pdf" - > /dev/null 2>&1
  base64 -w 0 "$d/label.pdf" > "$d/carrier/label.b64"
  printf '{"updated":"%s","stock":{"MUG-BLUE":812,"MUG-RED":240,"TOTE-NAT":1385,"CAP-RED":44,"POSTER-A2":310}}\n' \
    "$(date -u +%FT%TZ)" > "$d/erp/stock.json"
  mkdir -p "$d/geo/GeoLite2-City_20261205"
  head -c 41943040 /dev/urandom > "$d/geo/GeoLite2-City_20261205/GeoLite2-City.mmdb"
  printf 'Database and Contents Copyright (c) 2026 MaxMind, Inc.\n' > "$d/geo/GeoLite2-City_20261205/COPYRIGHT.txt"
  printf 'Use of this MaxMind product is governed by MaxMind'"'"'s GeoLite2 End User License Agreement.\n' > "$d/geo/GeoLite2-City_20261205/LICENSE.txt"
  tar -czf "$d/geo/GeoLite2-City_20261205.tar.gz" -C "$d/geo" GeoLite2-City_20261205
  rm -rf "$d/geo/GeoLite2-City_20261205"
  (cd "$d/geo" && sha256sum GeoLite2-City_20261205.tar.gz > GeoLite2-City_20261205.tar.gz.sha256)
  cp "$SHOPCOUR/remote/"*.php "$SHOPCOUR/remote/"*.po "$d/"
  cp "$SHOPCOUR/remote/de.po" "$d/ci/shop-de.po"
  cut -d' ' -f1,2 "$SHOPCOUR_KEYS/shopcour_partner.pub" > "$d/partner-ssh.pub"
  chown -R labremote:labremote "$d"
}

# shopcour_install_cron: the jobs; installed a few seconds before the window
# opens, so that cron first runs them inside it
shopcour_install_cron() {
  install -m 644 "$SHOPCOUR/bin/cron.d-shop-rma" /etc/cron.d/shop-rma
  crontab -u www-data "$SHOPCOUR/bin/www-data.crontab"
}

shopcour_reset() {
  local f
  # the jobs first (a job cron starts while this runs would outlive the kills), then their leftovers
  rm -f /etc/cron.d/shop-rma
  crontab -u www-data -r 2>/dev/null || true
  sleep 2
  kill_leftover 33 'erp-tunnel\.sh|objstore-backup\.sh|ssh -f -N .*15432'
  kill_leftover 2002 'ssh -N .*2022'
  kill_leftover 0 'shop-rma-export|gcore -o /tmp/fpm-leak'
  rm -f /etc/cron.d/shop-rma /usr/local/sbin/shop-rma-export
  if [ -e /etc/ld.so.conf.d/carrier-sdk.conf ]; then rm -f /etc/ld.so.conf.d/carrier-sdk.conf; ldconfig; fi
  [ -d /etc/shop-rma/gnupg ] && gpgconf --homedir /etc/shop-rma/gnupg --kill all 2>/dev/null || true
  rm -rf /usr/local/lib/shop-rma /etc/shop-rma /var/lib/shop-rma /var/log/shop-rma /srv/rma-exports /srv/shop-rma \
    /opt/carrier-sdk /etc/systemd/system/php8.2-fpm.service.d /usr/share/GeoIP /var/www/.config
  rm -f /tmp/shop-media-*.tar.gz /tmp/returns-export.* /tmp/fpm-leak.* /tmp/GeoLite2-City_20261205.tar.gz*
  crontab -u www-data -r 2>/dev/null || true
  rm -f /var/www/.ssh/config /var/www/.ssh/known_hosts /var/www/.ssh/known_hosts.old /var/www/.ssh/erp_tunnel_ed25519
  if [ -e /var/lib/lab/shopcour-wwwssh-made ]; then rmdir /var/www/.ssh 2>/dev/null || true; rm -f /var/lib/lab/shopcour-wwwssh-made; fi
  rm -f /home/alice/.ssh/paysupport_ed25519 /home/alice/.ssh/paysupport_known_hosts /home/labremote/.ssh/shopcour_partner
  for f in /home/deploy/.ssh/authorized_keys /home/labremote/.ssh/authorized_keys; do
    [ -e "$f" ] || continue
    grep -vE 'erp-bastion@shopcour|paysupport@shopcour|returns@fulfil-partner' "$f" > "$f.new" || true
    cat "$f.new" > "$f"; rm -f "$f.new"
  done
  if [ -e /var/lib/lab/shopcour-labremote-keys-made ]; then
    rm -f /home/labremote/.ssh/authorized_keys /var/lib/lab/shopcour-labremote-keys-made
  fi
  return 0
}
