<?php
require __DIR__ . '/lib/atelier.php';
$ini = atelier_ini();
$s = atelier_settings();
$imgs = glob('/srv/atelier/static/lookbook/*.jpg') ?: [];
header('Content-Type: text/html; charset=utf-8');
echo "<!doctype html><html><head><title>" . htmlspecialchars($ini['shop']['name'] ?? 'Atelier') . " lookbook</title>";
echo "<link rel=stylesheet href=\"/static/css/atelier.css\"></head><body>";
if ($s['banner'] !== '') { echo "<p class=banner>" . htmlspecialchars($s['banner']) . "</p>"; }
echo "<h1>Winter lookbook</h1><div class=grid>";
foreach ($imgs as $f) {
    $b = basename($f);
    echo "<figure><img src=\"/static/lookbook/" . rawurlencode($b) . "\" loading=lazy><figcaption>" . htmlspecialchars(pathinfo($b, PATHINFO_FILENAME)) . "</figcaption></figure>";
}
echo "</div></body></html>\n";
