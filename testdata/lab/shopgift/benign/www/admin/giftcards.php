<?php
// Support: goodwill gift cards (late parcels, broken mugs) and voids.
require __DIR__ . '/auth.php';
require_once __DIR__ . '/../config.php';
$amount = number_format((float)($_POST['amount'] ?? 10), 2, '.', '');
$email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
$reason = preg_replace('/[^A-Za-z0-9 #.,-]/', '', $_POST['reason'] ?? '');
if (!$email) { http_response_code(400); exit("email?\n"); }
$code = 'GC-' . strtoupper(bin2hex(random_bytes(5)));
$now = gmdate('Y-m-d\TH:i:s\Z');
file_put_contents(__DIR__ . '/../data/giftcards.csv', "$code,$amount,$email,$now\n", FILE_APPEND | LOCK_EX);
file_put_contents(__DIR__ . '/../data/goodwill-log.csv', "$now,$code,$amount,$email,$reason\n", FILE_APPEND | LOCK_EX);
mail($email, 'A gift card from ' . SHOP_NAME, "Sorry about: $reason\nHere is a $amount EUR gift card: $code\n", 'From: support@lab.local');
header('Content-Type: application/json');
echo json_encode(['code' => $code, 'amount' => $amount]);
