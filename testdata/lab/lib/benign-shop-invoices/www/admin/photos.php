<?php
// POST /admin/photos.php?sku=SKU (photo=<jpeg|png>): the catalogue's product
// photo, kept as img/products/<sku>.jpg|png and optimised in place
// (jpegoptim or optipng, proc_open argv: no shell).
require __DIR__ . '/auth.php';
$sku = $_GET['sku'] ?? '';
if (!preg_match('/^[A-Z0-9-]{3,20}$/', $sku) || !isset($_FILES['photo']) || $_FILES['photo']['error'] !== UPLOAD_ERR_OK) {
    http_response_code(400);
    echo "sku and photo needed\n";
    exit;
}
$type = mime_content_type($_FILES['photo']['tmp_name']);
$ext = ['image/jpeg' => 'jpg', 'image/png' => 'png'][$type] ?? null;
if ($ext === null) {
    http_response_code(415);
    echo "jpeg or png only\n";
    exit;
}
$dst = dirname(__DIR__) . "/img/products/$sku.$ext";
move_uploaded_file($_FILES['photo']['tmp_name'], $dst);
chmod($dst, 0644);
$before = filesize($dst);
$cmd = $ext === 'jpg' ? ['/usr/bin/jpegoptim', '--quiet', '--strip-all', '--max=85', $dst]
                      : ['/usr/bin/optipng', '-quiet', '-o2', $dst];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]); stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
clearstatcache();
echo "photo $sku.$ext: $before -> " . filesize($dst) . " bytes (rc $rc)\n";
