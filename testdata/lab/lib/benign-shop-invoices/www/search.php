<?php
// GET /search.php?q=WORDS: the catalogue search (data/search.json, no exec)
$q = strtolower(substr($_GET['q'] ?? '', 0, 100));
$idx = json_decode(@file_get_contents(__DIR__ . '/data/search.json') ?: '{}', true);
$hits = [];
foreach (preg_split('/[^a-z0-9]+/', $q, -1, PREG_SPLIT_NO_EMPTY) as $w) {
    foreach ($idx['words'][$w] ?? [] as $p) {
        $hits[$p['name']] = $p['price'];
    }
}
$rates = json_decode(@file_get_contents(__DIR__ . '/data/rates.json') ?: '{}', true);
header('Content-Type: text/html; charset=utf-8');
echo "<h1>Search: " . htmlspecialchars($q) . "</h1><ul>";
foreach ($hits as $n => $p) {
    $usd = isset($rates['rates']['USD']) ? sprintf(' (~%.2f USD)', $p * $rates['rates']['USD']) : '';
    echo "<li>" . htmlspecialchars($n) . " - " . htmlspecialchars($p) . " EUR$usd</li>";
}
echo "</ul>";
