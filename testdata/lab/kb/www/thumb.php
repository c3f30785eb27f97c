<?php
// Image previews for articles: ImageMagick through exec() (a shell), cached
// under cache/ in the web root.
require_once __DIR__ . '/../conf/settings.php';
$img = preg_replace('/[^a-z0-9-]/', '', (string)($_GET['img'] ?? 'diagram'));
$w = max(32, min(640, (int)($_GET['w'] ?? 160)));
$src = KB_WWW . "/media/$img.png";
$dst = KB_WWW . "/cache/$img-$w.png";
if (!is_file($src)) {
    http_response_code(404);
    exit;
}
if (!is_file($dst)) {
    exec('/usr/bin/convert ' . escapeshellarg($src) . " -thumbnail {$w}x{$w} " . escapeshellarg($dst));
}
header('Content-Type: image/png');
readfile($dst);
