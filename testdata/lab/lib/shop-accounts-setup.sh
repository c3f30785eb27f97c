# shellcheck shell=bash
# The PHP shop's customer accounts (scenario shop-accounts): functions
# sourced by its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-accounts/:
#   www/account/         register, login, password recovery by a mailed link
#                        (account mails by SMTP to the hosting relay 127.0.0.1:2525)
#   www/admin/           the back office (admins of the accounts file): product
#                        photos (chunk in media/tmp/, thumbnail by the configured
#                        converter), media settings (converter path, check button)
#   www/lib/account.php  accounts, resets and settings as JSON in data/ (not served)
#   bin/                 root's cron jobs (stale upload chunks, mail relay check),
#                        www-data's reset-token expiry
#   ansible/             the admin's fleet tooling (Debian's ansible-core,
#                        installed for the run, purged after): /etc/ansible,
#                        root's fleet key accepted by deploy (the old shop host web-02)
#   acct_install DIR     all of the above; DIR: the remote parties' files (photos)
#   acct_install_cron    the jobs (/etc/cron.d/shop-accounts, www-data's crontab)
#   acct_stale_chunks    two abandoned upload chunks of the day before in media/tmp
#   acct_reset           everything the install and the runs added (packages purged)

SHOPACCT=$LAB_DIR/lib/shop-accounts
SHOPACCT_PKGS=/var/lib/lab/shopacct-pkgs
SHOPACCT_KEYS=/var/lib/lab/keys

acct_install() {
  local d=$1 p missing=() before
  for p in ansible-core; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> "$SHOPACCT_PKGS"
  fi
  # pages and folders
  cp -r "$SHOPACCT/www/." "$WEBROOT/"
  install -d "$WEBROOT/media" "$WEBROOT/media/tmp" "$WEBROOT/media/originals" "$WEBROOT/img/products" "$WEBROOT/img/banners"
  local sku
  for sku in MUG-1 TEE-2 POSTER-3 TOTE-5; do
    convert -size 400x400 "plasma:wheat-tan" -quality 80 "$WEBROOT/img/products/$sku.jpg" 2>/dev/null \
      || cp "$LAB_DIR/conf/design.png" "$WEBROOT/img/products/$sku.jpg"
    cp "$WEBROOT/img/products/$sku.jpg" "$WEBROOT/media/originals/$sku.jpg"
  done
  convert -size 1200x300 "gradient:navy-skyblue" "$WEBROOT/img/banners/xmas-sale.jpg" 2>/dev/null || true
  # the accounts (customers, two admins), password hashes made now
  php -r '
    $acc = [["ann@example.org","Ann Example","customer","Ann-Shop-2026!"], ["bob@example.org","Bob Example","customer","bob-likes-mugs-9"],
            ["cid@example.org","Cid Example","customer","Cid#Example#77"], ["jana.k@example.org","Jana K.","customer","jana-k-2026-dec"],
            ["tom@example.net","Tom B.","customer","TomTom-shop-31"], ["frieda@example.org","Frieda M.","customer","Frieda.Mueller.1"],
            ["mara.jensen@shop.lab.local","Mara Jensen","admin","Mara-BackOffice-26"], ["h.brandt@shop.lab.local","Heike Brandt","admin","Brandt-Owner-2026!"]];
    $out = [];
    foreach ($acc as $a) $out[] = ["email" => $a[0], "name" => $a[1], "role" => $a[2], "hash" => password_hash($a[3], PASSWORD_DEFAULT), "created" => "2026-0" . (1 + count($out)) . "-14T09:12:00+00:00"];
    file_put_contents($argv[1], json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");' "$WEBROOT/data/accounts.json"
  printf '[]\n' > "$WEBROOT/data/password-resets.json"
  chown -R www-data:www-data "$WEBROOT"
  # the vhost (data/ not served)
  install -m 644 "$SHOPACCT/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  nginx -t 2>/dev/null || die "the shop's vhost does not parse"
  kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  # the jobs' programs
  install -m 755 "$SHOPACCT/bin/shop-media-clean" /usr/local/sbin/shop-media-clean
  install -m 755 "$SHOPACCT/bin/shop-relay-check" /usr/local/sbin/shop-relay-check
  install -d -m 755 /usr/local/lib/shop-accounts
  install -m 644 "$SHOPACCT/bin/expire-resets.php" /usr/local/lib/shop-accounts/expire-resets.php
  touch -d '2026-10-02 11:40' /usr/local/sbin/shop-media-clean /usr/local/sbin/shop-relay-check
  install -m 644 /dev/null /var/log/shop-media-clean.log
  install -m 644 /dev/null /var/log/shop-relay-check.log
  # the fleet: root's key, accepted by deploy (web-02 is this host's 127.0.0.1 in the lab)
  [ -e "$SHOPACCT_KEYS/shopacct_fleet" ] || ssh-keygen -q -t ed25519 -N '' -C 'root@shop-web-01 fleet' -f "$SHOPACCT_KEYS/shopacct_fleet"
  if [ ! -d /root/.ssh ]; then touch /var/lib/lab/shopacct-rootssh; fi
  install -d -m 700 /root/.ssh
  install -m 600 "$SHOPACCT_KEYS/shopacct_fleet" /root/.ssh/fleet_ed25519
  install -m 644 "$SHOPACCT_KEYS/shopacct_fleet.pub" /root/.ssh/fleet_ed25519.pub
  grep -q 'shop-web-01 fleet' /home/deploy/.ssh/authorized_keys 2>/dev/null || cat "$SHOPACCT_KEYS/shopacct_fleet.pub" >> /home/deploy/.ssh/authorized_keys
  install -d -m 755 /etc/ansible
  install -m 644 "$SHOPACCT/ansible/ansible.cfg" /etc/ansible/ansible.cfg
  install -m 644 "$SHOPACCT/ansible/hosts" /etc/ansible/hosts
  # web-02's old shop (deploy's): the B2B catalogue and its DB login
  install -d -o deploy -g deploy -m 755 /home/deploy/b2b-shop
  printf '<?php\n// B2B catalogue (web-02)\ndefine("B2B_DB", "pgsql:host=127.0.0.1;dbname=b2b");\ndefine("B2B_PASS", "b2b-Catalog-4471");\n' > /home/deploy/b2b-shop/config.php
  printf '127.0.0.1:5432:b2b:b2b:b2b-Catalog-4471\n' > /home/deploy/.pgpass
  chown deploy:deploy /home/deploy/b2b-shop/config.php /home/deploy/.pgpass; chmod 600 /home/deploy/.pgpass
  # the remote parties' photos (the shop manager's camera files)
  install -d -o labremote -g labremote "$d" "$d/photos"
  local n=0 f
  for f in 'MUG-1 blue (front).jpg' 'tee-2_back.JPG' 'Poster 3 - final.jpg' 'TOTE-5 natur.jpg' 'mug 1 side.jpg' 'IMG_4471.jpg'; do
    n=$((n + 1))
    convert -size $((900 + n * 40))x700 "plasma:" -quality 85 "$d/photos/$f" 2>/dev/null || cp "$LAB_DIR/conf/design.png" "$d/photos/$f"
  done
  chown -R labremote:labremote "$d"
}

acct_stale_chunks() {
  local f
  for f in 'MUG-1 blue (front).jpg.3c9e.part' 'IMG_4468.jpg.a0f1.part'; do
    install -o www-data -g www-data -m 644 /dev/null "$WEBROOT/media/tmp/$f"
    head -c 200000 /dev/urandom > "$WEBROOT/media/tmp/$f"
    touch -d '-19 hours' "$WEBROOT/media/tmp/$f"
  done
}

acct_install_cron() {
  install -m 644 "$SHOPACCT/cron.d-shop-accounts" /etc/cron.d/shop-accounts
  crontab -u www-data "$SHOPACCT/www-data.crontab"
}

acct_reset() {
  local p
  rm -f /etc/cron.d/shop-accounts
  crontab -u www-data -r 2>/dev/null || true
  # the persistence wrapper first: every root find would restart the implant
  rm -f /usr/local/sbin/find
  kill_leftover 0 'shop-media/thumbd'
  kill_leftover 0 '\.ansible/cp/'
  kill_leftover 0 '/usr/bin/ansible '
  rm -rf /usr/local/lib/shop-media /run/.thumbd.pid /run/.thumbd.out
  rm -f /usr/local/sbin/shop-media-clean /usr/local/sbin/shop-relay-check /var/log/shop-media-clean.log /var/log/shop-relay-check.log
  rm -rf /usr/local/lib/shop-accounts /etc/ansible /root/.ansible /home/deploy/b2b-shop /home/deploy/.pgpass /home/deploy/.ansible
  rm -f /root/.ssh/fleet_ed25519 /root/.ssh/fleet_ed25519.pub
  if [ -e /var/lib/lab/shopacct-rootssh ]; then rm -rf /root/.ssh; rm -f /var/lib/lab/shopacct-rootssh; fi
  if [ -e /home/deploy/.ssh/authorized_keys ]; then
    grep -v 'shop-web-01 fleet' /home/deploy/.ssh/authorized_keys > /home/deploy/.ssh/authorized_keys.new || true
    cat /home/deploy/.ssh/authorized_keys.new > /home/deploy/.ssh/authorized_keys; rm -f /home/deploy/.ssh/authorized_keys.new
  fi
  rm -f /var/spool/lab-mail/msg.* 2>/dev/null || true
  # the shop's vhost as setup installs it
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f /home/alice/.bash_history /home/deploy/.bash_history
  if [ -s "$SHOPACCT_PKGS" ]; then
    mapfile -t p < "$SHOPACCT_PKGS"
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f "$SHOPACCT_PKGS"
  fi
  return 0
}
