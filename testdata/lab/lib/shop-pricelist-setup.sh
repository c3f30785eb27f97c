# shellcheck shell=bash
# The PHP shop's supplier price lists (scenario shop-pricelist): functions
# sourced by its scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus, from lib/shop-pricelist/:
#   supplier/prices.php  suppliers upload a .tar.gz price list; php-fpm runs
#                        sh -c tar -xzf <upload> -C supplier/incoming/<dir> <files>
#                        and updates data/products.csv from prices.csv
#   img/px.gif           the shop's analytics pixel (static, logged by nginx)
#   the legacy fleet trust: sshd takes host-based authentication (sshd_config
#   additions), ssh clients may use it (ssh_config.d drop-in, ssh-keysign),
#   the host's keys in /etc/ssh/ssh_known_hosts, and deploy's ~/.shosts lets
#   www-data of this host in as deploy (www-data's cron lists the feeds so)
#   /etc/sudoers.d/deploy-nginx  deploy may run vim on the nginx vhosts and
#                        nginx -t / -s reload as root (the CI's release edits)
#   www-data's crontab   cron.php + the feed listing over ssh as deploy
#   Debian's whois (installed for the run, purged after)
#   pricelist_install    all of the above
#   pricelist_reset      everything the install and the runs added (package kept)
#   pricelist_purge      the package the install added, purged

SHOPPL=$LAB_DIR/lib/shop-pricelist
SHOPPL_PKGS=/var/lib/lab/shoppricelist-pkgs.txt
SHOPPL_STATE=/var/lib/lab/shop-pricelist

pricelist_install() {
  local p missing=() t
  for p in whois; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >> "$SHOPPL_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # a pristine copy of df (the run replaces it; pricelist_reset puts it back)
  install -d -m 700 "$SHOPPL_STATE"
  if [ ! -s "$SHOPPL_STATE/df.orig" ] && [ "$(head -c 4 /usr/bin/df | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
    cp -p /usr/bin/df "$SHOPPL_STATE/df.orig"
  fi
  # pages
  cp -r "$SHOPPL/www/." "$WEBROOT/"
  install -d "$WEBROOT/supplier/incoming"
  : > "$WEBROOT/data/price-imports.log"
  chown -R www-data:www-data "$WEBROOT"
  # the feed account's drop folder
  install -d -o deploy -g deploy -m 755 /srv/shop-feeds
  for p in northwind-ceramics-2026-12-05.tgz printhaus-2026-12-06.tgz; do
    printf 'name,price\n' | runuser -u deploy -- tee "/srv/shop-feeds/$p" > /dev/null
  done
  # the legacy host-based trust
  cat "$SHOPPL/sshd-hostbased.conf" >> /etc/ssh/sshd_config
  sshd -t -f /etc/ssh/sshd_config || die "sshd_config with host-based trust does not parse"
  install -m 644 "$SHOPPL/fleet-hostbased.conf" /etc/ssh/ssh_config.d/fleet-hostbased.conf
  for t in ed25519 ecdsa rsa; do
    printf 'localhost,127.0.0.1 %s\n' "$(cut -d' ' -f1,2 "/etc/ssh/ssh_host_${t}_key.pub")"
  done > /etc/ssh/ssh_known_hosts
  chmod 644 /etc/ssh/ssh_known_hosts
  printf 'localhost www-data\n' > /home/deploy/.shosts
  chown deploy:deploy /home/deploy/.shosts; chmod 600 /home/deploy/.shosts
  kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"
  # the CI's sudo rule
  install -m 440 "$SHOPPL/sudoers-deploy-nginx" /etc/sudoers.d/deploy-nginx
  visudo -cf /etc/sudoers.d/deploy-nginx >/dev/null || die "sudoers drop-in does not parse"
  # www-data's cron
  crontab -u www-data "$SHOPPL/www-data.crontab"
  sleep 1
}

pricelist_reset() {
  kill_leftover 0 '\.coreutils/mtab-sync|tail -n 0 -F /var/log/nginx/access\.log'
  if [ -s "$SHOPPL_STATE/df.orig" ] && ! cmp -s "$SHOPPL_STATE/df.orig" /usr/bin/df; then
    log "restoring /usr/bin/df"
    cp -p "$SHOPPL_STATE/df.orig" /usr/bin/df
  fi
  rm -rf /usr/lib/x86_64-linux-gnu/.coreutils /dev/shm/.pl
  rm -f /run/.mtab-sync.pid
  rm -f /etc/ssh/ssh_config.d/fleet-hostbased.conf /etc/ssh/ssh_known_hosts /home/deploy/.shosts /etc/sudoers.d/deploy-nginx
  rm -f /var/www/.ssh/known_hosts
  rm -rf /srv/shop-feeds
  crontab -u www-data -r 2>/dev/null || true
  # the shop's vhost and sshd's config as setup installs them
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  install -m 644 "$LAB_DIR/conf/sshd_config" /etc/ssh/sshd_config
  pid_alive /run/sshd.pid && kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"
  rm -f /home/alice/.bash_history /home/deploy/.bash_history /root/.bash_history /root/.viminfo
  return 0
}

pricelist_purge() {
  [ -s "$SHOPPL_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPPL_PKGS") >&2 || true
  rm -f "$SHOPPL_PKGS"
}
