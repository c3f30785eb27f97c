<?php
// The supplier's stock list (SKU;name;stock;lead days) into the shop's
// blanks-stock.json; the mirrored photos counted.
$csv = '/var/lib/shop-trophy/blanks-stock.csv';
$out = '/var/lib/shop-trophy/blanks-stock.json';
$rows = [];
foreach (is_file($csv) ? file($csv, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) : [] as $i => $l) {
    if ($i === 0) continue;
    [$sku, $name, $stock, $lead] = array_pad(str_getcsv($l, ';'), 4, '');
    if (!preg_match('/^[A-Z0-9-]+$/', $sku)) continue;
    $rows[$sku] = ['name' => $name, 'stock' => (int)$stock, 'lead_days' => (int)$lead];
}
file_put_contents($out, json_encode($rows, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE) . "\n");
printf("%s %d blanks in stock list, %d supplier photos\n", gmdate('c'), count($rows), count(glob('/var/www/html/img/supplier/*.jpg') ?: []));
