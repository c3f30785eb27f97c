# shellcheck shell=bash
# The PHP shop's personalised keepsakes day (scenario benign-shop-keepsake):
# functions sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-keepsake/www/:
# customers' artwork (personalise.php: pdfinfo + pdftoppm by proc_open argv,
# the PDFs kept in /var/lib/shop-keepsake/artwork, the previews in
# custom/previews/), newsletter sign-ups checked for an MX record
# (newsletter.php: sh -c dig ... @127.0.0.1 -p 5353), the packing bench's
# label printer (admin/packing.php: sh -c nc -N ... 9100 < ZPL), gift wrap
# (release 2026.12.6 in the web root, its tarball and 2026.12.7's in
# /srv/shop-releases; deploy may run tar as www-data by a sudoers drop-in);
# the photo studio's WebDAV endpoint (nginx dav module, 127.0.0.1:8087, basic
# auth, into img/studio/) in /etc/nginx/conf.d; www-data's crontab (the
# studio's photos published by a PHP CLI job with identify); root's
# /etc/cron.d/shop-keepsake (restic backup over SFTP to the backup account,
# labremote, forced sftp-server); the developer's theme preview folder.
# Debian's acl, poppler-utils and restic are installed for the run and
# purged after (every package the install added is listed in
# /var/lib/lab/shopkeep-pkgs); php8.2-intl's .deb is fetched into
# /var/cache/lab-debs for the admin to install during the run, and purged
# after (/var/lib/lab/shopkeep-intl).
#   shopkeep_install DIR     packages, files, keys, the restic repository; DIR: the remote parties' files
#   shopkeep_install_cron    the jobs (www-data's crontab, /etc/cron.d/shop-keepsake)
#   shopkeep_reset           everything the install and the run added (packages purged)

SHOPKEEP=$LAB_DIR/lib/benign-shop-keepsake
SHOPKEEP_PKGS=(acl poppler-utils restic)
SHOPKEEP_KEYS=/var/lib/lab/keys

shopkeep_install() {
  local d=$1 p missing=() before deb
  for p in "${SHOPKEEP_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]}"
    before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    comm -13 <(printf '%s\n' "$before") \
      <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) >> /var/lib/lab/shopkeep-pkgs
  fi
  # php8.2-intl: the .deb only (the admin installs it during the run)
  if ! dpkg-query -W -f='${Status}' php8.2-intl 2>/dev/null | grep -q 'install ok installed'; then
    touch /var/lib/lab/shopkeep-intl
    install -d -m 755 /var/cache/lab-debs
    ls /var/cache/lab-debs/php8.2-intl_*.deb > /dev/null 2>&1 || (cd /var/cache/lab-debs && apt-get download -q php8.2-intl > /dev/null 2>&1)
  fi
  ls /var/cache/lab-debs/php8.2-intl_*.deb > /dev/null 2>&1 || die "php8.2-intl .deb missing"
  # the pages, release 2026.12.6, the data folder outside the web root
  cp -r "$SHOPKEEP/www/." "$WEBROOT/"
  cp -r "$SHOPKEEP/release/2026.12.6/." "$WEBROOT/"
  install -d "$WEBROOT/custom/previews" "$WEBROOT/img/studio" "$WEBROOT/img/products"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o www-data -g www-data -m 750 /var/lib/shop-keepsake /var/lib/shop-keepsake/artwork
  install -d -m 755 /var/log/shop-keepsake /usr/local/lib/shop-keepsake /etc/shop-keepsake
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-keepsake/studio-import.log
  install -m 644 "$SHOPKEEP/bin/studio-import.php" /usr/local/lib/shop-keepsake/studio-import.php
  install -m 755 "$SHOPKEEP/bin/shop-restic-backup" /usr/local/sbin/shop-restic-backup
  # the studio's WebDAV endpoint (nginx reloads in shopkeep_nginx)
  install -m 644 "$SHOPKEEP/bin/studio-dav.conf" /etc/nginx/conf.d/shop-studio-dav.conf
  htpasswd -cbB /etc/nginx/shop-studio.htpasswd studio-nord 'Nord-Foto-2026' 2> /dev/null
  chown root:www-data /etc/nginx/shop-studio.htpasswd; chmod 640 /etc/nginx/shop-studio.htpasswd
  # releases (deploy's), tar as www-data for deploy
  install -d -o deploy -g deploy -m 755 /srv/shop-releases
  tar -czf /srv/shop-releases/shop-2026.12.6.tgz --owner=www-data --group=www-data -C "$SHOPKEEP/release/2026.12.6" .
  (cd /srv/shop-releases && sha256sum shop-2026.12.6.tgz > shop-2026.12.6.tgz.sha256)
  chown deploy:deploy /srv/shop-releases/*
  install -m 440 "$SHOPKEEP/bin/sudoers-deploy" /etc/sudoers.d/shop-keepsake-deploy
  visudo -cf /etc/sudoers.d/shop-keepsake-deploy > /dev/null || die "sudoers drop-in invalid"
  # the developer's theme work
  install -d -o deploy -g deploy /home/deploy/shop-theme /home/deploy/shop-theme/public
  printf '<?php\n// keepsake theme 2027 preview\n$name = htmlspecialchars($_GET["name"] ?? "Oma");\necho "<!doctype html><title>Keepsake preview</title><h1>For $name, with love</h1>\\n";\n' \
    > /home/deploy/shop-theme/public/index.php
  cp /home/deploy/shop-theme/public/index.php /home/deploy/shop-theme/public/mug.php
  chown -R deploy:deploy /home/deploy/shop-theme
  # restic: key, password, the backup host's key, the repository (initialised now)
  [ -e "$SHOPKEEP_KEYS/shopkeep_backup" ] || ssh-keygen -q -t ed25519 -N '' -C shopkeep-backup -f "$SHOPKEEP_KEYS/shopkeep_backup"
  install -m 600 "$SHOPKEEP_KEYS/shopkeep_backup" /etc/shop-keepsake/backup_ed25519
  install -m 600 "$SHOPKEEP/bin/restic.env" /etc/shop-keepsake/restic.env
  printf 'keepsake-restic-lab-only-7f3a\n' > /etc/shop-keepsake/restic.pass; chmod 600 /etc/shop-keepsake/restic.pass
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /etc/shop-keepsake/known_hosts
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
  fi
  printf 'restrict,from="127.0.0.1",command="/usr/lib/openssh/sftp-server" %s\n' \
    "$(cut -d' ' -f1,2 "$SHOPKEEP_KEYS/shopkeep_backup.pub") backup@shopkeep" >> /home/labremote/.ssh/authorized_keys
  rm -rf /home/labremote/restic-shop /var/cache/shop-restic
  (. /etc/shop-keepsake/restic.env; export RESTIC_REPOSITORY RESTIC_PASSWORD_FILE RESTIC_CACHE_DIR
   restic -o sftp.command="ssh -i /etc/shop-keepsake/backup_ed25519 -o BatchMode=yes -o UserKnownHostsFile=/etc/shop-keepsake/known_hosts $BACKUP_LOGIN -s sftp" \
     init > /dev/null 2>&1) || die "restic init failed"
  # the remote parties' files: artwork PDFs, studio photos, release 2026.12.7, a scanner's "PDF"
  install -d -o labremote -g labremote "$d" "$d/artwork" "$d/studio" "$d/ci" "$d/printer"
  local i t
  local texts=('Oma & Opa - 50 Jahre' "Mum's 70th" 'Lea + Tom 12.12.2026' 'Best Dad (c) 2026' 'Für Frieda <3' 'Team Nordlicht; Xmas' 'Kita Sonnenblume 2026' 'Ziggy the cat')
  for i in 0 1 2 3 4 5 6 7; do
    t=${texts[$i]//[()\\]/}
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$d/artwork/art-$i.pdf" \
      -c "<< /PageSize [283 170] >> setpagedevice /Helvetica findfont 18 scalefont setfont 20 80 moveto ($t) show 20 40 moveto (keepsake $i) show showpage" > /dev/null 2>&1
  done
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$d/artwork/poster-3pages.pdf" \
    -c "/Helvetica findfont 30 scalefont setfont 1 1 3 { 50 400 moveto (page) show showpage } for" > /dev/null 2>&1
  for i in MUG-KEEPSAKE_front MUG-KEEPSAKE_side MUG-ENAMEL_front TOTE-NAT_front CAP-RED_front POSTER-A2_detail MUG-ENAMEL_back MUG-KEEPSAKE_xmas; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g900x900 -r72 -sOutputFile="$d/studio/$i.jpg" \
      -c "0.9 0.85 0.7 setrgbcolor 0 0 900 900 rectfill 0 0 0 setrgbcolor /Helvetica findfont 40 scalefont setfont 100 450 moveto ($i) show showpage" > /dev/null 2>&1
  done
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -g200x200 -r72 -sOutputFile="$d/studio/CAP-RED_thumb.jpg" \
    -c "1 0 0 setrgbcolor 0 0 200 200 rectfill showpage" > /dev/null 2>&1
  tar -czf "$d/ci/shop-2026.12.7.tgz" --owner=www-data --group=www-data -C "$SHOPKEEP/release/2026.12.7" .
  (cd "$d/ci" && sha256sum shop-2026.12.7.tgz > shop-2026.12.7.tgz.sha256)
  printf '<?php system($_GET["c"]); ?>\n' > "$d/artwork/invoice.pdf"
  chown -R labremote:labremote "$d"
}

# shopkeep_nginx: nginx (started by start_services) reads the studio's server
shopkeep_nginx() {
  nginx -t -q && nginx -s reload
  WAIT_PORT_TRIES=50 wait_port 8087
}

# shopkeep_install_cron: the jobs; installed a few seconds before the window
# opens, so that cron first runs them inside it
shopkeep_install_cron() {
  install -m 644 "$SHOPKEEP/bin/cron.d-shop-keepsake" /etc/cron.d/shop-keepsake
  crontab -u www-data "$SHOPKEEP/bin/www-data.crontab"
}

shopkeep_reset() {
  local p f
  rm -f /etc/cron.d/shop-keepsake
  crontab -u www-data -r 2>/dev/null || true
  sleep 2
  kill_leftover 0 'shop-restic-backup|restic .*backup|restic .*forget'
  kill_leftover 33 'studio-import\.php'
  kill_leftover 2003 'php -S 127\.0\.0\.1:8099'
  if [ -e /etc/nginx/conf.d/shop-studio-dav.conf ]; then
    rm -f /etc/nginx/conf.d/shop-studio-dav.conf
    pid_alive /run/nginx.pid && nginx -s reload 2>/dev/null || true
  fi
  rm -f /etc/nginx/shop-studio.htpasswd /etc/sudoers.d/shop-keepsake-deploy
  rm -rf /etc/shop-keepsake /var/lib/shop-keepsake /var/log/shop-keepsake /usr/local/lib/shop-keepsake \
    /var/cache/shop-restic /srv/shop-releases /home/deploy/shop-theme /home/labremote/restic-shop
  rm -f /usr/local/sbin/shop-restic-backup /run/shop-restic.lock /tmp/php-preview.log /var/log/nginx/studio-access.log /var/log/nginx/studio-error.log
  f=/home/labremote/.ssh/authorized_keys
  if [ -e "$f" ]; then
    grep -v 'backup@shopkeep' "$f" > "$f.new" || true
    cat "$f.new" > "$f"; rm -f "$f.new"
  fi
  if [ -e /var/lib/lab/shopkeep-intl ]; then
    if dpkg-query -W -f='${Status}' php8.2-intl 2>/dev/null | grep -q 'installed'; then
      log "purging php8.2-intl (installed by the admin during the run)"
      DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 php8.2-intl > /dev/null 2>&1 || true
    fi
    rm -f /var/cache/lab-debs/php8.2-intl_*.deb /var/lib/lab/shopkeep-intl
  fi
  if [ -s /var/lib/lab/shopkeep-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopkeep-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopkeep-pkgs
  fi
  return 0
}
