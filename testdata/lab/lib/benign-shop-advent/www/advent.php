<?php
// The advent calendar: today's door (cached by the page cache for 2 minutes).
require __DIR__ . '/lib/advent.php';
$a = advent_load();
$today = advent_door_at(time());
$want = isset($_GET['door']) ? (int)$_GET['door'] : $today;
header('Cache-Control: public, max-age=120');
header('Content-Type: text/html; charset=utf-8');
echo "<!doctype html><title>Lab Shop advent calendar</title><h1>Advent calendar</h1>\n";
if ($want < 1 || $want > 24) { http_response_code(404); echo "<p>No such door.</p>\n"; exit; }
if ($want > $today) { echo "<p>Door $want opens on December $want. Patience!</p>\n"; exit; }
$door = $a['doors'][(string)$want] ?? null;
if (!$door) { echo "<p>Door $want: a surprise is coming.</p>\n"; exit; }
printf("<h2>Door %d: %s</h2><p>%s for only %.2f EUR (instead of %.2f EUR), today only.</p>\n",
    $want, htmlspecialchars($door['title']), htmlspecialchars($door['sku']), $door['price'], $door['was']);
echo "<p>Got a paper calendar from our shop in town? <a href=\"/redeem.php\">Redeem its voucher</a>.</p>\n";
