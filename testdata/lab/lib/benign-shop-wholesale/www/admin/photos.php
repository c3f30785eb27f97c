<?php
// Product photos from the suppliers' photographers: kept as
// img/products/<SKU>.jpg, camera and location metadata stripped by exiftool
// (proc_open argv, no shell; the orientation is kept), the size read back.
require __DIR__ . '/auth.php';
$sku = strtoupper(preg_replace('/[^A-Za-z0-9-]/', '', $_GET['sku'] ?? ''));
if ($sku === '' || !isset($_FILES['photo']) || $_FILES['photo']['error'] !== UPLOAD_ERR_OK
        || (@getimagesize($_FILES['photo']['tmp_name']) ?: [2 => 0])[2] !== IMAGETYPE_JPEG) {
    http_response_code(400);
    echo "a JPEG photo and ?sku= please\n";
    exit;
}
$file = dirname(__DIR__) . "/img/products/$sku.jpg";
move_uploaded_file($_FILES['photo']['tmp_name'], $file);
$run = function (array $argv): string {
    $p = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]); proc_close($p);
    return trim($out);
};
$strip = $run(['/usr/bin/exiftool', '-q', '-q', '-overwrite_original', '-all=', '-tagsFromFile', '@', '-Orientation', $file]);
$size = $run(['/usr/bin/exiftool', '-s3', '-ImageSize', $file]);
echo "$sku: metadata stripped, $size", $strip !== '' ? " ($strip)" : '', "\n";
