<?php
// Personalised keepsake mugs: the customer uploads print-ready artwork (a PDF);
// pdfinfo checks it (pages, page size) and pdftoppm renders page 1 as the
// preview shown in the cart (poppler-utils, both by argv: no shell).
require __DIR__ . '/lib/keepsake-config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Your own mug</h1><form method=post enctype=multipart/form-data>",
         "<select name=sku><option>MUG-KEEPSAKE</option><option>MUG-ENAMEL</option></select>",
         "<input name=name placeholder='Your name'><input name=text placeholder='Text on the mug'>",
         "<input type=file name=artwork accept=application/pdf><input type=submit></form></body></html>\n";
    exit;
}
$sku = preg_replace('/[^A-Z0-9-]/', '', $_POST['sku'] ?? '');
if ($sku === '' || ($_FILES['artwork']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("product and artwork please\n"); }
$id = gmdate('YmdHis') . '-' . bin2hex(random_bytes(3));
$dir = KEEPSAKE_DATA . '/artwork';
@mkdir($dir, 0750, true);
$pdf = "$dir/$id.pdf";
move_uploaded_file($_FILES['artwork']['tmp_name'], $pdf);
[$rc, $info] = run(['/usr/bin/pdfinfo', $pdf]);
if ($rc !== 0 || !preg_match('/^Pages:\s+(\d+)/m', $info, $m)) {
    unlink($pdf);
    http_response_code(422);
    exit("we could not read this file as a PDF\n");
}
if ((int)$m[1] > 2) { unlink($pdf); http_response_code(422); exit("one or two pages please\n"); }
$prev = __DIR__ . "/custom/previews/$id";
@mkdir(dirname($prev), 0755, true);
[$rc, $out] = run(['/usr/bin/pdftoppm', '-png', '-r', '36', '-f', '1', '-l', '1', '-singlefile', $pdf, $prev]);
if ($rc !== 0) { http_response_code(500); exit("preview failed\n"); }
file_put_contents("$dir/$id.json", json_encode(['id' => $id, 'sku' => $sku, 'name' => substr($_POST['name'] ?? '', 0, 80),
    'text' => substr($_POST['text'] ?? '', 0, 120), 'file' => substr($_FILES['artwork']['name'], 0, 120),
    'pages' => (int)$m[1], 'at' => gmdate('c')], JSON_UNESCAPED_UNICODE) . "\n");
echo "ok $id /custom/previews/$id.png\n";
