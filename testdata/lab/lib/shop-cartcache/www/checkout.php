<?php
// Checkout: the cart from Redis becomes an order line (data/orders.csv) and a
// confirmation mail (mail() -> sendmail). The card fields are handed to the
// payment provider's hosted fields by js/checkout.js, never posted here.
require __DIR__ . '/config.php';
require_once __DIR__ . '/cart-lib.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Content-Type: text/html');
    echo "<html><head><title>Checkout</title><script src=\"/js/checkout.js\"></script></head><body>",
         "<form id=\"checkout\" method=\"post\"><input name=\"email\"><input name=\"name\">",
         "<div id=\"card-fields\"></div><button>Pay</button></form></body></html>\n";
    exit;
}
$sid = preg_replace('/[^a-f0-9]/', '', $_COOKIE['shop_sid'] ?? '');
$items = $sid !== '' ? (redis_cmd(['HGETALL', 'cart:' . $sid]) ?: []) : [];
$email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
if (!$items || !$email) { http_response_code(400); exit("empty cart or bad e-mail\n"); }
$order = 'SO-' . date('ymd') . '-' . substr(bin2hex(random_bytes(3)), 0, 5);
$lines = [];
for ($i = 0; $i + 1 < count($items); $i += 2) { $lines[] = $items[$i] . 'x' . (int)$items[$i + 1]; }
file_put_contents(__DIR__ . '/data/orders.csv', implode(',', [$order, gmdate('c'), $email, implode(' ', $lines), $_POST['payment_ref'] ?? '']) . "\n", FILE_APPEND | LOCK_EX);
redis_cmd(['DEL', 'cart:' . $sid]);
mail($email, "Your order $order", "Thank you for your order $order: " . implode(', ', $lines) . "\n", "From: shop@shop.lab.local");
header('Content-Type: application/json');
echo json_encode(['order' => $order]), "\n";
