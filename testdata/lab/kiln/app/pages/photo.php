<?php
// a class photo or a gallery piece at width w: convert (argv) into the cache once per width
$id = preg_replace('/[^a-z0-9-]/', '', $_GET['id'] ?? '');
$w = max(40, min(1200, (int)($_GET['w'] ?? 320)));
$src = is_file(KILN . "/data/photos/$id.jpg") ? KILN . "/data/photos/$id.jpg" : KILN . "/uploads/gallery/$id.jpg";
if (!$id || !is_file($src)) { http_response_code(404); return; }
$out = "/var/lib/kiln/cache/$id-$w.jpg";
if (!is_file($out)) run_argv(['/usr/bin/convert', $src, '-thumbnail', "{$w}x{$w}", $out]);
header('Content-Type: image/jpeg'); readfile($out);
