<?php
// POST /admin/cdn.php (paths=...): the "Purge CDN" button, the CDN's purge
// API called with curl (argv, no shell) and the shop's API token.
require __DIR__ . '/auth.php';
$paths = preg_replace('/[^A-Za-z0-9\/_.*,-]/', '', $_POST['paths'] ?? '/*');
$cmd = ['/usr/bin/curl', '-fsS', '--max-time', '10', '-X', 'POST',
        '-H', 'Authorization: Bearer cdn-shop-7Qx2-live', '-H', 'Content-Type: application/json',
        '--data', json_encode(['zone' => 'shop', 'paths' => explode(',', $paths)]),
        'http://127.0.0.1:9320/v2/zones/shop/purge'];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]); $err = stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
echo $rc === 0 ? "purge requested: $paths\n" : "purge failed ($rc): $err";
