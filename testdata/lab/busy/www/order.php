<?php
// Checkout: stores the order, tells the fulfilment partner through a webhook
// (php-curl: a connection from php-fpm) and mails a confirmation (mail():
// sh -c /usr/sbin/sendmail -t -i).
header('Content-Type: application/json');
$o = json_decode((string)file_get_contents('php://input'), true);
if (!is_array($o) || empty($o['sku'])) { http_response_code(400); exit("{\"error\":\"bad order\"}\n"); }
$o['id'] = 'ORD-' . date('YmdHis') . '-' . random_int(100, 999);
$ch = curl_init('http://127.0.0.1:8000/hooks/order-created');
curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => json_encode($o),
    CURLOPT_HTTPHEADER => ['Content-Type: application/json', 'X-Shop-Signature: lab'],
    CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 5]);
curl_exec($ch);
$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
curl_close($ch);
$to = preg_replace('/[^A-Za-z0-9@._-]/', '', $o['email'] ?? 'customer@example.org');
mail($to, "Your order {$o['id']}", "Thanks for your order of {$o['sku']}.", 'From: shop@shop.lab.local');
echo json_encode(['id' => $o['id'], 'webhook' => $code]), "\n";
