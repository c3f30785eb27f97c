<?php
// VeloBote (bicycle courier) status callbacks: HMAC-SHA256 of the body in X-Courier-Signature.
require __DIR__ . '/../lib/florist-config.php';
header('Content-Type: application/json');
$body = file_get_contents('php://input');
$sig = $_SERVER['HTTP_X_COURIER_SIGNATURE'] ?? '';
if (!hash_equals(hash_hmac('sha256', $body, COURIER_WEBHOOK_SECRET), $sig)) {
    http_response_code(401); echo '{"error":"bad signature"}'; exit;
}
$ev = json_decode($body, true);
$id = (string)($ev['order'] ?? '');
$f = FLORIST_DATA . "/orders/$id.json";
if (!preg_match('/^[0-9]{12}-[0-9a-f]{6}$/', $id) || !is_file($f)) { http_response_code(404); echo '{"error":"unknown order"}'; exit; }
$o = json_decode(file_get_contents($f), true);
$o['status'] = (string)($ev['status'] ?? 'unknown');
file_put_contents($f, json_encode($o, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE));
file_put_contents(FLORIST_DATA . '/tracking.log', date('c') . " $id {$o['status']} " . ($ev['rider'] ?? '-') . "\n", FILE_APPEND);
if ($o['status'] === 'delivered') {
    mail($o['email'], "Your flowers for {$o['recipient']} were delivered",
         "Dear customer,\n\nyour order $id was delivered at " . date('H:i') . ".\n\nBlumenhaus Lindgren\n",
         "From: shop@blumenhaus-lindgren.example");
}
echo json_encode(['ok' => true, 'order' => $id, 'status' => $o['status']]), "\n";
