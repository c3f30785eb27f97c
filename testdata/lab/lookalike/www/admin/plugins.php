<?php
// Plugin manager of the shop's admin area: installs or updates a plugin
// from the company's plugin marketplace (an internal server addressed by
// IP), the way many PHP shops do it: download the archive to /tmp, unzip
// it into plugins/, fix the modes, remove the archive. The updater came
// from an older release and still uses wget; the installer uses curl.
require __DIR__ . '/auth.php';
$market = 'http://127.0.0.1:8000/market';
$name = preg_replace('/[^a-z0-9-]/', '', $_GET['name'] ?? '');
$ver = preg_replace('/[^0-9.]/', '', $_GET['version'] ?? '');
$action = ($_GET['action'] ?? 'install') === 'update' ? 'update' : 'install';
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || $name === '' || $ver === '') {
    echo "<!doctype html><html><body><h1>Plugins</h1>";
    foreach (glob(__DIR__ . '/../plugins/*/plugin.json') as $f) {
        $p = json_decode(file_get_contents($f), true);
        echo '<p>', htmlspecialchars($p['name'] ?? '?'), ' ', htmlspecialchars($p['version'] ?? '?'), "</p>\n";
    }
    echo "</body></html>\n";
    exit;
}
$zip = "/tmp/plugin-$name-$ver.zip";
$url = "$market/$name-$ver.zip";
$dest = '/var/www/html/plugins';
$steps = [
    $action === 'update'
        ? 'wget -q -O ' . escapeshellarg($zip) . ' ' . escapeshellarg($url)
        : 'curl -fsS -o ' . escapeshellarg($zip) . ' ' . escapeshellarg($url),
    'unzip -o -q ' . escapeshellarg($zip) . ' -d ' . escapeshellarg($dest),
    'chmod -R u=rwX,go=rX ' . escapeshellarg("$dest/$name"),
    'rm -f ' . escapeshellarg($zip),
];
$log = [];
foreach ($steps as $cmd) {
    exec($cmd . ' 2>&1', $o, $rc);
    $log[] = "$cmd => $rc";
    if ($rc !== 0) {
        http_response_code(502);
        break;
    }
}
header('Content-Type: text/plain');
echo implode("\n", $log), "\n";
