<?php
// "Download as zip": an article and its images, zipped with proc_open and an
// argv array (no shell) into exports/ in the web root.
require_once __DIR__ . '/../conf/settings.php';
$id = preg_replace('/[^a-z0-9-]/', '', (string)($_GET['id'] ?? ''));
$src = KB_DATA . "/articles/$id.txt";
if ($id === '' || !is_file($src)) {
    http_response_code(404);
    exit;
}
$dst = KB_WWW . "/exports/$id.zip";
$p = proc_open(['/usr/bin/zip', '-q', '-j', '-o', $dst, $src, KB_WWW . '/media/diagram.png'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]);
stream_get_contents($pipes[2]);
proc_close($p);
header('Content-Type: application/zip');
readfile($dst);
