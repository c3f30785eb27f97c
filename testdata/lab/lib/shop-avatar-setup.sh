# shellcheck shell=bash
# The PHP shop with customer profile pictures and a storefront content
# pipeline (scenario shop-avatar): functions sourced by its scenario script,
# root side, idempotent. The shop of setup (/var/www/html, www-data) without
# the lab's deliberately vulnerable pages (upload.php, gallery.php, page.php,
# deploy-hook.php, backup/), plus, from lib/shop-avatar/:
#   www/account/avatar.php   customers' profile pictures (JPEG/PNG/GIF, getimagesize)
#                            stored as uploads/avatars/c<customer>.<ext>
#   www/admin/pages.php      the back office's content page editor (token header):
#                            pages saved into www-data's working copy /var/www/storefront
#   www/downloads/           the free poster pack (a zip made here) + its SHA-256
#   www/status.php           the kube-probe's page without a shell
#   nginx-site.conf          the shop's vhost with the PHP block of the old host
#   php-fpm-www.conf         the www pool: no extension limit, exec() and friends disabled
#   storefront/              the content repository's first tree (pages, ci/build.sh);
#                            bare repository /srv/git/storefront.git (www-data), www-data's
#                            working copy /var/www/storefront, the CI's clone /srv/ci/storefront
#   storefront-ci, content-autosave, deploy.crontab, www-data.crontab
#                            the CI's scheduled pipeline (deploy, every minute, 20 s late)
#                            and the back office's autosave (www-data, every minute)
#   sudoers-deploy-certcheck /etc/sudoers.d/deploy-certcheck: the CI's certificate gate
#   /etc/ssl/private/shop.pem the shop's TLS bundle (self-signed here, root 600)
#   avatar_install   all of the above (php-fpm restarted by pid, nginx HUP)
#   avatar_reset     everything the install and the runs added, removed; the vhost, the
#                    pool and php.ini put back
#   avatar_purge     nothing to purge (no package is installed for this scenario)

SHOPAV=$LAB_DIR/lib/shop-avatar
SHOPAV_STATE=/var/lib/lab/shop-avatar
SHOPAV_PHPINI=/etc/php/8.2/fpm/php.ini

avatar_fpm_restart() {
  stop_pidfile /run/php/php8.2-fpm.pid php-fpm8.2
  svc /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  local i; for i in $(seq 1 50); do pid_alive /run/php/php8.2-fpm.pid && break; sleep 0.1; done
  pid_alive /run/php/php8.2-fpm.pid || die "php-fpm did not start"
}

# avatar_commit DIR AUTHOR EMAIL DATE MESSAGE: one commit of everything in DIR (as www-data)
avatar_commit() {
  runuser -u www-data -- env GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL="$3" GIT_AUTHOR_DATE="$4" \
    GIT_COMMITTER_NAME="$2" GIT_COMMITTER_EMAIL="$3" GIT_COMMITTER_DATE="$4" \
    sh -c 'cd "$1" && git add -A && git commit -q -m "$2"' sh "$1" "$5"
}

avatar_install() {
  local i w=/var/lib/lab/shop-avatar-work
  install -d -m 700 "$SHOPAV_STATE"
  [ -s "$SHOPAV_STATE/php.ini" ] || cp -p "$SHOPAV_PHPINI" "$SHOPAV_STATE/php.ini"
  # the web root: the lab's deliberately vulnerable pages are not part of this shop
  rm -rf "$WEBROOT/upload.php" "$WEBROOT/gallery.php" "$WEBROOT/page.php" "$WEBROOT/deploy-hook.php" \
    "$WEBROOT/backup" "$WEBROOT/pages"
  cp -r "$SHOPAV/www/." "$WEBROOT/"
  install -d "$WEBROOT/uploads/avatars"
  $PY "$SHOPAV/mkimages.py" png "$WEBROOT/img/avatar-default.png" 96 96 1
  for i in 100217 100388 100452 100963 101120 101377; do
    if [ $((i % 2)) -eq 0 ]; then $PY "$SHOPAV/mkimages.py" png "$WEBROOT/uploads/avatars/c$i.png" 96 96 $((i % 17))
    else $PY "$SHOPAV/mkimages.py" gif "$WEBROOT/uploads/avatars/c$i.gif" 96 96 $((i % 17)); fi
  done
  install -d "$SHOPAV_STATE/posters"
  for i in 1 2 3; do $PY "$SHOPAV/mkimages.py" png "$SHOPAV_STATE/posters/poster-$i.png" 120 170 $((i * 5)); done
  $PY "$SHOPAV/mkimages.py" pack "$WEBROOT/downloads/poster-pack.zip" "$SHOPAV_STATE"/posters/poster-[123].png
  (cd "$WEBROOT/downloads" && sha256sum poster-pack.zip > poster-pack.zip.sha256)
  touch -d '2026-11-02 10:00:00' "$WEBROOT/downloads/"*
  chown -R www-data:www-data "$WEBROOT"
  # the vhost of the old host and the hardened pool
  install -m 644 "$SHOPAV/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  nginx -t -q || die "the shop-avatar vhost does not parse"
  kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  install -m 644 "$SHOPAV/php-fpm-www.conf" /etc/php/8.2/fpm/pool.d/www.conf
  php-fpm8.2 -t -y /etc/php/8.2/fpm/php-fpm.conf 2>/dev/null || die "the shop-avatar pool does not parse"
  avatar_fpm_restart
  # the shop's TLS bundle (the CI's certificate gate reads it through sudo)
  openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj '/CN=shop.lab.local' \
    -keyout "$SHOPAV_STATE/shop.key" -out "$SHOPAV_STATE/shop.crt" > /dev/null 2>&1
  install -d -m 710 /etc/ssl/private
  cat "$SHOPAV_STATE/shop.crt" "$SHOPAV_STATE/shop.key" > /etc/ssl/private/shop.pem
  chmod 600 /etc/ssl/private/shop.pem; rm -f "$SHOPAV_STATE/shop.key" "$SHOPAV_STATE/shop.crt"
  install -m 440 "$SHOPAV/sudoers-deploy-certcheck" /etc/sudoers.d/deploy-certcheck
  visudo -cf /etc/sudoers.d/deploy-certcheck > /dev/null || die "sudoers drop-in does not parse"
  # the content repository, its working copies, the CI
  rm -rf /srv/git/storefront.git /var/www/storefront /srv/ci "$w"
  git config --system --get-all safe.directory | grep -qx /srv/git/storefront.git \
    || git config --system --add safe.directory /srv/git/storefront.git
  install -d -o www-data -g www-data -m 755 "$w" /srv/git/storefront.git
  runuser -u www-data -- git init -q --bare -b main /srv/git/storefront.git
  runuser -u www-data -- git init -q -b main "$w/t"
  install -d -o www-data -g www-data "$w/t/pages" "$w/t/ci"
  install -o www-data -g www-data -m 644 "$SHOPAV/storefront/README.md" "$w/t/README.md"
  install -o www-data -g www-data -m 644 "$SHOPAV/storefront/pages/about.html" "$w/t/pages/about.html"
  avatar_commit "$w/t" 'Jonas Brandt' jonas@shop.lab.local '2026-09-14T09:12:00Z' 'storefront: content pages out of the shop code'
  install -o www-data -g www-data -m 755 "$SHOPAV/storefront/ci/build.sh" "$w/t/ci/build.sh"
  install -o www-data -g www-data -m 644 "$SHOPAV/storefront/pages/shipping.html" "$w/t/pages/shipping.html"
  avatar_commit "$w/t" 'Jonas Brandt' jonas@shop.lab.local '2026-10-02T14:40:00Z' 'ci: lint, certificate gate, package'
  install -o www-data -g www-data -m 644 "$SHOPAV/storefront/pages/returns.html" "$w/t/pages/returns.html"
  avatar_commit "$w/t" 'Marta Ruiz' marta@shop.lab.local '2026-11-20T11:03:00Z' 'pages: returns'
  runuser -u www-data -- git -C "$w/t" push -q /srv/git/storefront.git main
  install -d -o www-data -g www-data -m 755 /var/www/storefront
  runuser -u www-data -- git clone -q /srv/git/storefront.git /var/www/storefront
  runuser -u www-data -- git -C /var/www/storefront config user.name 'Shop back office'
  runuser -u www-data -- git -C /var/www/storefront config user.email 'backoffice@shop.lab.local'
  rm -rf "$w"
  install -d -o deploy -g deploy -m 755 /srv/ci /srv/ci/artifacts
  runuser -u deploy -- git clone -q /srv/git/storefront.git /srv/ci/storefront
  install -o deploy -g deploy -m 644 /dev/null /srv/ci/ci.log
  install -m 755 "$SHOPAV/storefront-ci" /usr/local/bin/storefront-ci
  install -m 755 "$SHOPAV/content-autosave" /usr/local/bin/content-autosave
  crontab -u www-data "$SHOPAV/www-data.crontab"
  crontab -u deploy "$SHOPAV/deploy.crontab"
  sleep 1
}

avatar_reset() {
  local d
  # the implant (root, named like a pool worker; the workers are www-data)
  kill_leftover 0 '^php-fpm: pool www'
  if [ -e /etc/php/8.2/mods-available/igbinary.ini ] || [ -e /etc/php/8.2/fpm/conf.d/20-igbinary.ini ]; then
    phpdismod -v 8.2 -s fpm igbinary 2>/dev/null || true
  fi
  rm -f /etc/php/8.2/fpm/conf.d/20-igbinary.ini /etc/php/8.2/cli/conf.d/20-igbinary.ini \
    /etc/php/8.2/mods-available/igbinary.ini /usr/lib/php/20220829/igbinary.so
  for d in /var/lib/php/modules/8.2/*/*; do rm -f "$d/igbinary"; done
  if [ -s "$SHOPAV_STATE/php.ini" ] && ! cmp -s "$SHOPAV_STATE/php.ini" "$SHOPAV_PHPINI"; then
    log "restoring $SHOPAV_PHPINI"
    cp -p "$SHOPAV_STATE/php.ini" "$SHOPAV_PHPINI"
  fi
  install -m 644 "$LAB_DIR/conf/php-fpm-www.conf" /etc/php/8.2/fpm/pool.d/www.conf
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  rm -f /etc/sudoers.d/deploy-certcheck /etc/ssl/private/shop.pem
  crontab -u deploy -r 2>/dev/null || true
  crontab -u www-data -r 2>/dev/null || true
  rm -rf /srv/git/storefront.git /var/www/storefront /srv/ci /var/tmp/storefront-cache /var/lib/lab/shop-avatar-work
  rm -f /usr/local/bin/storefront-ci /usr/local/bin/content-autosave
  git config --system --unset-all safe.directory '^/srv/git/storefront\.git$' 2>/dev/null || true
  rm -f /home/alice/.bash_history /home/deploy/.bash_history /root/.bash_history
  return 0
}

avatar_purge() { :; }
