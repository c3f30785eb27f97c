# shellcheck shell=bash
# scenario-benign-lookalike (TUNING, lab17): an innocent day of the PHP shop
# (nginx + php-fpm, www-data) whose features and admin work look like attack
# techniques. Functions sourced by the scenario, root side, idempotent;
# lookalike_reset undoes everything lookalike_install changes outside the
# web root (setup --reset-only puts the web root back):
#   lookalike_install DIR   pages + plugins, ops settings, root cron jobs, the
#                           shop over HTTPS on 127.0.0.1:443, the new hire's
#                           and the backup account's state, the marketplace's
#                           archives in DIR (served by labremote)
#   lookalike_reset         all of it undone (accounts nina 2031 and shopbackup 2032 removed)

LOOKALIKE=$LAB_DIR/lookalike
LOOKALIKE_NINA_UID=2031     # the new hire alice creates during the capture
LOOKALIKE_BACKUP_UID=2032   # the off-site backup's receiving account (the "backup host" is 127.0.0.1)
LOOKALIKE_MARK=$STATE/lookalike-alice-known-hosts   # alice had no known_hosts before install

lookalike_install() {
  local market=$1 v
  # the pages: site health, plugin manager, checkout with its webhook; gift-cards 2.0.0 already installed
  cp -r "$LOOKALIKE/www/." "$WEBROOT/"
  install -d "$WEBROOT/plugins"
  cp -r "$LOOKALIKE/plugins/gift-cards" "$WEBROOT/plugins/"
  sed -i 's/@VERSION@/2.0.0/' "$WEBROOT/plugins/gift-cards/plugin.json" "$WEBROOT/plugins/gift-cards/balance.php"
  chown -R www-data:www-data "$WEBROOT"
  # the ops settings (DB password, admin session, monitoring token), readable by php-fpm
  install -d -m 755 /etc/shop
  install -m 644 -o root -g www-data "$LOOKALIKE/shop.ini" /etc/shop/shop.ini
  # root cron: status ping, DB dump (the mysqldump stub of shop2), certificate check
  install -m 755 "$LOOKALIKE/bin/shop-cert-check" /usr/local/sbin/shop-cert-check
  [ -e /usr/local/bin/mysqldump ] || install -m 755 "$LAB_DIR/shop2/benign/bin/mysqldump" /usr/local/bin/mysqldump
  install -d -m 700 /var/backups/shop
  install -m 644 "$LOOKALIKE/cron.d-shop-ops" /etc/cron.d/shop-ops
  # the shop's own logs: today's and 30 days of rotations (the admin deletes the old ones)
  install -d -m 755 /var/log/shop
  printf '%s shop started\n' "$(date -u +%FT%TZ)" > /var/log/shop/app.log
  for v in $(seq 1 30); do
    printf 'rotated log %d\n' "$v" > "/var/log/shop/app.log.$v"
    touch -d "$v days ago" "/var/log/shop/app.log.$v"
  done
  # the shop over HTTPS: a certificate valid 60 days, nginx's vhost on 127.0.0.1:443
  install -d -m 750 /etc/nginx/shop-tls
  openssl req -x509 -newkey rsa:2048 -nodes -days 60 -subj "/CN=shop.lab.local" \
    -keyout /etc/nginx/shop-tls/shop.lab.local.key -out /etc/nginx/shop-tls/shop.lab.local.crt 2> /dev/null
  chmod 600 /etc/nginx/shop-tls/shop.lab.local.key
  install -m 644 "$LOOKALIKE/nginx-shop-tls.conf" /etc/nginx/sites-enabled/lab-shop-tls
  svc /usr/sbin/nginx -t 2> /dev/null || die "nginx -t failed with the TLS vhost"
  svc /usr/sbin/nginx -s reload
  wait_port 443
  # the backup account (pubkey only: its password field '*', as alice's) and alice's key for it
  if ! getent passwd shopbackup > /dev/null; then
    getent passwd "$LOOKALIKE_BACKUP_UID" > /dev/null && die "uid $LOOKALIKE_BACKUP_UID is taken (needed for shopbackup)"
    useradd -u "$LOOKALIKE_BACKUP_UID" -U -m -s /bin/bash -c 'off-site backups' shopbackup
    usermod -p '*' shopbackup
  fi
  install -d -m 750 -o shopbackup -g shopbackup /srv/backup
  rm -f /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub
  ssh-keygen -q -t ed25519 -N '' -C alice-backup -f /home/alice/.ssh/id_backup
  chown alice:alice /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub
  install -d -m 700 -o shopbackup -g shopbackup /home/shopbackup/.ssh
  install -m 600 -o shopbackup -g shopbackup /home/alice/.ssh/id_backup.pub /home/shopbackup/.ssh/authorized_keys
  if [ ! -e /home/alice/.ssh/known_hosts ]; then
    printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /home/alice/.ssh/known_hosts
    chown alice:alice /home/alice/.ssh/known_hosts
    touch "$LOOKALIKE_MARK"
  fi
  # the plugin marketplace's archives (labremote's HTTP server answers GET /market/<file> with <file>)
  install -d -o labremote -g labremote "$market"
  (
    cd "$LOOKALIKE/plugins"
    $PY - "$market" <<'PYEOF'
import os, sys, zipfile
out = sys.argv[1]
def pack(name, version):
    with zipfile.ZipFile("%s/%s-%s.zip" % (out, name, version), "w", zipfile.ZIP_DEFLATED) as z:
        for d, _, files in os.walk(name):
            for f in sorted(files):
                p = os.path.join(d, f)
                z.writestr(p, open(p).read().replace("@VERSION@", version))
pack("seo-sitemap", "1.4.0")
pack("gift-cards", "2.0.1")
PYEOF
  )
  chown -R labremote:labremote "$market"
}

lookalike_reset() {
  [ -e /etc/shop/shop.ini ] && chattr -i /etc/shop/shop.ini 2> /dev/null
  rm -rf /etc/shop /var/lib/shop-ops /var/backups/shop /var/log/shop
  rm -f /etc/cron.d/shop-ops /usr/local/sbin/shop-cert-check
  if [ -e /usr/local/bin/mysqldump ] && cmp -s /usr/local/bin/mysqldump "$LAB_DIR/shop2/benign/bin/mysqldump"; then
    rm -f /usr/local/bin/mysqldump
  fi
  if [ -e /etc/nginx/sites-enabled/lab-shop-tls ]; then
    rm -f /etc/nginx/sites-enabled/lab-shop-tls
    pid_alive /run/nginx.pid && svc /usr/sbin/nginx -s reload
  fi
  rm -rf /etc/nginx/shop-tls
  rm -f /var/log/nginx/shop-tls-access.log /tmp/plugin-*.zip /tmp/shop-webhook-*.json
  rm -f /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub
  if [ -e "$LOOKALIKE_MARK" ]; then rm -f /home/alice/.ssh/known_hosts "$LOOKALIKE_MARK"; fi
  rm -rf /srv/backup
  if [ "$(id -u nina 2> /dev/null)" = "$LOOKALIKE_NINA_UID" ]; then userdel -r nina 2> /dev/null || true; fi
  if [ "$(id -u shopbackup 2> /dev/null)" = "$LOOKALIKE_BACKUP_UID" ]; then userdel -r shopbackup 2> /dev/null || true; fi
  return 0
}
