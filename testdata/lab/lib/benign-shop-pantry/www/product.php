<?php
// A product page: the photo as WebP where the cron job made one.
require __DIR__ . '/lib/pantry-config.php';
$sku = preg_replace('/[^A-Z0-9-]/', '', $_GET['sku'] ?? '');
$name = null;
foreach (PANTRY_PRODUCTS as $p) { if ($p[0] === $sku) $name = $p[1]; }
if ($name === null) { http_response_code(404); exit("no such product\n"); }
$webp = is_file(__DIR__ . "/img/webp/$sku.webp");
echo "<!doctype html><html><body><h1>", htmlspecialchars($name), "</h1><picture>",
     $webp ? "<source srcset=\"/img/webp/$sku.webp\" type=\"image/webp\">" : '',
     "<img src=\"/img/products/$sku.jpg\" alt=\"\"></picture></body></html>\n";
