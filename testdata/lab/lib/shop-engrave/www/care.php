<?php
// Care guides of the engraved products (oak boards want oil, steel flasks no
// dishwasher): ?guide=<file> from guides/, in the shop's layout. The guides
// are HTML with a few PHP snippets (the shop name, prices), so they are included.
require __DIR__ . '/config.php';
$g = $_GET['guide'] ?? 'index.html';
$g = str_replace(array('../', '..\\'), '', $g);   // no directory traversal
header('Content-Type: text/html; charset=utf-8');
echo "<!doctype html><html><head><title>Care guides - " . htmlspecialchars(SHOP_NAME) . "</title></head><body>";
echo "<p><a href=\"/care.php?guide=mug.html\">Mugs</a> | <a href=\"/care.php?guide=oak-board.html\">Oak boards</a> | <a href=\"/care.php?guide=flask.html\">Flasks</a></p>";
$f = __DIR__ . '/guides/' . $g;
if (!is_file($f)) { http_response_code(404); echo "<p>Sorry, we have no such guide.</p>"; }
else { include $f; }
echo "</body></html>";
