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
