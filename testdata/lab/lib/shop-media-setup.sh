# shellcheck shell=bash
# The PHP shop's media stack (scenarios benign-shop-media and shop-specsheet):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus shopmedia/www/: the
# supplier portal's spec sheet upload (supplier/specsheet.php: previews by
# Ghostscript, proc_open argv, -dNOSAFER for the supplier font map), the
# pseudo-cron shop-cron.php, the theme manager admin/theme.php (PharData),
# the payment webhook (openssl dgst -verify, callback to the provider), the
# CI's release hook deploy/release.php (crontab of deploy/www-data.cron);
# root's monitoring agent /usr/local/bin/shop-check-agent behind socat
# (127.0.0.1:6556, fork + EXEC, started here by pid file) with the web
# team's plugin folder /usr/local/lib/shop-check/plugins (root:www-data
# 2775); root's log shipping (/etc/cron.d/shop-logship: logger --tcp to
# 127.0.0.1:5514); the off-site backup /usr/local/sbin/shop-offsite (sqlite3
# .dump | gzip | openssl enc, rsync to an rsync daemon).
#   shopmedia_install DIR   files, keys, agent; DIR: the remote parties' files
#                           (supplier PDFs, the PSP's signing key)
#   shopmedia_reset         everything the install and both runs added

SHOPMEDIA=$LAB_DIR/shopmedia
SM_RUN=/run/lab

shopmedia_install() {
  local d=$1
  cp -r "$SHOPMEDIA/www/." "$WEBROOT/"
  install -d "$WEBROOT/media/tmp" "$WEBROOT/themes"
  rm -f "$WEBROOT/data/shop.db"
  sqlite3 "$WEBROOT/data/shop.db" "CREATE TABLE orders (id INTEGER PRIMARY KEY, email TEXT, total REAL, status TEXT);
    INSERT INTO orders (email, total, status) VALUES ('ann@example.org', 42.5, 'paid'), ('bob@example.net', 19.0, 'shipped'),
    ('cem@example.com', 77.2, 'paid'), ('dora@example.org', 12.0, 'refunded');"
  : > "$WEBROOT/data/specsheets.csv"; : > "$WEBROOT/data/payments.csv"
  chown -R www-data:www-data "$WEBROOT"
  # secrets: the PSP's public key, the backup passphrase, the rsync password
  install -d -m 755 /etc/shop-media
  [ -e /var/lib/lab/keys/shopmedia_psp.key ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out /var/lib/lab/keys/shopmedia_psp.key 2>/dev/null
  openssl pkey -in /var/lib/lab/keys/shopmedia_psp.key -pubout -out /etc/shop-media/psp-public.pem
  printf 'Kx7-backup-passphrase-lab-only\n' > /etc/shop-media/backup.pass; printf 'bak-9d2e\n' > /etc/shop-media/rsync.pass
  chmod 600 /etc/shop-media/backup.pass /etc/shop-media/rsync.pass
  # jobs and tools
  install -d -m 755 /usr/local/lib/shop
  install -m 755 "$SHOPMEDIA/bin/cache-warm.sh" /usr/local/lib/shop/cache-warm.sh
  install -d -o www-data -g www-data -m 755 /var/log/shop-media
  install -m 755 "$SHOPMEDIA/bin/shop-logship" /usr/local/sbin/shop-logship
  install -m 755 "$SHOPMEDIA/bin/shop-offsite" /usr/local/sbin/shop-offsite
  printf '# log shipping to the hosting company collector\n* * * * * root /usr/local/sbin/shop-logship\n' > /etc/cron.d/shop-logship
  rm -rf /var/lib/shop-logship; install -d -m 755 /var/lib/shop-logship
  stat -c %s /var/log/nginx/access.log > /var/lib/shop-logship/offset
  install -m 755 "$SHOPMEDIA/bin/shop-check-agent" /usr/local/bin/shop-check-agent
  install -d -o root -g www-data -m 2775 /usr/local/lib/shop-check /usr/local/lib/shop-check/plugins
  install -m 755 "$SHOPMEDIA/plugins/php_fpm_pool" /usr/local/lib/shop-check/plugins/php_fpm_pool
  install -m 755 -o www-data -g www-data "$SHOPMEDIA/plugins/spec_previews" /usr/local/lib/shop-check/plugins/spec_previews
  # the agent's listener (root)
  setsid env -i "${SVC_ENV[@]}" socat TCP-LISTEN:6556,bind=127.0.0.1,reuseaddr,fork EXEC:/usr/local/bin/shop-check-agent \
    < /dev/null > /dev/null 2>&1 &
  echo $! > "$SM_RUN/shop-check-agent.pid"
  wait_port 6556
  # the remote parties' files: supplier PDFs, the PSP's signing key, the theme package
  install -d -o labremote -g labremote "$d"
  local s
  for s in MUG-BLUE TOTE-NAT TEE-GRY-M CAP-RED POSTER-A2 MUG-RED; do
    printf '%%!PS\n/Helvetica findfont 20 scalefont setfont 72 720 moveto (Spec sheet %s) show\n72 690 moveto (Supplier: Nordlicht GmbH) show showpage\n' "$s" |
      gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$d/$s.pdf" - >/dev/null 2>&1
  done
  install -m 600 /var/lib/lab/keys/shopmedia_psp.key "$d/psp.key"
  tar -czf "$d/aurora-2.3.tar.gz" -C "$SHOPMEDIA/theme/aurora-2.3" index.php functions.php style.css CHANGELOG.txt
  chown -R labremote:labremote "$d"
}

shopmedia_reset() {
  local p
  stop_pidfile "$SM_RUN/shop-check-agent.pid" shop-check-agent
  stop_pidfile "$SM_RUN/shopmedia-tmux.pid" alice-tmux
  kill_leftover 0 'shop-check-agent|\.tsync'
  kill_leftover 2002 'tmux'
  kill_leftover 33 'gdb -nx|shop-cron'
  rm -f /etc/cron.d/shop-logship /usr/local/sbin/shop-logship /usr/local/sbin/shop-offsite /usr/local/bin/shop-check-agent
  rm -f /usr/local/lib/shop/cache-warm.sh; rmdir /usr/local/lib/shop 2>/dev/null || true
  rm -rf /usr/local/lib/shop-check /var/lib/shop-logship /var/log/shop-media /etc/shop-media /var/backups/shop
  rm -f /tmp/shop-cron.lock /tmp/fpm-*.trace
  crontab -u www-data -r 2>/dev/null || true
  # shop-specsheet: the PAM hook, its script, the beacon's files, the attacker's key at the "remote" end
  if [ -e /var/lib/lab/shopmedia-pam-sshd ]; then
    cp /var/lib/lab/shopmedia-pam-sshd /etc/pam.d/sshd && rm -f /var/lib/lab/shopmedia-pam-sshd
  fi
  rm -f /usr/lib/x86_64-linux-gnu/security/.pam_tsync.sh /run/.tsync /dev/shm/.r /dev/shm/.k /dev/shm/.o.txz /dev/shm/.p /dev/shm/.t
  if [ -e /var/lib/lab/shopmedia-labremote-keys-made ]; then
    rm -f /home/labremote/.ssh/authorized_keys /var/lib/lab/shopmedia-labremote-keys-made
  fi
  rm -rf /tmp/tmux-2002
  return 0
}

# shop-specsheet only: the admin's long-lived tmux session (her habit: one
# "ops" session per host, left open), and the attacker's key accepted by
# labremote (the attacker's sftp drop)
shopmedia_attack_install() {
  cp /etc/pam.d/sshd /var/lib/lab/shopmedia-pam-sshd
  setpriv --reuid=2002 --regid=2002 --init-groups env -i HOME=/home/alice USER=alice LOGNAME=alice SHELL=/bin/bash \
    PATH=/usr/local/bin:/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 \
    tmux new-session -d -s ops -x 200 -y 50 -c /home/alice
  setpriv --reuid=2002 --regid=2002 --init-groups env -i HOME=/home/alice tmux display-message -p -t ops '#{pid}' > "$SM_RUN/shopmedia-tmux.pid"
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    printf 'restrict,from="127.0.0.1" %s\n' "$(cat /home/labremote/.ssh/attacker_ed25519.pub)" > /home/labremote/.ssh/authorized_keys
    chown labremote:labremote /home/labremote/.ssh/authorized_keys; chmod 600 /home/labremote/.ssh/authorized_keys
    touch /var/lib/lab/shopmedia-labremote-keys-made
  fi
}
