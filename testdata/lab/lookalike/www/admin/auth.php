<?php
// The admin area's gate: the admin's session cookie or the monitoring
// system's token header (both from /etc/shop/shop.ini, outside the web root).
$ini = @parse_ini_file('/etc/shop/shop.ini') ?: [];
$ok = (isset($_COOKIE['shop_admin']) && hash_equals((string) ($ini['admin_session'] ?? "\0"), $_COOKIE['shop_admin']))
    || (isset($_SERVER['HTTP_X_MONITOR_TOKEN']) && hash_equals((string) ($ini['monitor_token'] ?? "\0"), $_SERVER['HTTP_X_MONITOR_TOKEN']));
if (!$ok) {
    http_response_code(403);
    exit("forbidden\n");
}
