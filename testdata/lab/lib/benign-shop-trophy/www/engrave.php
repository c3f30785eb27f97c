<?php
// Club crests for engraving: the club uploads its crest as SVG; the laser
// needs a clean vector, the cart shows a PNG preview rendered by librsvg's
// rsvg-convert (argv, no shell). SVGs with DTDs, entities, includes, scripts
// or external references are refused before anything runs.
require __DIR__ . '/lib/trophy-config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Engrave your club crest</h1><form method=post enctype=multipart/form-data>",
         "<select name=sku><option>CUP-GOLD-30</option><option>PLATE-WALNUT</option><option>MEDAL-50</option></select>",
         "<input name=club placeholder='Club name'><input type=file name=crest accept=image/svg+xml><input type=submit></form></body></html>\n";
    exit;
}
$sku = preg_replace('/[^A-Z0-9-]/', '', $_POST['sku'] ?? '');
if ($sku === '' || ($_FILES['crest']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("product and crest please\n"); }
$svg = file_get_contents($_FILES['crest']['tmp_name'], false, null, 0, 2 * 1024 * 1024);
if (!preg_match('/^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]/s', $svg)
    || preg_match('/<!DOCTYPE|<!ENTITY|xi:include|<script|\bon[a-z]+\s*=|(href|src)\s*=\s*["\'](?!#|data:image\/)/i', $svg)) {
    http_response_code(422);
    exit("please upload a plain SVG (no scripts, no linked files)\n");
}
$id = gmdate('YmdHis') . '-' . bin2hex(random_bytes(3));
$dir = TROPHY_DATA . '/crests';
@mkdir($dir, 0750, true);
file_put_contents("$dir/$id.svg", $svg);
$png = __DIR__ . "/engrave/previews/$id.png";
@mkdir(dirname($png), 0755, true);
[$rc, $out] = run(['/usr/bin/rsvg-convert', '--width=240', '--keep-aspect-ratio', '--format=png', "--output=$png", "$dir/$id.svg"]);
if ($rc !== 0) {
    @unlink("$dir/$id.svg"); @unlink($png);
    http_response_code(422);
    exit("we could not read this file as an SVG\n");
}
file_put_contents("$dir/$id.json", json_encode(['id' => $id, 'sku' => $sku, 'club' => substr($_POST['club'] ?? '', 0, 80),
    'file' => substr($_FILES['crest']['name'], 0, 120), 'at' => gmdate('c')], JSON_UNESCAPED_UNICODE) . "\n");
echo "ok $id /engrave/previews/$id.png\n";
