<?php
// Product photos: the upload lands as a chunk in media/tmp/ (the uploader
// resumes big files), the thumbnail is made by the configured converter,
// then the original goes to media/originals/.
require __DIR__ . '/../lib/account.php';
require_admin();
$s = settings();
$root = dirname(__DIR__);
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    header('Content-Type: text/plain');
    $sku = preg_replace('/[^A-Z0-9-]/', '', strtoupper($_POST['sku'] ?? ''));
    if ($sku === '' || empty($_FILES['photo']['tmp_name'])) { http_response_code(422); echo "sku and photo needed\n"; exit; }
    $name = basename($_FILES['photo']['name']);
    $part = "$root/media/tmp/$name." . bin2hex(random_bytes(2)) . '.part';
    move_uploaded_file($_FILES['photo']['tmp_name'], $part);
    $thumb = "$root/img/products/$sku.jpg";
    exec($s['converter'] . ' ' . escapeshellarg($part) . ' -auto-orient -strip -thumbnail ' . escapeshellarg($s['thumb_size']) . ' ' . escapeshellarg($thumb) . ' 2>&1', $out, $rc);
    if ($rc !== 0) { http_response_code(500); echo "thumbnail failed ($rc): ", implode("\n", $out), "\n"; exit; }
    rename($part, "$root/media/originals/$sku.jpg");
    echo "ok $sku ", filesize($thumb), "\n";
    exit;
}
echo "<h1>Product photos</h1><form method=post enctype=multipart/form-data><input name=sku><input type=file name=photo><input type=submit></form>";
foreach (glob("$root/img/products/*.jpg") as $f) echo "<img src='/img/products/" . basename($f) . "'>";
