# shellcheck shell=bash
# The PHP shop "again" (scenarios shop-miner and benign-maint): functions
# sourced by their scenario scripts, root side, idempotent. The shop of
# setup (/var/www/html, www-data) plus an overlay from shop2/www/: composer
# files with PHPUnit's dev dependency left in vendor/ (eval-stdin.php,
# CVE-2017-9841), a products.php that includes every cache/views/*.php (the
# theme's compiled view partials), one such partial. setup --reset-only puts
# the web root back; shop2_reset removes what these scenarios leave elsewhere.

SHOP2=$LAB_DIR/shop2

shop2_overlay() { # the overlay over the freshly reset web root
  cp -r "$SHOP2/www/." "$WEBROOT/"
  chown -R www-data:www-data "$WEBROOT"
}

# a process of uid 33 whose command line matches the pattern (by pid only:
# nothing else is ever signalled)
shop2_kill_www_pid() { # pid regex
  local p=$1 re=$2
  [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 0
  [ "$(stat -c %u "/proc/$p")" = 33 ] || return 0
  tr '\0' ' ' < "/proc/$p/cmdline" | grep -Eq "$re" || return 0
  kill -KILL "$p" 2>/dev/null || true
}

# the miner stub, its watchdog and the rival "miners" (by their pid files),
# the dropped files outside the web root
shop2_reset() {
  local f
  for f in /dev/shm/.kworker/.wd /dev/shm/.kworker/.pid; do
    [ -s "$f" ] && shop2_kill_www_pid "$(tr -dc 0-9 < "$f")" 'kworkerds|\.wd\.sh'
  done
  for f in "$STATE"/shop2-rival-*.pid; do
    [ -s "$f" ] && shop2_kill_www_pid "$(tr -dc 0-9 < "$f")" 'xmrig|kthreaddk'
    rm -f "$f"
  done
  rm -rf /dev/shm/.kworker /var/tmp/.ICE-unix /var/tmp/.ldr.sh
}

# two rival "miners" left on the host by an earlier intrusion, as www-data
# (perl sleeping under an xmrig-like command line: nothing runs), started
# before the capture so only their end is in the log
shop2_start_rivals() {
  mkdir -p "$STATE"
  setsid setpriv --reuid=33 --regid=33 --clear-groups env -i PATH=/usr/bin:/bin \
    perl -e '$0 = "/tmp/.X1M/xmrig -o stratum+tcp://127.0.0.1:5555 -u 44rival --donate-level 1"; sleep 400' \
    < /dev/null > /dev/null 2>&1 &
  echo $! > "$STATE/shop2-rival-1.pid"
  setsid setpriv --reuid=33 --regid=33 --clear-groups env -i PATH=/usr/bin:/bin \
    perl -e '$0 = "/var/tmp/.k/kthreaddk -c /var/tmp/.k/config.json --pool c3pool.lab:13333"; sleep 400' \
    < /dev/null > /dev/null 2>&1 &
  echo $! > "$STATE/shop2-rival-2.pid"
}

# the attacker's download folder: installer + the miner stub built from source
shop2_attacker_files() { # dir (served by lib/attacker-http.py as labremote)
  local d=$1
  install -d -o labremote -g labremote "$d"
  cc -O2 -o "$d/kworkerds" "$SHOP2/attacker/miner-stub.c"
  cp "$SHOP2/attacker/ldr.sh" "$d/ldr.sh"
  chown -R labremote:labremote "$d"
}

# ------------------------------------------------------------------ benign-maint only

# the innocent day's extra state: the invoice page and its renderer, a
# mysqldump stub, deploy in the www-data group with a group-writable web root
# (deploys write there), the shop's release repository (deploy's checkout one
# commit behind), alice's backup key accepted by the backup host (labremote),
# www-data's crontab, the theme vendor's release files
shop2_benign_install() { # vendor-dir
  local v=$1 tmp
  cp -r "$SHOP2/benign/www/." "$WEBROOT/"
  install -d "$WEBROOT/invoices"
  chown -R www-data:www-data "$WEBROOT"
  install -m 755 "$SHOP2/benign/bin/shop-invoice-pdf" /usr/local/bin/shop-invoice-pdf
  install -m 755 "$SHOP2/benign/bin/mysqldump" /usr/local/bin/mysqldump
  usermod -aG www-data deploy
  chmod -R g+w "$WEBROOT"
  # the release repository: commit 1 = the shop as deployed, commit 2 = release 2026.12
  rm -rf /srv/git/shop-release.git /home/deploy/shop-release
  tmp=$(mktemp -d); chmod 755 "$tmp"
  install -d -o deploy -g deploy /srv/git/shop-release.git "$tmp/w"
  local G=(setpriv --reuid=2003 --regid=2003 --init-groups env -i HOME=/home/deploy PATH=/usr/bin:/bin
           git -c user.name=ci -c user.email=ci@build-server -c init.defaultBranch=main)
  "${G[@]}" init -q --bare /srv/git/shop-release.git
  "${G[@]}" init -q "$tmp/w"
  cp -r "$SHOP2/www/." "$tmp/w/"; rm -rf "$tmp/w/vendor/phpunit"; cp "$SHOP2/benign/www/invoice.php" "$tmp/w/"
  chown -R deploy:deploy "$tmp/w"
  "${G[@]}" -C "$tmp/w" add -A; "${G[@]}" -C "$tmp/w" commit -qm "shop as deployed (2026.11)"
  "${G[@]}" -C "$tmp/w" push -q /srv/git/shop-release.git HEAD:main
  "${G[@]}" clone -q /srv/git/shop-release.git /home/deploy/shop-release
  cp -r "$SHOP2/benign/release/." "$tmp/w/"; chown -R deploy:deploy "$tmp/w"
  "${G[@]}" -C "$tmp/w" add -A; "${G[@]}" -C "$tmp/w" commit -qm "release 2026.12: coupons, winter footer"
  "${G[@]}" -C "$tmp/w" push -q /srv/git/shop-release.git HEAD:main
  rm -rf "$tmp"
  # alice's key for the backup host; the host's account is labremote
  rm -f /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub /home/alice/.ssh/known_hosts
  setpriv --reuid=2002 --regid=2002 --init-groups ssh-keygen -q -t ed25519 -N '' -C 'alice@shop-backup' -f /home/alice/.ssh/id_backup
  install -d -o labremote -g labremote -m 700 /home/labremote/.ssh /home/labremote/backups
  install -o labremote -g labremote -m 600 /home/alice/.ssh/id_backup.pub /home/labremote/.ssh/authorized_keys
  crontab -u www-data /var/lib/lab/www-data.crontab
  if crontab -l -u root > /dev/null 2>&1; then crontab -l -u root > "$STATE/shop2-root.crontab"; else rm -f "$STATE/shop2-root.crontab"; fi
  # the theme vendor's release (served by lib/attacker-http.py as labremote)
  install -d -o labremote -g labremote "$v"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/shop-theme-2026.12/css" "$tmp/shop-theme-2026.12/views"
  printf 'body { font-family: sans-serif; }\n' > "$tmp/shop-theme-2026.12/css/shop.css"
  cp "$SHOP2/benign/release/cache/views/footer-7d2e91.php" "$tmp/shop-theme-2026.12/views/footer.php"
  tar czf "$v/shop-theme-2026.12.tgz" -C "$tmp" shop-theme-2026.12
  (cd "$v" && sha256sum shop-theme-2026.12.tgz > SHA256SUMS)
  rm -rf "$tmp"
  chown -R labremote:labremote "$v"
}

shop2_benign_reset() {
  gpasswd -d deploy www-data > /dev/null 2>&1 || true
  rm -f /usr/local/bin/shop-invoice-pdf /usr/local/bin/mysqldump /usr/local/sbin/shop-backup
  rm -rf /srv/git/shop-release.git /home/deploy/shop-release /home/alice/releases /home/labremote/backups
  rm -f /home/alice/.ssh/id_backup /home/alice/.ssh/id_backup.pub /home/alice/.ssh/known_hosts /home/labremote/.ssh/authorized_keys
  rm -f /etc/systemd/system/shop-backup.service /etc/systemd/system/shop-backup.timer /etc/systemd/system/timers.target.wants/shop-backup.timer
  rm -f /var/backups/shop-* /tmp/root.cron
  crontab -u www-data -r 2> /dev/null || true
  if [ -s "$STATE/shop2-root.crontab" ]; then crontab -u root "$STATE/shop2-root.crontab"; else crontab -u root -r 2> /dev/null || true; fi
  rm -f "$STATE/shop2-root.crontab"
}
