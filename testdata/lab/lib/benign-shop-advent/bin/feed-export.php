<?php
// The price portal's product feed: every article with price, stock, image and
// the advent door price where one is open (CSV on stdout).
require '/var/www/html/lib/advent.php';
$a = advent_load();
$open = $a['doors'][(string)($a['open_door'] ?? 0)] ?? null;
$out = fopen('php://stdout', 'w');
fputcsv($out, ['id', 'title', 'description', 'price', 'sale_price', 'availability', 'gtin', 'link', 'image_link', 'shipping']);
$kinds = ['Mug' => 12.0, 'T-Shirt' => 20.0, 'Poster' => 8.0, 'Tote' => 14.5, 'Cap' => 17.9, 'Candle' => 9.9, 'Notebook' => 6.5, 'Sticker set' => 3.9];
$colors = ['red', 'blue', 'forest green', 'sand', 'black', 'white', 'mustard', 'rose', 'navy', 'charcoal'];
$motifs = ['Nordlicht', 'Winterwald', 'Lebkuchen', 'Schneeflocke', 'Tannenbaum', 'Rentier', 'Zimtstern', 'Kerzenschein', 'Eiszapfen', 'Glühwein'];
$n = 0;
foreach ($kinds as $kind => $base) {
    foreach ($colors as $ci => $color) {
        foreach ($motifs as $mi => $motif) {
            foreach (['S', 'M', 'L'] as $si => $size) {
                $n++;
                $sku = strtoupper(preg_replace('/[^A-Za-z]/', '', $kind)) . '-' . sprintf('%02d%02d', $ci, $mi) . $size;
                $price = $base + $si * 1.5 + ($mi % 3) * 0.5;
                $sale = ($open && str_starts_with($sku, $open['sku'])) ? sprintf('%.2f EUR', $open['price']) : '';
                $gtin = sprintf('40%011d', crc32($sku) % 100000000000);
                $stock = (crc32($sku . gmdate('YmdH')) % 7) ? 'in_stock' : 'out_of_stock';
                fputcsv($out, [$sku, "$kind \"$motif\" $color $size", "Our $kind with the $motif motif in $color, size $size, printed in Kiel.",
                    sprintf('%.2f EUR', $price), $sale, $stock, $gtin, "https://shop.lab.local/products.php?sku=$sku",
                    "https://shop.lab.local/img/products/$sku.jpg", 'DE:::4.90 EUR']);
            }
        }
    }
}
