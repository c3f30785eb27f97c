<?php
// The catalogue's search index: data/products.csv (+ the product photos)
// into data/search.json; rebuilt by www-data's cron (php -r one-liner).
function shop_reindex(string $data): bool {
    $idx = [];
    foreach (file("$data/products.csv", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $l) {
        [$name, $price] = array_pad(str_getcsv($l), 2, '');
        foreach (preg_split('/[^a-z0-9]+/', strtolower($name), -1, PREG_SPLIT_NO_EMPTY) as $w) {
            $idx[$w][] = ['name' => $name, 'price' => $price];
        }
    }
    $photos = array_map('basename', glob(dirname($data) . '/img/products/*.{jpg,png}', GLOB_BRACE) ?: []);
    $tmp = "$data/search.json.tmp";
    if (file_put_contents($tmp, json_encode(['built' => gmdate('c'), 'words' => $idx, 'photos' => $photos])) === false) {
        return false;
    }
    return rename($tmp, "$data/search.json");
}
