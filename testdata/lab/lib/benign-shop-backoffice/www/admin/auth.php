<?php
// the back office: the staff's browsers send the X-Shop-Admin token
if (!hash_equals('bo-2026-office-5e2', $_SERVER['HTTP_X_SHOP_ADMIN'] ?? '')) {
    http_response_code(403);
    echo "forbidden\n";
    exit;
}
