<?php
// Stock levels from the ERP, through www-data's ssh tunnel (127.0.0.1:15432).
require __DIR__ . '/../lib/returns-config.php';
shop_admin_only();
$c = curl_init(ERP_STOCK_URL);
curl_setopt_array($c, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 5]);
$body = curl_exec($c);
$code = curl_getinfo($c, CURLINFO_RESPONSE_CODE);
curl_close($c);
header('Content-Type: text/plain');
if ($code !== 200) { http_response_code(503); exit("ERP tunnel down ($code)\n"); }
foreach ((json_decode($body, true)['stock'] ?? []) as $sku => $n) echo "$sku $n\n";
