<?php
// www-data's cron: the marketplace feed (XML + gzip) from the catalog.
if (PHP_SAPI !== 'cli') { http_response_code(404); exit; }
require __DIR__ . '/../lib/backoffice.php';
$dir = __DIR__ . '/../feed';
if (!is_dir($dir)) mkdir($dir, 0755);
$e = fn($s) => htmlspecialchars((string)$s, ENT_XML1 | ENT_QUOTES, 'UTF-8');
$xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed generated=\"" . gmdate('c') . "\">\n";
$rows = catalog_rows();
foreach ($rows as $i => $r) {
    $xml .= "  <item><id>LS-" . (100 + $i) . "</id><title>" . $e($r[0]) . "</title><price>"
          . number_format((float)($r[1] ?? 0), 2, '.', '') . " EUR</price></item>\n";
}
$xml .= "</feed>\n";
file_put_contents("$dir/marketplace.xml.tmp", $xml);
rename("$dir/marketplace.xml.tmp", "$dir/marketplace.xml");
exec('gzip -9 -k -f ' . escapeshellarg("$dir/marketplace.xml"), $o, $rc);
echo gmdate('c'), " feed: ", count($rows), " items, gzip rc=$rc\n";
