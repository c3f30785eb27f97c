# shellcheck shell=bash
# The PHP shop's photo packs (scenarios shop-export and benign-export):
# functions sourced by their scenario scripts, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus export.php from
# shopexp/www/ (the resellers' photo packs: zip with the picked names as an
# argv array, no shell, checked only for ".."); a SUID-root helper
# /usr/local/bin/shop-cachectl (system("nginx -s reload") without a path: the
# caller's PATH decides); PostgreSQL 15 (Debian's cluster 15/main, started by
# hand on 127.0.0.1:5432) with the shop's reporting database shopreports,
# whose login role shop_reports has pg_execute_server_program (granted for
# the supplier feed's COPY ... FROM PROGRAM) and whose password is in the
# shop's config.php. setup --reset-only puts the web root back; shopexp_reset
# undoes the rest:
#   shopexp_install        export page, config lines, photos, helper, database
#   shopexp_reset          helper, apt hook, beacon, staging, database + cluster stopped

SHOPEXP=$LAB_DIR/shopexp
SHOPEXP_HELPER=/usr/local/bin/shop-cachectl
SHOPEXP_PGPASS='Rep0rts-2026!'
SHOPEXP_PGPID=/var/run/postgresql/15-main.pid

shopexp_pg() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }

shopexp_install() {
  local p
  cp -r "$SHOPEXP/www/." "$WEBROOT/"
  cat >> "$WEBROOT/config.php" <<PHPEOF
// reporting database (PostgreSQL on this host): sales reports, supplier feed
define('REPORTS_DSN', 'pgsql:host=127.0.0.1;port=5432;dbname=shopreports');
define('REPORTS_USER', 'shop_reports');
define('REPORTS_PASS', '$SHOPEXP_PGPASS');
PHPEOF
  # the photos the resellers pick (img/ holds logo.png only after a reset)
  for p in mug-blue mug-red tee-green tee-black cap-grey bag-tote; do
    convert -size 320x240 "xc:#$(printf '%s' "$p" | md5sum | cut -c1-6)" "$WEBROOT/img/$p.png"
  done
  chown -R www-data:www-data "$WEBROOT"
  # the admin's SUID helper
  cc -O2 -o /tmp/shop-cachectl.$$ "$SHOPEXP/planted/shop-cachectl.c"
  install -o root -g root -m 4755 /tmp/shop-cachectl.$$ "$SHOPEXP_HELPER"
  rm -f /tmp/shop-cachectl.$$
  # PostgreSQL (Debian's postgresql: installed when missing)
  if ! command -v pg_ctlcluster > /dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
  fi
  pid_alive "$SHOPEXP_PGPID" || env -i "${SVC_ENV[@]}" pg_ctlcluster 15 main start
  WAIT_PORT_TRIES=60 wait_port 5432
  shopexp_pg -c "DROP DATABASE IF EXISTS shopreports" -c "DROP ROLE IF EXISTS shop_reports"
  shopexp_pg -c "CREATE ROLE shop_reports LOGIN PASSWORD '$SHOPEXP_PGPASS'" \
    -c "GRANT pg_execute_server_program TO shop_reports" \
    -c "CREATE DATABASE shopreports OWNER shop_reports"
  PGPASSWORD=$SHOPEXP_PGPASS psql -X -q -h 127.0.0.1 -U shop_reports -d shopreports -v ON_ERROR_STOP=1 <<'SQLEOF'
CREATE TABLE customers (id serial PRIMARY KEY, email text, name text, card_last4 text, created date);
INSERT INTO customers (email, name, card_last4, created)
  SELECT 'customer' || g || '@example.org', 'Customer ' || g, lpad((g * 37 % 10000)::text, 4, '0'), date '2026-01-01' + g
  FROM generate_series(1, 400) g;
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int, total numeric(8,2), placed timestamptz);
INSERT INTO orders (customer_id, total, placed)
  SELECT 1 + g % 400, (g % 90) + 9.90, timestamptz '2026-11-01' + g * interval '37 minutes' FROM generate_series(1, 900) g;
CREATE TABLE supplier_stock (sku text, qty int, updated timestamptz DEFAULT now());
SQLEOF
  # the supplier feed the reporting job imports (benign-export's cron)
  install -d -o www-data -g www-data /srv/shop-feeds
  printf 'MUG-BLUE,120\nMUG-RED,80\nTEE-GREEN,44\nCAP-GREY,16\n' | gzip -c > /srv/shop-feeds/stock.csv.gz
  chown www-data:www-data /srv/shop-feeds/stock.csv.gz; chmod 644 /srv/shop-feeds/stock.csv.gz
}

shopexp_reset() {
  rm -f "$SHOPEXP_HELPER" /etc/apt/apt.conf.d/52apt-cache-sync /usr/lib/apt/apt-helper-sync
  rm -rf /dev/shm/.p /srv/shop-feeds /var/backups/shop-reports /etc/apt/apt.conf.d/80shop-retries
  rm -f /etc/cron.d/shop-feeds /usr/local/bin/shop-reconcile /var/www/.pgpass /tmp/shop-reconcile.log
  if pid_alive "$SHOPEXP_PGPID"; then
    shopexp_pg -c "DROP DATABASE IF EXISTS shopreports" -c "DROP ROLE IF EXISTS shop_reports" || true
    env -i "${SVC_ENV[@]}" pg_ctlcluster 15 main stop || stop_pidfile "$SHOPEXP_PGPID" postgres
  fi
}

# ------------------------------------------------------------------ benign-export only
#   shopexp_benign_install DIR   checkout payment + cache page, reconcile job, feed cron,
#                                www-data's ~/.pgpass, backup folder; DIR: the payment sandbox's files
#   (shopexp_reset undoes it: the web root goes back with setup --reset-only)

shopexp_benign_install() {
  local d=$1
  cp -r "$SHOPEXP/benign/www/." "$WEBROOT/"
  chown -R www-data:www-data "$WEBROOT"
  install -m 755 "$SHOPEXP/benign/bin/shop-reconcile" /usr/local/bin/shop-reconcile
  # the feed job logs in with www-data's ~/.pgpass (home /var/www)
  printf '127.0.0.1:5432:shopreports:shop_reports:%s\n' "$SHOPEXP_PGPASS" > /var/www/.pgpass
  chown www-data:www-data /var/www/.pgpass; chmod 600 /var/www/.pgpass
  install -m 644 "$SHOPEXP/benign/cron.d-shop-feeds" /etc/cron.d/shop-feeds
  # the admin's encrypted database backups
  install -d -m 700 /var/backups/shop-reports /var/backups/shop-reports/.gnupg
  head -c 24 /dev/urandom | base64 > /var/backups/shop-reports/.pass; chmod 600 /var/backups/shop-reports/.pass
  # the payment provider's sandbox (labremote's HTTP server): payouts list
  install -d -o labremote -g labremote "$d"
  printf '{"payouts": [{"id": "po_1", "orders": 12}, {"id": "po_2", "orders": 9}]}\n' > "$d/payouts.json"
  chown labremote:labremote "$d/payouts.json"
}
