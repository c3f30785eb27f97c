<?php
// The shop's pseudo-cron (WP-cron style): www-data's crontab requests
// /shop-cron.php?doing_cron=<time> every minute; due tasks run inside the
// request: spec sheet previews missing a PNG are rendered, the sitemap is
// written, stale media/tmp files are pruned.
require __DIR__ . '/lib/media.php';
header('Content-Type: text/plain');
$lock = sys_get_temp_dir() . '/shop-cron.lock';
$fh = fopen($lock, 'c');
if (!flock($fh, LOCK_EX | LOCK_NB)) { echo "busy\n"; exit; }
$done = [];
foreach (glob(SPEC_DIR . '/*.pdf') as $pdf) {
    $png = substr($pdf, 0, -4) . '.png';
    if (!file_exists($png)) { [$ok] = render_preview($pdf, $png); $done[] = basename($png) . ($ok ? '' : ' (failed)'); }
}
$urls = ['/', '/products.php', '/contact.php'];
foreach (glob(__DIR__ . '/themes/*/index.php') as $t) $urls[] = '/themes/' . basename(dirname($t)) . '/index.php';
$xml = "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
foreach ($urls as $u) $xml .= "  <url><loc>http://127.0.0.1$u</loc></url>\n";
file_put_contents(__DIR__ . '/sitemap.xml', $xml . "</urlset>\n");
$done[] = 'sitemap.xml (' . count($urls) . ' urls)';
foreach (glob(__DIR__ . '/media/tmp/*') ?: [] as $f) if (filemtime($f) < time() - 600) { unlink($f); $done[] = 'pruned ' . basename($f); }
echo date('c'), ' ', ($_GET['doing_cron'] ?? '-'), ': ', implode(', ', $done), "\n";
