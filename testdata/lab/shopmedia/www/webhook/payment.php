<?php
// The payment provider's webhook: the body is signed (X-PSP-Signature,
// base64 RSA-SHA256); the signature is checked with openssl dgst against the
// provider's public key, then the payment is fetched back from the
// provider's API (the webhook is only a hint) and recorded.
header('Content-Type: application/json');
$body = file_get_contents('php://input');
$sig = base64_decode($_SERVER['HTTP_X_PSP_SIGNATURE'] ?? '', true);
$ev = json_decode($body, true);
if (!$sig || !is_array($ev) || !preg_match('/^pay_[A-Za-z0-9]{6,32}$/', $ev['id'] ?? '')) { http_response_code(400); exit('{"error":"bad request"}'); }
$bf = tempnam(sys_get_temp_dir(), 'pspb'); $sf = tempnam(sys_get_temp_dir(), 'psps');
file_put_contents($bf, $body); file_put_contents($sf, $sig);
$p = proc_open(['/usr/bin/openssl', 'dgst', '-sha256', '-verify', '/etc/shop-media/psp-public.pem', '-signature', $sf, $bf],
               [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = trim(stream_get_contents($pipes[1])); fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
unlink($bf); unlink($sf);
if ($rc !== 0) { http_response_code(401); exit(json_encode(['error' => 'signature', 'openssl' => $out])); }
$ctx = stream_context_create(['http' => ['timeout' => 5, 'header' => "Authorization: Bearer sk_lab_4f1c9e\r\n"]]);
$api = @file_get_contents('http://127.0.0.1:9300/v1/payments/' . $ev['id'], false, $ctx);
$pay = json_decode($api ?: '{}', true) ?: [];
file_put_contents(__DIR__ . '/../data/payments.csv', sprintf("%s,%s,%s,%s\n", date('c'), $ev['id'], $ev['order'] ?? '', $pay['status'] ?? 'unknown'), FILE_APPEND);
echo json_encode(['ok' => true, 'id' => $ev['id'], 'status' => $pay['status'] ?? 'unknown']);
