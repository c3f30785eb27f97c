# shellcheck shell=bash
# The PHP shop's supplier stock feed and theme editor (scenario
# shop-stockfeed): functions sourced by its scenario script, root side,
# idempotent. The shop of setup (/var/www/html, www-data) plus
#   supplier/feed.php   suppliers POST their stock feed as XML; parsed by
#                       DOMDocument::loadXML with LIBXML_NOENT | LIBXML_DTDLOAD
#                       (an old supplier format declared entities in a DTD), so
#                       external entities are resolved: XXE (CWE-611). Needs
#                       Debian's php8.2-xml (installed for the run, purged after;
#                       php-fpm restarted by pid to load it)
#   admin/theme.php     the back office's theme editor (X-Shop-Admin token from
#                       config.php): saves themes/default/[partials/]<name>.(php|css|html)
#   admin/purge.php     the back office's cache purge button: sh -c sudo -n
#                       /usr/sbin/nginx -s reload
#   /etc/sudoers.d/shop-nginx  www-data ALL=(root) NOPASSWD: /usr/sbin/nginx
#                       (meant for the purge button's reload; any argument allowed)
# setup --reset-only puts the web root back; stockfeed_reset undoes the rest:
#   stockfeed_install    package, php-fpm restarted, pages, token, sudo rule
#   stockfeed_reset      everything the install and the runs added (package kept)
#   stockfeed_purge      the package the install added, purged

STOCKFEED_PKGS=/var/lib/lab/stockfeed-pkgs.txt
STOCKFEED_TOKEN=8f3e1c9a7b2d4e60a1c5f7d9e2b4a6c8

stockfeed_install() {
  local p missing=()
  for p in php8.2-xml; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >> "$STOCKFEED_PKGS"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # php-fpm loads dom/xml only at start
  stop_pidfile /run/php/php8.2-fpm.pid php-fpm8.2
  svc /usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
  local i; for i in $(seq 1 50); do pid_alive /run/php/php8.2-fpm.pid && break; sleep 0.1; done
  sleep 0.5
  install -d "$WEBROOT/supplier" "$WEBROOT/admin" "$WEBROOT/themes/default/partials"
  cat >> "$WEBROOT/config.php" <<EOF
define('SHOP_ADMIN_TOKEN', '$STOCKFEED_TOKEN');   // back office (theme editor, cache purge)
define('SUPPLIER_FEED_KEY', 'sf-2d41-ops');
EOF
  cat > "$WEBROOT/supplier/feed.php" <<'EOF'
<?php
// Supplier stock feed: suppliers POST their stock list as XML
// (<feed><item><sku/><qty/><note/></item>...</feed>); the answer says what was read.
// LIBXML_DTDLOAD | LIBXML_NOENT: the 2019 feed format declared its entities in a DTD.
header('Content-Type: text/plain; charset=utf-8');
$xml = file_get_contents('php://input');
if ($xml === '' || $xml === false) { http_response_code(400); exit("empty feed\n"); }
libxml_use_internal_errors(true);
$doc = new DOMDocument();
if (!$doc->loadXML($xml, LIBXML_NOENT | LIBXML_DTDLOAD)) {
    http_response_code(422);
    foreach (libxml_get_errors() as $e) { echo 'line ', $e->line, ': ', trim($e->message), "\n"; }
    exit;
}
$n = 0;
foreach ($doc->getElementsByTagName('item') as $it) {
    $get = function ($tag) use ($it) { $x = $it->getElementsByTagName($tag)->item(0); return $x ? trim($x->textContent) : ''; };
    $sku = $get('sku'); $qty = (int)$get('qty'); $note = $get('note');
    file_put_contents(__DIR__ . '/../data/stock-feed.log', gmdate('c') . " $sku $qty\n", FILE_APPEND | LOCK_EX);
    echo "ok $sku qty=$qty", ($note !== '' ? " note=$note" : ''), "\n";
    $n++;
}
echo "$n items read\n";
EOF
  cat > "$WEBROOT/admin/theme.php" <<'EOF'
<?php
// Back office: theme editor (marketing edits banners and partials).
require __DIR__ . '/../config.php';
header('Content-Type: text/plain; charset=utf-8');
if (!hash_equals(SHOP_ADMIN_TOKEN, $_SERVER['HTTP_X_SHOP_ADMIN'] ?? '')) { http_response_code(403); exit("forbidden\n"); }
$base = __DIR__ . '/../themes/default';
$f = $_REQUEST['file'] ?? '';
if (!preg_match('#^(partials/)?[a-z0-9-]+\.(php|css|html)$#', $f)) { http_response_code(400); exit("bad file name\n"); }
if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_POST['content'])) {
    file_put_contents("$base/$f", $_POST['content'], LOCK_EX);
    echo "saved $f (", strlen($_POST['content']), " bytes)\n";
} else {
    echo is_file("$base/$f") ? file_get_contents("$base/$f") : "(new file)\n";
}
EOF
  cat > "$WEBROOT/admin/purge.php" <<'EOF'
<?php
// Back office: purge the page cache (nginx re-reads its cache and config).
require __DIR__ . '/../config.php';
header('Content-Type: text/plain; charset=utf-8');
if (!hash_equals(SHOP_ADMIN_TOKEN, $_SERVER['HTTP_X_SHOP_ADMIN'] ?? '')) { http_response_code(403); exit("forbidden\n"); }
echo shell_exec('sudo -n /usr/sbin/nginx -s reload 2>&1'), "purged\n";
EOF
  cat > "$WEBROOT/themes/default/partials/banner.html" <<'EOF'
<div class="banner">Winter sale: 20% off mugs</div>
EOF
  cat > "$WEBROOT/themes/default/style.css" <<'EOF'
body { font-family: sans-serif; }
EOF
  : > "$WEBROOT/data/stock-feed.log"
  chown -R www-data:www-data "$WEBROOT"
  printf 'www-data ALL=(root) NOPASSWD: /usr/sbin/nginx\n' > /etc/sudoers.d/shop-nginx
  chmod 440 /etc/sudoers.d/shop-nginx
  visudo -cf /etc/sudoers.d/shop-nginx >/dev/null || die "sudoers rule"
}

stockfeed_reset() {
  kill_leftover 0 'nginx -c /dev/shm/\.ng'
  kill_leftover 0 '/dev/shm/\.ng/'
  kill_leftover 2002 'tail -n 0 -f /var/www/html/data/stock-feed\.log'
  rm -f /etc/sudoers.d/shop-nginx /etc/sudoers.d/nginx-cache /usr/share/nginx/.px.php /tmp/.ga.txt
  rm -rf /dev/shm/.ng
  # the shop's vhost as setup installs it (the attack edits it)
  install -m 644 "$LAB_DIR/conf/nginx-site.conf" /etc/nginx/sites-available/lab-shop
  return 0
}

stockfeed_purge() {
  [ -s "$STOCKFEED_PKGS" ] || return 0
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $(sort -u "$STOCKFEED_PKGS") >&2 || true
  rm -f "$STOCKFEED_PKGS"
}
