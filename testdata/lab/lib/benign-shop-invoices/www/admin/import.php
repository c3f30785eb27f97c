<?php
// POST /admin/import.php?supplier=NAME (prices=<csv>): the supplier's price
// list (sku;name;price_eur;stock, Windows line ends) becomes data/products.csv
// (name,price) through a sed | awk | sort pipeline.
require __DIR__ . '/auth.php';
$supplier = preg_replace('/[^a-z0-9-]/', '', $_GET['supplier'] ?? 'unknown');
if (!isset($_FILES['prices']) || $_FILES['prices']['error'] !== UPLOAD_ERR_OK) {
    http_response_code(400);
    echo "prices needed\n";
    exit;
}
$data = dirname(__DIR__) . '/data';
$new = "$data/products.csv.$supplier.new";
$cmd = "sed -e 's/\\r\$//' " . escapeshellarg($_FILES['prices']['tmp_name'])
     . " | awk -F';' 'NR > 1 && \$3 ~ /^[0-9]+([.][0-9]+)?\$/ { printf \"%s,%s\\n\", \$2, \$3 }'"
     . " | sort -t, -k1,1 > " . escapeshellarg($new) . " && wc -l < " . escapeshellarg($new);
$n = (int) trim((string) shell_exec($cmd));
if ($n < 1) {
    @unlink($new);
    http_response_code(422);
    echo "no valid rows\n";
    exit;
}
rename($new, "$data/products.csv");
echo "imported $n prices from $supplier\n";
