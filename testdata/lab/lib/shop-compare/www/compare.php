<?php
// Product comparison: customers pick products and may save the comparison
// under a name to share it (compare.php?id=<id>). A saved comparison is kept
// as a small PHP array file in data/compare/ (opcache keeps it in memory, so
// shared links are cheap to render).
require __DIR__ . '/config.php';
$dir = __DIR__ . '/data/compare';
$products = array_map('str_getcsv', file(__DIR__ . '/data/products.csv', FILE_IGNORE_NEW_LINES));

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $ids = array_values(array_filter(array_map('intval', (array)($_POST['ids'] ?? [])), function ($i) { return $i > 0 && $i < 100; }));
    $name = substr(trim($_POST['name'] ?? ''), 0, 200);
    if (!$ids || $name === '') { http_response_code(400); echo "pick products and a name\n"; exit; }
    $id = 'c' . dechex(time()) . bin2hex(random_bytes(3));
    $src = "<?php\n// saved comparison " . date('c') . "\nreturn array(\n"
         . "  \"name\" => \"" . addslashes($name) . "\",\n"
         . "  \"ids\" => array(" . implode(', ', $ids) . "),\n"
         . "  \"saved\" => \"" . date('Y-m-d H:i:s') . "\",\n);\n";
    file_put_contents("$dir/$id.php", $src);
    header('Content-Type: text/plain');
    echo "saved $id\n";
    exit;
}

header('Content-Type: text/html');
$id = $_GET['id'] ?? '';
if ($id !== '' && preg_match('/^c[0-9a-f]{8,20}$/', $id) && is_file("$dir/$id.php")) {
    $cmp = include "$dir/$id.php";
    echo "<h1>" . htmlspecialchars($cmp['name']) . "</h1><table>";
    foreach ($cmp['ids'] as $i) {
        $p = $products[$i - 1] ?? ['?', '?'];
        echo "<tr><td>" . htmlspecialchars($p[0]) . "</td><td>" . htmlspecialchars($p[1]) . " EUR</td></tr>";
    }
    echo "</table><p>saved " . htmlspecialchars($cmp['saved']) . "</p>";
    exit;
}
echo "<h1>Compare products</h1><form method=post>";
foreach ($products as $n => $p) {
    echo "<label><input type=checkbox name='ids[]' value='" . ($n + 1) . "'>" . htmlspecialchars($p[0]) . "</label>";
}
echo "<input name=name placeholder='Name this comparison'><input type=submit value=Save></form>";
