<?php
// the back office: the staff's browsers send the X-Shop-Admin token
require_once __DIR__ . '/../lib/settings.php';
if (!hash_equals(SHOP_BO_TOKEN, $_SERVER['HTTP_X_SHOP_ADMIN'] ?? '')) {
    http_response_code(403);
    echo "forbidden\n";
    exit;
}
