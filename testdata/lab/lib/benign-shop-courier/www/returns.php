<?php
// Customer returns: the carrier books the pickup and sends the return label
// back as base64 (their API's "label_b64" format); the label is decoded with
// base64(1) straight into returns/labels/ and mailed to the customer.
require __DIR__ . '/lib/returns-config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Return an item</h1><form method=post>",
         "<input name=order><input name=email><textarea name=reason></textarea><input type=submit></form></body></html>\n";
    exit;
}
$order = preg_replace('/[^0-9]/', '', $_POST['order'] ?? '');
$email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
$reason = substr(trim($_POST['reason'] ?? ''), 0, 500);
if (strlen($order) < 5 || !$email) { http_response_code(422); exit("order number and e-mail please\n"); }
$rma = sprintf('RMA-%s-%s', $order, date('His'));

function carrier($method, $path, $body = null) {
    $c = curl_init(CARRIER_API . $path);
    curl_setopt_array($c, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10, CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . CARRIER_API_KEY, 'Content-Type: application/json']]);
    if ($body !== null) curl_setopt($c, CURLOPT_POSTFIELDS, json_encode($body));
    $out = curl_exec($c);
    $code = curl_getinfo($c, CURLINFO_RESPONSE_CODE);
    curl_close($c);
    return [$code, $out];
}
[$code] = carrier('POST', '/shipments', ['reference' => $rma, 'service' => 'return-pickup', 'from' => ['email' => $email]]);
if ($code >= 300) { http_response_code(502); exit("carrier unavailable ($code)\n"); }
[$code, $b64] = carrier('GET', "/labels/$rma/label.b64");
if ($code !== 200) { http_response_code(502); exit("no label ($code)\n"); }

$dir = __DIR__ . '/returns/labels';
@mkdir($dir, 0755, true);
$pdf = "$dir/$rma.pdf";
$p = proc_open(['/usr/bin/base64', '-d'], [0 => ['pipe', 'r'], 1 => ['file', $pdf, 'w'], 2 => ['pipe', 'w']], $pipes);
fwrite($pipes[0], $b64);
fclose($pipes[0]);
$err = stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) { http_response_code(500); exit("label decode failed: $err\n"); }

@mkdir(__DIR__ . '/data/returns', 0750, true);
file_put_contents(__DIR__ . "/data/returns/$rma.json", json_encode(['rma' => $rma, 'order' => $order, 'email' => $email,
    'reason' => $reason, 'at' => gmdate('c')]) . "\n");
mail($email, "Your return $rma", "Print the label: /returns/labels/$rma.pdf\n", 'From: returns@shop.lab.local');
echo "ok $rma /returns/labels/$rma.pdf\n";
