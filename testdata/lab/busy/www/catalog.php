<?php
// Catalogue pages through a tiny template engine: a template is compiled once
// into PHP under cache/tpl/ (written by php-fpm into the web root) and the
// compiled file is included; a changed template or a cleared cache recompiles.
$tpl = preg_replace('/[^a-z]/', '', $_GET['tpl'] ?? 'list');
$src = __DIR__ . "/templates/$tpl.tpl";
if (!is_file($src)) { http_response_code(404); exit; }
$dir = __DIR__ . '/cache/tpl';
is_dir($dir) || mkdir($dir, 0755, true);
$compiled = "$dir/$tpl-" . md5_file($src) . '.php';
if (!is_file($compiled)) {
    $code = preg_replace('/\{\{\s*(\w+)\s*\}\}/', '<?= htmlspecialchars($v[\'$1\'] ?? \'\') ?>', file_get_contents($src));
    file_put_contents($compiled, "<?php /* compiled from templates/$tpl.tpl */ ?>\n" . $code);
}
$rows = array_map('str_getcsv', file(__DIR__ . '/data/products.csv', FILE_IGNORE_NEW_LINES));
foreach ($rows as $r) { $v = ['name' => $r[0], 'price' => $r[1] ?? '']; include $compiled; }
