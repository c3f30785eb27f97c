<?php
// Back office: the marketing team fills the calendar's doors (product, title,
// price); the page cache is told to drop the calendar and product pages.
require __DIR__ . '/../lib/advent.php';
if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== ADVENT_ADMIN_TOKEN) { http_response_code(403); exit("forbidden\n"); }
header('Content-Type: text/plain; charset=utf-8');
$a = advent_load();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    foreach ($a['doors'] as $n => $d) printf("%2d %-14s %-32s %6.2f\n", $n, $d['sku'], $d['title'], $d['price']);
    exit;
}
$n = (int)($_POST['door'] ?? 0);
if ($n < 1 || $n > 24 || !preg_match('/^[A-Z0-9-]{3,20}$/', $_POST['sku'] ?? '')) { http_response_code(422); exit("bad door\n"); }
$a['doors'][(string)$n] = ['sku' => $_POST['sku'], 'title' => substr((string)($_POST['title'] ?? ''), 0, 60),
    'price' => round((float)($_POST['price'] ?? 0), 2), 'was' => round((float)($_POST['was'] ?? 0), 2),
    'by' => $_POST['by'] ?? 'marketing', 'at' => gmdate('c')];
ksort($a['doors'], SORT_NUMERIC);
advent_save($a);
$c1 = advent_ban('^/advent\.php');
$c2 = advent_ban('^/products\.php');
file_put_contents(ADVENT_VAR . '/door.log', sprintf("%s door %d %s %.2f ban %d/%d\n", gmdate('c'), $n, $_POST['sku'], $a['doors'][(string)$n]['price'], $c1, $c2), FILE_APPEND);
echo "door $n saved; cache ban $c1/$c2\n";
