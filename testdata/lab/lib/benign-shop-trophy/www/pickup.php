<?php
// Click & collect: the order page shows a QR code the counter staff scan when
// the club picks up its trophies (qrencode, written into qr/ once per order).
require __DIR__ . '/lib/trophy-config.php';
$order = $_GET['order'] ?? '';
$k = $_GET['k'] ?? '';
if (!preg_match('/^1[0-9]{5}$/', $order) || !hash_equals(substr(hash_hmac('sha256', $order, PICKUP_SECRET), 0, 12), $k)) {
    http_response_code(422);
    exit("unknown order\n");
}
$png = __DIR__ . "/qr/$order.png";
if (!is_file($png)) {
    @mkdir(dirname($png), 0755, true);
    exec('qrencode -s 6 -m 2 -o ' . escapeshellarg($png) . ' ' . escapeshellarg("TROPHY-PICKUP:$order:$k") . ' 2>&1', $out, $rc);
    if ($rc !== 0) { http_response_code(500); exit("QR code failed\n"); }
}
echo "<!doctype html><html><body><h1>Order $order is ready for pickup</h1><img src='/qr/$order.png' alt='pickup code'>",
     "<p>Show this code at the counter (Mon-Sat 9-18).</p></body></html>\n";
