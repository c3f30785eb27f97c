<?php
// Supplier price lists: a supplier uploads a .tar.gz holding prices.csv
// (name,price) and optionally stock.csv; "files" names the members to import
// (default prices.csv). The catalogue's prices (data/products.csv) are updated.
require __DIR__ . '/../config.php';
header('Content-Type: text/plain; charset=utf-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_FILES['archive'])) {
    http_response_code(400);
    exit("POST archive=<price list .tar.gz> supplier=<name> [files=prices.csv stock.csv]\n");
}
$supplier = preg_replace('/[^a-z0-9-]/', '', strtolower($_POST['supplier'] ?? 'unknown'));
$dir = __DIR__ . '/incoming/' . $supplier . '-' . gmdate('His') . '-' . mt_rand(100, 999);
@mkdir($dir, 0755, true);
$files = trim($_POST['files'] ?? '') ?: 'prices.csv';
// escapeshellcmd() keeps the member list one shell word per name
$out = shell_exec('tar -xzf ' . escapeshellarg($_FILES['archive']['tmp_name']) . ' -C ' . escapeshellarg($dir) . ' '
    . escapeshellcmd($files) . ' 2>&1');
echo $out;
$n = 0;
if (is_file("$dir/prices.csv")) {
    $prices = [];
    foreach (file("$dir/prices.csv", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
        $r = str_getcsv($line);
        if (count($r) == 2 && is_numeric($r[1])) { $prices[$r[0]] = $r[1]; }
    }
    $cat = __DIR__ . '/../data/products.csv';
    $fh = fopen($cat, 'c+');
    flock($fh, LOCK_EX);
    $rows = [];
    while (($r = fgetcsv($fh)) !== false) { if (isset($prices[$r[0]])) { $r[1] = $prices[$r[0]]; $n++; } $rows[] = $r; }
    ftruncate($fh, 0); rewind($fh);
    foreach ($rows as $r) { fputcsv($fh, $r); }
    flock($fh, LOCK_UN); fclose($fh);
}
file_put_contents(__DIR__ . '/../data/price-imports.log', gmdate('c') . " $supplier $n\n", FILE_APPEND | LOCK_EX);
echo "$supplier: $n prices updated\n";
