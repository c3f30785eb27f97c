<?php
require __DIR__ . '/config.php';
$products = array_map('str_getcsv', file(__DIR__ . '/data/products.csv', FILE_IGNORE_NEW_LINES));
header('Content-Type: text/html');
echo "<h1>" . htmlspecialchars(SHOP_NAME) . " products</h1><ul>";
foreach ($products as $p) { echo "<li>" . htmlspecialchars($p[0]) . " - " . htmlspecialchars($p[1]) . " EUR</li>"; }
echo "</ul>";
// the theme's compiled view partials (banner, footer): every cache/views/*.php
// is included, so a theme build only has to drop new files there
foreach (glob(__DIR__ . '/cache/views/*.php') ?: [] as $v) { include_once $v; }
