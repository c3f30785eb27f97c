<?php
// Plugin updates: the admin page downloads the plugin's zip from the update
// server (PHP itself) and unzips it into plugins/ (PHP files land in the web root).
require __DIR__ . '/../lib/bootstrap.php';
nr_require_editor();
header('Content-Type: text/plain');
if (empty($_GET['update'])) {
    foreach (glob(NR_ROOT . '/plugins/*/plugin.json') as $f) { $m = json_decode(file_get_contents($f), true); echo basename(dirname($f)), ' ', $m['version'] ?? '?', "\n"; }
    exit;
}
$slug = preg_replace('/[^a-z0-9-]/', '', $_GET['update']);
$ver = preg_replace('/[^0-9.]/', '', $_GET['version'] ?? '');
$zip = @file_get_contents(NR_UPDATE_URL . "$slug-$ver.zip");
if ($zip === false) { http_response_code(502); exit("download failed\n"); }
$tmp = tempnam('/tmp', 'nrplg');
file_put_contents($tmp, $zip);
exec('unzip -o -q ' . escapeshellarg($tmp) . ' -d ' . escapeshellarg(NR_ROOT . '/plugins') . ' 2>&1', $out, $rc);
unlink($tmp);
echo $rc === 0 ? "$slug updated to $ver\n" : "unzip failed ($rc)\n";
