<?php
// Checkout payment: the shop charges the card through the payment provider's
// API (here its sandbox on 127.0.0.1:9300) with php-curl, from the worker
// itself; the provider answers with a charge id.
require __DIR__ . '/config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || empty($_POST['order'])) { http_response_code(400); exit; }
$order = preg_replace('/[^0-9]/', '', $_POST['order']);
$body = json_encode(['order' => $order, 'amount' => (int)($_POST['amount'] ?? 0), 'currency' => 'EUR', 'token' => $_POST['card_token'] ?? '']);
$ch = curl_init('http://127.0.0.1:9300/v1/charges');
curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => $body, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 5,
    CURLOPT_HTTPHEADER => ['Content-Type: application/json', 'Authorization: Bearer sk_test_lab_51Hx', 'Idempotency-Key: order-' . $order]]);
$res = curl_exec($ch);
$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
curl_close($ch);
header('Content-Type: application/json');
echo json_encode(['order' => $order, 'paid' => $code >= 200 && $code < 300]);
