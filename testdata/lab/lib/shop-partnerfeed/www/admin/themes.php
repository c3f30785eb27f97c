<?php
// Back office: staff upload a storefront theme package (a tar with
// <name>/theme.json); root's shop-theme-install (cron, every minute) installs
// it into /srv/shop-themes.
$cfg = parse_ini_file('/etc/shop/partner.ini');
if (($_SERVER['HTTP_X_STAFF_TOKEN'] ?? '') !== $cfg['staff_token']) { http_response_code(403); exit("forbidden\n"); }
$dir = __DIR__ . '/../themes/incoming';
if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_FILES['theme'])) {
    $name = preg_replace('/[^a-z0-9_-]/', '', strtolower(basename($_FILES['theme']['name'], '.tar')));
    if ($name === '' || !move_uploaded_file($_FILES['theme']['tmp_name'], "$dir/$name.tar")) { http_response_code(400); exit("upload failed\n"); }
    echo "queued $name.tar for installation\n";
    exit;
}
header('Content-Type: text/plain');
echo "incoming:\n";
foreach (glob("$dir/*.tar") as $f) echo '  ', basename($f), ' ', filesize($f), "\n";
echo "installed:\n";
foreach (glob('/srv/shop-themes/*/theme.json') as $f) echo '  ', basename(dirname($f)), "\n";
