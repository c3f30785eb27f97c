<?php
// Admin: rebuild the search index after a catalog change (POST, admin token
// in a header). The index job needs root (it also refreshes the root-owned
// /var/cache/shop-search), so www-data may run it through sudo (see
// /etc/sudoers.d/shop-reindex).
require __DIR__ . '/config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || ($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== 'shop-admin-2c91') {
    http_response_code(403);
    exit;
}
header('Content-Type: text/plain');
echo shell_exec('sudo -n /usr/local/bin/shop-reindex 2>&1');
