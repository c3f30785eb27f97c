<?php
// the back office: the staff's browsers send the X-Shop-Admin token
if (!hash_equals('inv-2026-bo-7c1', $_SERVER['HTTP_X_SHOP_ADMIN'] ?? '')) {
    http_response_code(403);
    echo "forbidden\n";
    exit;
}
