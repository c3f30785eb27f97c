<?php
require __DIR__ . '/auth.php';
$orders = array_map('str_getcsv', file(__DIR__ . '/../data/orders.csv', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES));
array_shift($orders);
$open = array_filter($orders, fn($o) => ($o[4] ?? '') === 'open');
header('Content-Type: text/html; charset=utf-8');
echo "<h1>Back office</h1><p>signed in as " . htmlspecialchars($_SESSION['bo']) . "</p>";
echo "<p>" . count($orders) . " orders, " . count($open) . " open</p><table>";
foreach (array_slice($orders, -8) as $o) { echo "<tr><td>" . implode('</td><td>', array_map('htmlspecialchars', $o)) . "</td></tr>"; }
echo "</table><p><a href=rates.php>Exchange rates</a> | <a href=settings.php>Settings</a></p>\n";
