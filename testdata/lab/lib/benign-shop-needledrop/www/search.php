<?php
// Catalogue search (artist, title, label): SQLite through PDO with bound
// parameters; result pages kept in cache/search/ for ten minutes.
require __DIR__ . '/lib/needledrop.php';
$q = trim((string)($_GET['q'] ?? ''));
$genre = preg_replace('/[^a-z-]/', '', strtolower((string)($_GET['genre'] ?? '')));
if ($q === '' && $genre === '') { header('Location: /products.php'); exit; }
if (strlen($q) > 60 || preg_match('/[\x00-\x1f]/', $q)) { http_response_code(400); exit("search too long or invalid\n"); }
$key = md5($q . '|' . $genre);
$cache = __DIR__ . "/cache/search/$key.html";
if (is_file($cache) && filemtime($cache) > time() - 600) { readfile($cache); exit; }
$sql = 'SELECT sku, artist, title, label, grade, price FROM records WHERE (artist LIKE :q OR title LIKE :q OR label LIKE :q)';
$args = [':q' => '%' . $q . '%'];
if ($genre !== '') { $sql .= ' AND genre = :g'; $args[':g'] = $genre; }
$st = nd_db()->prepare($sql . ' ORDER BY artist, title LIMIT 50');
$st->execute($args);
$html = '<!doctype html><html><body><h1>Search: ' . htmlspecialchars($q) . '</h1><ul>';
$n = 0;
foreach ($st as $r) {
    $n++;
    $html .= sprintf('<li>%s - %s (%s, %s) %s EUR <audio src="/media/samples/%s.ogg"></audio></li>',
        htmlspecialchars($r['artist']), htmlspecialchars($r['title']), htmlspecialchars($r['label']),
        htmlspecialchars($r['grade']), htmlspecialchars($r['price']), rawurlencode($r['sku']));
}
$html .= $n ? '</ul>' : '</ul><p>Nothing in stock: <a href="/wantlist.php">add it to your want list</a></p>';
$html .= "</body></html>\n";
@mkdir(dirname($cache), 0755, true);
file_put_contents($cache, $html);
echo $html;
