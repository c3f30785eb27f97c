<?php
// Shipping a bike (or a wheelset) in a box: the carrier's live quote.
require __DIR__ . '/lib/spokeworks-config.php';
header('Content-Type: application/json');
$zip = preg_replace('/[^0-9A-Za-z -]/', '', (string)($_GET['zip'] ?? ''));
$kg = max(1, min(40, (float)($_GET['kg'] ?? 18)));
$box = in_array($_GET['box'] ?? '', ['bike', 'wheels', 'frame'], true) ? $_GET['box'] : 'bike';
if ($zip === '') { http_response_code(422); exit(json_encode(['error' => 'zip code missing'])); }
$ch = curl_init(CARRIER_API);
curl_setopt_array($ch, [
    CURLOPT_POST => true, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 12,
    CURLOPT_HTTPHEADER => ['Content-Type: application/json', 'Authorization: Bearer ' . CARRIER_KEY],
    CURLOPT_POSTFIELDS => json_encode(['from' => '28195', 'to' => $zip, 'kg' => $kg, 'package' => $box . '-box']),
]);
$r = curl_exec($ch);
$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
curl_close($ch);
if ($r === false || $code !== 200) { http_response_code(502); exit(json_encode(['error' => 'carrier not reachable, try again'])); }
echo $r, "\n";
