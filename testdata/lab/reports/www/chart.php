<?php
// Chart thumbnails: ImageMagick convert through proc_open with an argv array
// (no shell), written into the web root's cache/.
$name = preg_replace('/[^a-z]/', '', $_GET['name'] ?? 'sales');
$w = max(16, min(512, (int)($_GET['w'] ?? 64)));
$src = "/srv/reports/www/img/$name.png";
$dst = "/srv/reports/www/cache/$name-$w.png";
if (!is_file($src)) {
    http_response_code(404);
    exit;
}
$p = proc_open(['/usr/bin/convert', $src, '-resize', "{$w}x{$w}", $dst], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]);
stream_get_contents($pipes[2]);
proc_close($p);
header('Content-Type: image/png');
readfile($dst);
