<?php
// Static info pages (about, shipping, returns) in the shop's layout: the page
// name comes from ?p= and is included as is (CWE-98: local file inclusion;
// "../" is not stripped and include() runs any PHP code in the file).
require __DIR__ . '/config.php';
$p = $_GET['p'] ?? 'about.html';
header('Content-Type: text/html');
echo "<!doctype html><html><head><title>" . htmlspecialchars(SHOP_NAME) . "</title></head><body>";
echo "<p><a href=\"/\">Home</a> | <a href=\"/page.php?p=about.html\">About</a> | <a href=\"/page.php?p=shipping.html\">Shipping</a> | <a href=\"/page.php?p=returns.html\">Returns</a></p>";
include __DIR__ . '/pages/' . $p;
echo "</body></html>";
