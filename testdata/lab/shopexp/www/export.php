<?php
// Photo packs for resellers: the product photos they pick, zipped on the fly.
// POST files[]=<photo name under img/> ... -> application/zip
// The names go to zip as an argv array (proc_open, no shell), checked only
// for "..": a name that starts with "-" is taken by zip as an option.
require __DIR__ . '/config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || empty($_POST['files']) || !is_array($_POST['files'])) {
    http_response_code(400);
    echo "POST files[]=<photo> ...\n";
    exit;
}
$files = [];
foreach ($_POST['files'] as $f) {
    if (strpos($f, '..') !== false || $f === '' || $f[0] === '/') { http_response_code(400); echo "bad name\n"; exit; }
    $files[] = $f;
}
$zip = tempnam(sys_get_temp_dir(), 'pack');
unlink($zip);
$zip .= '.zip';
$cmd = array_merge(['/usr/bin/zip', '-j', '-q', $zip], $files);
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, __DIR__ . '/img');
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
if ($rc !== 0 || !is_file($zip)) {
    http_response_code(500);
    header('Content-Type: text/plain');
    echo "zip failed ($rc)\n", $out;
    @unlink($zip);
    exit;
}
header('Content-Type: application/zip');
header('Content-Disposition: attachment; filename="photo-pack.zip"');
readfile($zip);
unlink($zip);
