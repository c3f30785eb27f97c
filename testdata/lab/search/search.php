<?php
// Catalog search (GET q): the shop's products and their search keywords live
// in data/shop.db (SQLite, rebuilt by the admin's "reindex" button). Every
// search is counted in the searches table for the "popular searches" box.
// Both statements are built by string concatenation (CWE-89): the counter
// goes through SQLite3::exec(), which runs every statement of the string.
require __DIR__ . '/config.php';
header('Content-Type: text/html; charset=utf-8');
$q = (string)($_GET['q'] ?? '');
$db = new SQLite3(__DIR__ . '/data/shop.db');
$db->busyTimeout(2000);
if ($q !== '') {
    @$db->exec("INSERT INTO searches(q, at) VALUES('" . $q . "', datetime('now'))");
}
echo '<h1>' . htmlspecialchars(SHOP_NAME) . ' search</h1><ul>';
$res = @$db->query("SELECT sku, name, price FROM products WHERE hidden = 0 AND keywords LIKE '%" . $q . "%' ORDER BY name");
if ($res === false) {
    echo '<li>search error: ' . htmlspecialchars($db->lastErrorMsg()) . '</li>';
} else {
    while ($r = $res->fetchArray(SQLITE3_NUM)) {
        echo '<li>' . htmlspecialchars((string)$r[0]) . ' ' . htmlspecialchars((string)$r[1]) . ' - ' . htmlspecialchars((string)$r[2]) . ' EUR</li>';
    }
}
echo '</ul><h2>popular</h2><ol>';
$top = @$db->query("SELECT q, count(*) AS n FROM searches GROUP BY q ORDER BY n DESC LIMIT 3");
while ($top && ($r = $top->fetchArray(SQLITE3_NUM))) {
    echo '<li>' . htmlspecialchars((string)$r[0]) . '</li>';
}
echo "</ol>\n";
