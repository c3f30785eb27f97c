<?php
// Checkout: the order is handed to the fulfilment service through an
// outgoing webhook. The payload is written to a file and POSTed with curl
// (the shop's webhook module shells out to curl, as many do, so a slow
// receiver never holds PHP's own sockets), then the file is removed.
$order = preg_replace('/[^0-9]/', '', $_GET['order'] ?? '');
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || $order === '') {
    http_response_code(400);
    exit("order?\n");
}
$email = preg_replace('/[^A-Za-z0-9@._-]/', '', $_POST['email'] ?? '');
$sku = preg_replace('/[^A-Z0-9-]/', '', $_POST['sku'] ?? '');
$payload = "/tmp/shop-webhook-$order.json";
file_put_contents($payload, json_encode(['event' => 'order.created', 'order' => (int) $order,
    'sku' => $sku, 'email' => $email, 'at' => gmdate('c')]));
exec("curl -s -m 5 -X POST -H 'Content-Type: application/json' -d @$payload http://127.0.0.1:9200/hooks/order-created", $o, $rc);
@unlink($payload);
echo $rc === 0 ? "order $order placed\n" : "order $order placed (webhook failed)\n";
