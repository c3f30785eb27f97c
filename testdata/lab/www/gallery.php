<?php
// Gallery: a PNG posted here gets a thumbnail made by ImageMagick's convert,
// run through exec() (benign shell + helper spawned by php-fpm).
header('Content-Type: text/plain');
if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_FILES['image'])) {
    $name = preg_replace('/[^A-Za-z0-9._-]/', '', basename($_FILES['image']['name']));
    $src = __DIR__ . '/uploads/' . $name;
    move_uploaded_file($_FILES['image']['tmp_name'], $src);
    $thumb = __DIR__ . '/uploads/thumb-' . $name;
    exec('convert ' . escapeshellarg($src) . ' -resize 64x64 ' . escapeshellarg($thumb), $out, $rc);
    echo $rc === 0 ? "thumbnail /uploads/thumb-$name\n" : "convert failed ($rc)\n";
    exit;
}
foreach (glob(__DIR__ . '/uploads/thumb-*') as $t) { echo basename($t), "\n"; }
