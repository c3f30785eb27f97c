<?php
// Product import (shop admin): a ZIP of product photos (photos/*.png) and
// products.csv, extracted with unzip into catalog/incoming/<batch>/, one
// thumbnail per photo made with convert.
//
// Access: the office network only. The shop sits behind the load balancer,
// so the client address is taken from X-Forwarded-For, whoever sends it
// (the planted misconfiguration: the header is trusted from any client).
//
// unzip runs with -: (keep "../" in member names) because the old supplier
// tool's archives put shared photos into ../shared/ next to the batch (the
// other planted flaw: a member named ../../../x.php lands in the web root).
$fwd = $_SERVER['HTTP_X_FORWARDED_FOR'] ?? '';
$client = trim(explode(',', $fwd !== '' ? $fwd : $_SERVER['REMOTE_ADDR'])[0]);
if (strpos($client, '10.20.') !== 0) {
    http_response_code(403);
    echo "forbidden: office network only\n";
    exit;
}
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_FILES['archive'])) {
    echo "<!doctype html><html><body><h1>Product import</h1>\n";
    echo "<form method=\"post\" enctype=\"multipart/form-data\"><input type=\"file\" name=\"archive\"><input type=\"submit\"></form></body></html>\n";
    exit;
}
$root = dirname(__DIR__);
// the batch is named for the time and the uploaded file's name (photos-w49-3.zip -> 20261204-020628-photos-w49-3)
$name = trim(preg_replace('/[^a-z0-9]+/', '-', strtolower(pathinfo($_FILES['archive']['name'], PATHINFO_FILENAME))), '-');
$batch = gmdate('Ymd-His') . '-' . ($name !== '' ? substr($name, 0, 40) : 'upload');
$dir = "$root/catalog/incoming/$batch";
@mkdir("$dir/thumbs", 0775, true);
$zip = "$dir.zip";
if (!move_uploaded_file($_FILES['archive']['tmp_name'], $zip)) {
    http_response_code(400);
    echo "upload failed\n";
    exit;
}
exec('unzip -o -: ' . escapeshellarg($zip) . ' -d ' . escapeshellarg($dir) . ' 2>&1', $out, $rc);
$n = 0;
foreach (glob("$dir/photos/*.png") as $p) {
    exec('convert ' . escapeshellarg($p) . ' -thumbnail 96x96 ' . escapeshellarg("$dir/thumbs/" . basename($p)));
    $n++;
}
$rows = is_file("$dir/products.csv") ? max(0, count(file("$dir/products.csv")) - 1) : 0;
header('Content-Type: text/plain');
echo "batch $batch: unzip rc=$rc, $rows products, $n thumbnails\n", implode("\n", $out), "\n";
