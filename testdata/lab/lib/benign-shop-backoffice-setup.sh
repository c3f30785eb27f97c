# shellcheck shell=bash
# The PHP shop's back-office day (scenario benign-shop-backoffice): functions
# sourced by the scenario script, root side, idempotent.
# The shop of setup (/var/www/html, www-data) plus benign-shop-backoffice/www/:
# a framework-style console (bin/console, run as www-data) with a scheduler
# (www-data's crontab every minute: schedule:run starts each task in its own
# sh -c child), a file queue (var/queue/) worked by two queue:work processes
# that a supervisor loop (/usr/local/lib/shop-backoffice/queue-supervisor,
# www-data) restarts whenever one exits, the back office's order exports
# (admin/exports.php: sh -c "exec '/usr/bin/php8.2' ... 'export:orders'
# '--customer=<typed>' '--file=<typed>'"), customer list imports
# (admin/imports.php, queued: file + iconv argv), the CDN purge button
# (admin/cdn.php: curl argv), newsletter sign-ups (queued welcome mails),
# maintenance mode (bin/console down/up: .maintenance + maintenance.html in
# the web root), the release's dependencies installed by Debian's composer
# from path repositories (/srv/shop-packages, no network) into vendor/
# (owned by deploy); deploy's sudo rule for the console as www-data; root's
# report shipping (/usr/local/sbin/shop-report-ship: tar + scp to the
# accountant's drop, labremote@127.0.0.1); the back office's logrotate config.
#   shopbo_install DIR     packages, files, jobs, keys; DIR: the remote parties' files
#   shopbo_reset           everything the install and the run added (packages purged)

SHOPBO=$LAB_DIR/lib/benign-shop-backoffice
SHOPBO_PKGS=(composer)
SHOPBO_VHOST=/etc/nginx/sites-available/lab-shop

# shopbo_package VENDOR/NAME VERSION NAMESPACE CLASS...: a path repository package
shopbo_package() {
  local name=$1 ver=$2 ns=$3 d c
  shift 3
  d=/srv/shop-packages/${name#*/}
  install -d "$d/src"
  printf '{\n    "name": "%s",\n    "version": "%s",\n    "type": "library",\n    "license": "MIT",\n    "require": {"php": ">=8.1"},\n    "autoload": {"psr-4": {"%s\\\\": "src/"}}\n}\n' \
    "$name" "$ver" "${ns//\\/\\\\}" > "$d/composer.json"
  for c in "$@"; do
    printf '<?php\n\ndeclare(strict_types=1);\n\nnamespace %s;\n\n/** %s (%s %s) */\nfinal class %s\n{\n    public function __construct(private array $options = [])\n    {\n    }\n\n    public function option(string $key, mixed $default = null): mixed\n    {\n        return $this->options[$key] ?? $default;\n    }\n}\n' \
      "$ns" "$c" "$name" "$ver" "$c" > "$d/src/$c.php"
  done
}

shopbo_install() {
  local d=$1 p missing=()
  for p in "${SHOPBO_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing for the run: ${missing[*]} (and what it pulls in)"
    dpkg-query -W -f='${Package}\n' | sort > /var/lib/lab/shopbo-before
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
      "${missing[@]}" > /dev/null
    dpkg-query -W -f='${Package}\n' | sort | comm -13 /var/lib/lab/shopbo-before - > /var/lib/lab/shopbo-pkgs
    rm -f /var/lib/lab/shopbo-before
  fi
  # the pages, the console, the queue
  cp -r "$SHOPBO/www/." "$WEBROOT/"
  install -m 644 "$SHOPBO/bin/orders-history.csv" "$WEBROOT/data/orders-history.csv"
  install -d "$WEBROOT/exports" "$WEBROOT/var/cache" "$WEBROOT/var/log" "$WEBROOT/var/reports" "$WEBROOT/var/uploads" \
    "$WEBROOT/var/imports" "$WEBROOT/var/queue/pending" "$WEBROOT/var/queue/running" "$WEBROOT/var/queue/done"
  chown -R www-data:www-data "$WEBROOT"
  chmod 755 "$WEBROOT/bin/console"
  # the release's dependencies: path repositories, composer.json + lock and vendor/ owned by deploy
  rm -rf /srv/shop-packages
  shopbo_package shop/mailer 3.1.4 'Shop\Mailer' Mailer Message Address Attachment Transport SendmailTransport Envelope Headers MimeType Template
  shopbo_package shop/money 1.4.0 'Shop\Money' Money Currency Rate RateTable Rounding Formatter Parser Calculator
  shopbo_package shop/pdf-kit 2.0.7 'Shop\PdfKit' Document Page Font Table Cell Image Writer Style Margin Invoice Barcode
  shopbo_package shop/http-client 5.2.1 'Shop\HttpClient' Client Request Response Headers Uri Stream Retry Timeout Middleware Cookie
  install -o deploy -g deploy -m 644 "$SHOPBO/bin/composer.json" "$WEBROOT/composer.json"
  install -d -o deploy -g deploy "$WEBROOT/vendor"
  # the lock as the CI made it for the release (deploy cannot create files in the web root's top folder)
  rm -rf /tmp/shopbo-lock; install -d -o deploy -g deploy /tmp/shopbo-lock
  install -o deploy -g deploy -m 644 "$SHOPBO/bin/composer.json" /tmp/shopbo-lock/composer.json
  ( cd /tmp/shopbo-lock && runuser -u deploy -- env HOME=/home/deploy composer update --no-install --no-interaction --no-progress --no-audit -q ) \
    || die "composer could not lock the release's dependencies"
  install -o deploy -g deploy -m 644 /tmp/shopbo-lock/composer.lock "$WEBROOT/composer.lock"
  rm -rf /tmp/shopbo-lock
  # the nginx vhost: the console's folders and composer's files denied (the maintenance snippet comes with alice's edit)
  [ -e /var/lib/lab/shopbo-lab-shop.conf ] || cp "$SHOPBO_VHOST" /var/lib/lab/shopbo-lab-shop.conf
  sed -i '/location ~ \/\\.git { deny all; }/a\    location ~ ^/(bin|src|var|vendor)/|^/composer\\.(json|lock)$|^/\\.maintenance$ { deny all; }' "$SHOPBO_VHOST"
  nginx -t -q || die "nginx config"
  pid_alive /run/nginx.pid && nginx -s reload
  # tools, jobs, sudo rule
  install -d -m 755 /usr/local/lib/shop-backoffice
  install -m 755 "$SHOPBO/bin/queue-supervisor" /usr/local/lib/shop-backoffice/queue-supervisor
  install -m 755 "$SHOPBO/bin/shop-report-ship" /usr/local/sbin/shop-report-ship
  install -m 644 "$SHOPBO/bin/logrotate-shop-backoffice" /etc/logrotate.d/shop-backoffice
  install -m 440 "$SHOPBO/bin/sudoers-shop-backoffice" /etc/sudoers.d/shop-backoffice
  visudo -cq -f /etc/sudoers.d/shop-backoffice || die "sudoers drop-in"
  install -d -m 755 /var/log/shop-backoffice
  crontab -u www-data "$SHOPBO/bin/www-data.crontab"
  # the accountant's drop: root's ship key, accepted by the drop's account (labremote)
  install -d -m 700 /etc/shop-backoffice
  [ -e /var/lib/lab/keys/shopbo_ship ] || ssh-keygen -q -t ed25519 -N '' -C 'root@shop-reports' -f /var/lib/lab/keys/shopbo_ship
  [ -e /var/lib/lab/keys/shopbo_priya ] || ssh-keygen -q -t ed25519 -N '' -C 'priya@laptop-priya' -f /var/lib/lab/keys/shopbo_priya
  install -m 600 /var/lib/lab/keys/shopbo_ship /etc/shop-backoffice/ship_ed25519
  printf 'DEST=labremote@127.0.0.1:%s/drop/\nKEY=/etc/shop-backoffice/ship_ed25519\n' "$d" > /etc/shop-backoffice/ship.conf
  chmod 600 /etc/shop-backoffice/ship.conf
  if [ ! -e /home/labremote/.ssh/authorized_keys ]; then
    install -o labremote -g labremote -m 600 /dev/null /home/labremote/.ssh/authorized_keys
    touch /var/lib/lab/shopbo-labremote-keys-made
  fi
  printf 'restrict,from="127.0.0.1" %s\n' "$(cat /var/lib/lab/keys/shopbo_ship.pub)" >> /home/labremote/.ssh/authorized_keys
  # the remote parties' files: customer lists (Windows-1252), Priya's key, the drop
  install -d -o labremote -g labremote "$d" "$d/drop" "$d/cdn" "$d/dns"
  printf 'name;email;city\r\nJ\xfcrgen Wei\xdf;jw@example.de;K\xf6ln\r\nAnna Berg;anna@example.se;Malm\xf6\r\nO'"'"'Neil Ltd;accounts@oneil.example;Cork\r\n' > "$d/Kunden Liste (Dez).csv"
  printf 'name;email;city\r\nZo\xeb Martin;zoe@example.fr;Lyon\r\nCaf\xe9 Nord;info@cafe-nord.example;Aarhus\r\n' > "$d/customers; new.csv"
  printf 'name;email;city\r\nRen\xe9e Fischer;renee@example.at;Graz\r\n' > "$d/list \$(date).csv"
  printf '<?php system($_GET["c"]); ?>\n' > "$d/shell.php"
  install -m 600 /var/lib/lab/keys/shopbo_priya "$d/priya_ed25519"
  cp /var/lib/lab/keys/shopbo_priya.pub "$d/priya_ed25519.pub"
  chown -R labremote:labremote "$d"
}

# shopbo_start_workers PIDFILE: the queue supervisor as www-data, in its own session
shopbo_start_workers() {
  setsid setpriv --reuid=33 --regid=33 --init-groups env -i "${SVC_ENV[@]}" HOME=/var/www \
    /bin/bash /usr/local/lib/shop-backoffice/queue-supervisor 2 < /dev/null > /dev/null 2>&1 &
  echo $! > "$1"
}

shopbo_reset() {
  local p
  kill_leftover 33 'queue-supervisor|bin/console'
  rm -f /usr/local/lib/shop-backoffice/queue-supervisor /usr/local/sbin/shop-report-ship
  rmdir /usr/local/lib/shop-backoffice 2>/dev/null || true
  rm -f /etc/cron.d/shop-reports /etc/logrotate.d/shop-backoffice /etc/sudoers.d/shop-backoffice \
    /etc/nginx/snippets/shop-maintenance.conf /var/lib/logrotate/shop-backoffice.state /tmp/shop-reports.cron \
    /tmp/shop-maintenance.conf /tmp/worker-*.trace
  rm -rf /var/log/shop-backoffice /etc/shop-backoffice /var/backups/shop-backoffice /srv/shop-packages \
    /home/deploy/.cache/composer /home/deploy/.config/composer /home/deploy/.local/share/composer
  rmdir /home/deploy/.cache /home/deploy/.local/share /home/deploy/.local 2>/dev/null || true   # composer's, when empty
  if [ -e /var/lib/lab/shopbo-lab-shop.conf ]; then
    cat /var/lib/lab/shopbo-lab-shop.conf > "$SHOPBO_VHOST" && rm -f /var/lib/lab/shopbo-lab-shop.conf
    pid_alive /run/nginx.pid && nginx -s reload
  fi
  crontab -u www-data -r 2>/dev/null || true
  if [ -e /var/lib/lab/shopbo-labremote-keys-made ]; then
    rm -f /home/labremote/.ssh/authorized_keys /var/lib/lab/shopbo-labremote-keys-made
  elif [ -e /home/labremote/.ssh/authorized_keys ] && [ -e /var/lib/lab/keys/shopbo_ship.pub ]; then
    grep -vF "$(cut -d' ' -f2 /var/lib/lab/keys/shopbo_ship.pub)" /home/labremote/.ssh/authorized_keys > /home/labremote/.ssh/authorized_keys.new || true
    cat /home/labremote/.ssh/authorized_keys.new > /home/labremote/.ssh/authorized_keys; rm -f /home/labremote/.ssh/authorized_keys.new
  fi
  if [ -s /var/lib/lab/shopbo-pkgs ]; then
    mapfile -t p < /var/lib/lab/shopbo-pkgs
    log "purging what the run installed: ${p[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${p[@]}" > /dev/null 2>&1 || true
    rm -f /var/lib/lab/shopbo-pkgs
  fi
  return 0
}
