<?php
// Marketing: import a campaign banner from the CDN into img/ (curl, as the
// old hosting panel did it).
require __DIR__ . '/auth.php';
$name = preg_replace('/[^a-z0-9-]/', '', $_POST['name'] ?? '');
$url = $_POST['url'] ?? '';
if ($name === '' || !preg_match('#^https?://[A-Za-z0-9.:-]+/[A-Za-z0-9._/-]+$#', $url)) { http_response_code(400); exit("bad\n"); }
$dst = realpath(__DIR__ . '/../img') . "/banner-$name.png";
$out = shell_exec('curl -fsS -m 10 -o ' . escapeshellarg($dst) . ' ' . escapeshellarg($url) . ' 2>&1');
header('Content-Type: application/json');
echo json_encode(['saved' => is_file($dst) ? basename($dst) : null, 'bytes' => is_file($dst) ? filesize($dst) : 0, 'curl' => $out]);
