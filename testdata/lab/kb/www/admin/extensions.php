<?php
// Admin: install an extension from the company mirror. PHP downloads the
// archive itself (allow_url_fopen), then tar unpacks it into ext/ in the web
// root (proc_open argv, no shell). Admin token in a header.
require_once __DIR__ . '/../../conf/settings.php';
if (($_SERVER['HTTP_X_KB_ADMIN'] ?? '') !== KB_ADMIN_TOKEN) {
    http_response_code(403);
    exit;
}
header('Content-Type: text/plain');
$name = preg_replace('/[^a-z0-9-]/', '', (string)($_GET['install'] ?? ''));
$ver = preg_replace('/[^0-9.]/', '', (string)($_GET['version'] ?? ''));
if ($name === '' || $ver === '') {
    foreach (glob(KB_WWW . '/ext/*', GLOB_ONLYDIR) as $d) {
        echo basename($d), "\n";
    }
    exit;
}
$tmp = "/tmp/kbext-$name-$ver.tar.gz";
$data = file_get_contents(KB_MIRROR . "/kb-ext/$name-$ver.tar.gz");
if ($data === false) {
    http_response_code(502);
    exit;
}
file_put_contents($tmp, $data);
$p = proc_open(['/usr/bin/tar', '-xzf', $tmp, '-C', KB_WWW . '/ext'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]);
echo stream_get_contents($pipes[2]);
proc_close($p);
unlink($tmp);
echo "installed $name $ver\n";
