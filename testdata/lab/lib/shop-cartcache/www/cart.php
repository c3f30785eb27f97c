<?php
// The shop's cart: kept in Redis (127.0.0.1:6379), one hash per session.
require_once __DIR__ . '/cart-lib.php';
$sid = preg_replace('/[^a-f0-9]/', '', $_COOKIE['shop_sid'] ?? '');
if ($sid === '') { $sid = bin2hex(random_bytes(8)); setcookie('shop_sid', $sid, 0, '/'); }
$key = 'cart:' . $sid;
if (isset($_GET['add'])) {
    $sku = preg_replace('/[^A-Z0-9-]/', '', strtoupper($_GET['add']));
    redis_cmd(['HINCRBY', $key, $sku, 1]);
    redis_cmd(['EXPIRE', $key, 86400]);
}
$items = redis_cmd(['HGETALL', $key]) ?: [];
header('Content-Type: application/json');
$out = [];
for ($i = 0; $i + 1 < count($items); $i += 2) { $out[$items[$i]] = (int)$items[$i + 1]; }
echo json_encode(['cart' => $out]), "\n";
