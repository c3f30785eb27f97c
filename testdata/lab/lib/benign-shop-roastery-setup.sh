# shellcheck shell=bash
# The PHP shop's coffee roastery day (scenario benign-shop-roastery): functions
# sourced by the scenario script, root side, idempotent. The shop of setup
# (/var/www/html, www-data) plus benign-shop-roastery/www/ and its jobs; no
# package is installed (every program used is on the lab machine already).
#   roast_install DIR    files, keys, the database, the TLS server's first
#                        certificate; DIR: the remote parties' files
#   roast_nginx          nginx reads the TLS server
#   roast_install_cron   the jobs (www-data's crontab, /etc/cron.d/shop-roastery)
#   roast_reset          everything the install and the run added

ROAST=$LAB_DIR/lib/benign-shop-roastery
ROAST_KEYS=/var/lib/lab/keys
ROAST_NAME=shop.roastery.example

roast_install() {
  local d=$1 i
  # the pages, the curves folder, release 2026.12.6 behind the brew/ symlink
  cp -r "$ROAST/www/." "$WEBROOT/"
  install -d "$WEBROOT/roast/curves"
  chown -R www-data:www-data "$WEBROOT"
  install -d -o deploy -g deploy -m 755 /srv/shop-roastery /srv/shop-roastery/releases /srv/shop-roastery/incoming
  cp -r "$ROAST/release/2026.12.6" /srv/shop-roastery/releases/
  chown -R deploy:deploy /srv/shop-roastery
  runuser -u deploy -- ln -sfn releases/2026.12.6 /srv/shop-roastery/current
  ln -sfn /srv/shop-roastery/current/brew "$WEBROOT/brew"
  chown -h www-data:www-data "$WEBROOT/brew"
  # data, logs, the helpers
  install -d -o www-data -g www-data -m 750 /var/lib/shop-roastery /var/lib/shop-roastery/roastlogs \
    /var/lib/shop-roastery/failed /var/lib/shop-roastery/pricelists
  install -d -m 755 /var/log/shop-roastery /usr/local/lib/shop-roastery /etc/shop-roastery
  install -o www-data -g www-data -m 644 /dev/null /var/log/shop-roastery/pricelist.log
  install -m 755 "$ROAST/bin/roastcurve.py" /usr/local/lib/shop-roastery/roastcurve.py
  install -m 644 "$ROAST/bin/pricelist.php" /usr/local/lib/shop-roastery/pricelist.php
  install -m 755 "$ROAST/bin/shop-db-stream" /usr/local/sbin/shop-db-stream
  install -m 755 "$ROAST/bin/shop-cert-dns01" /usr/local/sbin/shop-cert-dns01
  # the shop database (orders, subscriptions)
  rm -f /var/lib/shop-roastery/shop.db
  sqlite3 /var/lib/shop-roastery/shop.db <<'SQL'
CREATE TABLE orders (id INTEGER PRIMARY KEY, email TEXT, bean TEXT, kg REAL, total REAL, created TEXT);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, email TEXT, bean TEXT, every_days INTEGER, next TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO orders (email, bean, kg, total, created)
  SELECT 'customer' || i || '@example.org', CASE i % 4 WHEN 0 THEN 'ETH-YIRGA' WHEN 1 THEN 'COL-HUILA' WHEN 2 THEN 'BRA-CERRADO' ELSE 'KEN-NYERI' END,
         0.25 * (1 + i % 4), 9.5 * (1 + i % 4), datetime('2026-12-01', '+' || (i * 17) || ' minutes') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO subscriptions (email, bean, every_days, next)
  SELECT 'subscriber' || i || '@example.net', 'ESPRESSO-HAUS', 14, date('2026-12-07', '+' || (i % 14) || ' days') FROM n;
SQL
  chown www-data:www-data /var/lib/shop-roastery/shop.db
  # the backup account's key (forced command: store the stream)
  [ -e "$ROAST_KEYS/roast_backup" ] || ssh-keygen -q -t ed25519 -N '' -C roast-backup -f "$ROAST_KEYS/roast_backup"
  install -m 600 "$ROAST_KEYS/roast_backup" /etc/shop-roastery/backup_ed25519
  printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /etc/shop-roastery/known_hosts
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
  fi
  install -d -o labremote -g labremote -m 700 /home/labremote/roastery-dumps
  printf 'restrict,from="127.0.0.1",command="cat > /home/labremote/roastery-dumps/latest.sql.gz" %s\n' \
    "$(cut -d' ' -f1,2 "$ROAST_KEYS/roast_backup.pub") backup@roastery" >> /home/labremote/.ssh/authorized_keys
  # the remote parties' files: the CA, the roastery PC's logs, the vendor's diagnostics, release 2026.12.7
  install -d -o labremote -g labremote "$d" "$d/ca" "$d/alog" "$d/ci" "$d/vendor"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj '/O=Lab Roastery CA/CN=Lab Issuing CA R1' \
    -keyout "$d/ca/ca.key" -out "$d/ca/ca.crt" 2> /dev/null
  # the TLS server's current certificate (from last quarter's renewal)
  install -d -m 755 /etc/ssl/shop-roastery
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$ROAST_NAME" \
    -keyout /etc/ssl/shop-roastery/$ROAST_NAME.key -out "$d/ca/first.csr" 2> /dev/null
  printf 'subjectAltName=DNS:%s\n' "$ROAST_NAME" > "$d/ca/first.ext"
  openssl x509 -req -in "$d/ca/first.csr" -CA "$d/ca/ca.crt" -CAkey "$d/ca/ca.key" -CAcreateserial -days 12 \
    -extfile "$d/ca/first.ext" -out /etc/ssl/shop-roastery/$ROAST_NAME.crt 2> /dev/null
  cat "$d/ca/ca.crt" >> /etc/ssl/shop-roastery/$ROAST_NAME.crt
  chmod 600 /etc/ssl/shop-roastery/$ROAST_NAME.key
  install -m 644 "$ROAST/bin/shop-tls.conf" /etc/nginx/conf.d/shop-roastery-tls.conf
  $PY - "$d/alog" <<'PYEOF'
import json, math, sys
out = sys.argv[1]
beans = [("ETH-YIRGA", 412), ("COL-HUILA", 455), ("BRA-CERRADO", 470), ("KEN-NYERI", 430),
         ("ESPRESSO-HAUS", 520), ("GUA-HUEHUE", 445), ("ETH-YIRGA", 415), ("COL-HUILA", 460)]
for k, (bean, drop) in enumerate(beans):
    t = [float(s) for s in range(0, drop + 1, 2)]
    bt = [round(200 - 110 * math.exp(-s / 40.0) + 0.07 * s, 1) if s > 60 else round(200 - 1.6 * s, 1) for s in t]
    et = [round(230 + 0.02 * s, 1) for s in t]
    fc = drop - 95
    log = {"version": "2.10.2", "title": bean, "roastbatchnr": 3100 + k, "mode": "C", "timex": t, "temp1": et, "temp2": bt,
           "computed": {"CHARGE_BT": 200.0, "FCs_time": fc, "DROP_time": drop, "DROP_BT": bt[-1]}}
    data = json.dumps(log).encode()
    if k == 5:
        data = data.decode().encode("utf-16")   # the Windows export of an old Artisan: UTF-16 with a BOM
    open("%s/batch-%d-%s.alog" % (out, 3100 + k, bean), "wb").write(data)
PYEOF
  tar -czf "$d/ci/roastery-2026.12.7.tgz" -C "$ROAST/release" 2026.12.7
  (cd "$d/ci" && sha256sum roastery-2026.12.7.tgz > roastery-2026.12.7.tgz.sha256)
  for i in 1 2 3; do
    printf '%s probat-p12 ctl fw 4.2.%d burner=%d%% drum=%drpm exhaust=%dC\n' "2026-12-0${i}T05:4${i}:00Z" "$i" $((60 + i)) $((52 + i)) $((180 + i))
  done > "$d/vendor/controller.log"
  head -c 20000 /dev/urandom > "$d/vendor/trace.bin"
  tar -czf "$d/vendor/p12-diag-20261207.tgz" -C "$d/vendor" controller.log trace.bin
  chown -R labremote:labremote "$d"
  # alice's prepared login notifier (she installs it during the day)
  install -o alice -g alice -m 755 "$ROAST/bin/ssh-login-notify" /home/alice/ssh-login-notify
}

roast_nginx() {
  nginx -t -q && nginx -s reload
  WAIT_PORT_TRIES=50 wait_port 8443
}

# installed a few seconds before the window opens, so that cron first runs them inside it
roast_install_cron() {
  install -m 644 "$ROAST/bin/cron.d-shop-roastery" /etc/cron.d/shop-roastery
  crontab -u www-data "$ROAST/bin/www-data.crontab"
}

roast_reset() {
  local f
  rm -f /etc/cron.d/shop-roastery
  crontab -u www-data -r 2>/dev/null || true
  sleep 1
  kill_leftover 33 'pricelist\.php'
  kill_leftover 0 'shop-db-stream|shop-cert-dns01'
  kill_leftover 2002 'nc -l 127\.0\.0\.1 9400'
  if [ -e /etc/nginx/conf.d/shop-roastery-tls.conf ]; then
    rm -f /etc/nginx/conf.d/shop-roastery-tls.conf
    pid_alive /run/nginx.pid && nginx -s reload 2>/dev/null || true
  fi
  if grep -q 'ssh-login-notify' /etc/pam.d/sshd 2>/dev/null; then
    sed -i '\#/usr/local/sbin/ssh-login-notify#d' /etc/pam.d/sshd
  fi
  rm -f /usr/local/sbin/ssh-login-notify /home/alice/ssh-login-notify /usr/local/sbin/shop-db-stream \
    /usr/local/sbin/shop-cert-dns01 /run/shop-db-stream.lock /run/shop-db-stream.?????? /tmp/p12-diag-20261207.tgz \
    /tmp/pricelist.paused /root/pam.d-sshd.bak-20261207
  rm -rf /etc/shop-roastery /etc/ssl/shop-roastery /var/lib/shop-roastery /var/log/shop-roastery \
    /usr/local/lib/shop-roastery /srv/shop-roastery /home/labremote/roastery-dumps /home/alice/p12-diag
  [ -L "$WEBROOT/brew" ] && rm -f "$WEBROOT/brew"
  f=/home/labremote/.ssh/authorized_keys
  if [ -e "$f" ]; then
    grep -v 'backup@roastery' "$f" > "$f.new" || true
    cat "$f.new" > "$f"; rm -f "$f.new"
  fi
  return 0
}
