# shellcheck shell=bash
# The PHP shop's cart cache (scenarios shop-cartcache and benign-shop-checkout):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus, from lib/shop-cartcache/:
# cart.php + cart-lib.php (the cart in Redis, a PHP RESP client: no exec),
# checkout.php (order line in data/orders.csv + mail()), js/checkout.js;
# Redis 7.0 (Debian's redis-server, installed for the run, purged after) run
# by root on 127.0.0.1:6379 without a password, enable-protected-configs
# local (the backup moves snapshots with CONFIG SET dir); a second php-fpm
# pool shop-api (www-data) on the FastCGI port 127.0.0.1:9000 (ping/status
# paths); root's cron RDB copy every minute; the fleet's SSH user CA
# (/etc/ssh/shop_ca/user_ca, root 600) trusted by sshd (TrustedUserCAKeys).
#   shopcart_install          packages, pool + php-fpm restart, Redis, pages, CA, cron
#   shopcart_reset            everything the install and the runs added (packages kept)
#   shopcart_purge            the packages the install added, purged
#   shopcart_benign_install   benign-shop-checkout's extras (CI's opcache reset tool)

SHOPCART=$LAB_DIR/lib/shop-cartcache
SHOPCART_PKGS=/var/lib/lab/shopcart-pkgs.txt

shopcart_fpm_restart() {
  stop_pidfile /run/php/php8.2-fpm.pid php-fpm8.2
  svc /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  local i; for i in $(seq 1 50); do pid_alive /run/php/php8.2-fpm.pid && break; sleep 0.1; done
  sleep 0.5
}

shopcart_install() {
  local p missing=() i
  for p in redis-server redis-tools liblzf1; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >> "$SHOPCART_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # Debian's package starts nothing here (policy-rc.d); its own instance is not used
  # the FastCGI port pool
  install -m 644 "$SHOPCART/php-fpm-shop-api.conf" /etc/php/8.2/fpm/pool.d/shop-api.conf
  shopcart_fpm_restart
  # Redis as root, by pid file
  install -d -m 755 /etc/shop-redis /var/lib/shop-redis /var/log/shop-redis /var/backups/shop-redis
  install -m 644 "$SHOPCART/redis.conf" /etc/shop-redis/redis.conf
  mkdir -p "$RUN"
  (cd / && svc /usr/bin/redis-server /etc/shop-redis/redis.conf)
  for i in $(seq 1 50); do pid_alive "$RUN/shop-redis.pid" && break; sleep 0.1; done
  pid_alive "$RUN/shop-redis.pid" || die "redis-server did not start"
  wait_port 6379
  for i in 1 2 3 4 5 6; do
    redis-cli -h 127.0.0.1 HSET "cart:$(printf '%016x' $((0x5eed0000 + i * 977)))" MUG-BLUE $i TOTE-01 1 >/dev/null
  done
  redis-cli -h 127.0.0.1 SET shop:catalog:version 2026.12.4 >/dev/null
  # pages
  cp -r "$SHOPCART/www/." "$WEBROOT/"
  touch "$WEBROOT/data/orders.csv"
  install -d "$WEBROOT/img/cache"
  chown -R www-data:www-data "$WEBROOT"
  # the fleet's SSH user CA, trusted by sshd
  [ -e /var/lib/lab/keys/shop_user_ca ] || ssh-keygen -q -t ed25519 -N '' -C 'shop fleet user CA' -f /var/lib/lab/keys/shop_user_ca
  install -d -m 700 /etc/ssh/shop_ca
  install -m 600 /var/lib/lab/keys/shop_user_ca /etc/ssh/shop_ca/user_ca
  install -m 644 /var/lib/lab/keys/shop_user_ca.pub /etc/ssh/shop_ca/user_ca.pub
  printf 'TrustedUserCAKeys /etc/ssh/shop_ca/user_ca.pub\n' >> /etc/ssh/sshd_config
  sshd -t -f /etc/ssh/sshd_config || die "sshd_config with the CA does not parse"
  kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"
  # root's RDB copy
  install -m 755 "$SHOPCART/shop-redis-backup" /usr/local/sbin/shop-redis-backup
  install -m 644 "$SHOPCART/cron.d-shop-cartcache" /etc/cron.d/shop-cartcache
  sleep 1
}

shopcart_reset() {
  kill_leftover 0 'kworker/u4:3-events|/\.cache/hald'
  stop_pidfile "$RUN/shop-redis.pid" shop-redis
  stop_pidfile "$RUN/shop-redis-new.pid" shop-redis-new
  rm -f /etc/php/8.2/fpm/pool.d/shop-api.conf /etc/cron.d/shop-cartcache /usr/local/sbin/shop-redis-backup
  rm -rf /etc/shop-redis /var/lib/shop-redis /var/log/shop-redis /var/backups/shop-redis /etc/ssh/shop_ca
  rm -f /home/alice/.ssh/authorized_keys2 /usr/share/nginx/.fpm-health.inc /dev/shm/.k /dev/shm/.k.pub /dev/shm/.k-cert.pub
  rm -f /usr/lib/x86_64-linux-gnu/.cache/hald
  rmdir /usr/lib/x86_64-linux-gnu/.cache 2>/dev/null || true
  # the shop's vhost and sshd's config as setup installs them
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  pid_alive /run/nginx.pid && kill -HUP "$(tr -dc 0-9 < /run/nginx.pid)"
  install -m 644 "$LAB_DIR/conf/sshd_config" /etc/ssh/sshd_config
  pid_alive /run/sshd.pid && kill -HUP "$(tr -dc 0-9 < /run/sshd.pid)"
  # the benign day's extras
  rm -rf /home/deploy/bin /home/lena-ca /tmp/lena.pub /tmp/opcache-reset-*.php
  rm -f /home/alice/.bash_history /home/deploy/.bash_history /root/.bash_history
  return 0
}

shopcart_purge() {
  [ -s "$SHOPCART_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$SHOPCART_PKGS") >&2 || true
  rm -f "$SHOPCART_PKGS"
}

# benign-shop-checkout only: the CI's opcache reset (a FastCGI request to the
# shop-api pool for a one-off script in /tmp, as cachetool does)
shopcart_benign_install() {
  install -d -o deploy -g deploy -m 755 /home/deploy/bin
  install -o deploy -g deploy -m 755 "$SHOPCART/fcgi.py" /home/deploy/bin/fcgi-request
  install -o deploy -g deploy -m 755 "$SHOPCART/benign/opcache-reset" /home/deploy/bin/opcache-reset
}

# ------------------------------------------------------------------ remote side (labremote)

# req_fcgi STEP METHOD SCRIPT URI [fcgi.py args...]: one FastCGI request
# straight to the shop-api pool (127.0.0.1:9000), logged to requests.tsv
# like req (url http://127.0.0.1:9000<URI>); php-fpm's answer in $REQ_OUT
req_fcgi() {
  local step=$1 method=$2 script=$3 uri=$4 t0 t1
  shift 4
  t0=$EPOCHREALTIME
  $PY "$SHOPCART/fcgi.py" --addr 127.0.0.1:9000 --method "$method" --script "$script" --uri "$uri" "$@" \
    > "${REQ_OUT:-/dev/null}" 2>&1 || true
  t1=$EPOCHREALTIME
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "r$BASHPID-${t0/./}" "$step" "$method" "http://127.0.0.1:9000$uri" "$t0" "$t1" \
    200 fcgi-client "$(printf '%s' "$*" | tr '\t\n' '  ' | cut -c1-300)" >> "$WORK/requests.tsv"
}

# shopcart_customers BASE STEP CARTSTEP SEED: customers until stop-visitors:
# home, logo, products, the kube-probe, contact mails every third round; the
# cart (cart.php?add=, Redis) every round, checkout (GET + POST: orders.csv,
# mail) every fourth
shopcart_customers() {
  local base=$1 step=$2 cstep=$3 seed=${4:-0} i sid skus=(MUG-BLUE TOTE-01 POSTER-A2 STICKER-5 TEE-M)
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    sid=$(printf '%016x' $(( 0x7a110000 + (i + seed) * 7919 )))
    req "$step" GET "$base/"
    req "$step" GET "$base/img/logo.png" "" "$UA_BROWSER" -e "$base/"
    req "$step" GET "$base/products.php"
    req "$step" GET "$base/status.php" "" 'kube-probe/1.29'
    if [ $((i % 3)) -eq 0 ]; then
      req "$step" POST "$base/contact.php" "" "$UA_BROWSER" --data-urlencode "email=customer$i@example.org" \
        --data-urlencode "message=Does the tote bag ship to Austria? ($i)"
    fi
    req "$cstep" GET "$base/cart.php?add=${skus[$(( (i + seed) % 5 ))]}" "" "$UA_BROWSER" -b "shop_sid=$sid"
    req "$cstep" GET "$base/cart.php?add=${skus[$(( (i + seed + 2) % 5 ))]}" "" "$UA_BROWSER" -b "shop_sid=$sid"
    if [ $((i % 4)) -eq 1 ]; then
      req "$cstep" GET "$base/checkout.php" "" "$UA_BROWSER" -b "shop_sid=$sid"
      req "$cstep" GET "$base/js/checkout.js" "" "$UA_BROWSER" -b "shop_sid=$sid" -e "$base/checkout.php"
      req "$cstep" POST "$base/checkout.php" "" "$UA_BROWSER" -b "shop_sid=$sid" --data-urlencode "email=buyer$i@example.org" \
        --data-urlencode "name=Buyer $i" --data-urlencode "payment_ref=tok_$(printf '%08x' $(( i * 104729 + seed )))"
    fi
    sleep 3
  done
}

# shopcart_fpm_monitor STEP: the monitoring's php-fpm checks over FastCGI
# (ping every round, the status page every other), until stop-visitors
shopcart_fpm_monitor() {
  local step=$1 i
  for i in $(seq 1 200); do
    [ -e "$WORK/stop-visitors" ] && break
    req_fcgi "$step" GET /fpm-ping /fpm-ping
    [ $((i % 2)) -eq 0 ] && req_fcgi "$step" GET /fpm-status /fpm-status --query json
    sleep 6
  done
}
