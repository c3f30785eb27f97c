<?php
// Delivery notes: the scanned note is read by Tesseract OCR, the lines with
// an EAN, lot number and best-before date are kept for traceability.
require __DIR__ . '/../lib/pantry-config.php';
shop_admin_only();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Delivery note</h1><form method=post enctype=multipart/form-data>",
         "<input type=file name=scan accept=image/png><select name=lang><option>eng</option><option>deu</option></select>",
         "<input type=submit value=Read></form></body></html>\n";
    exit;
}
if (($_FILES['scan']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("scan please\n"); }
$lang = ($_POST['lang'] ?? 'eng') === 'deu' ? 'deu' : 'eng';
if (!is_file("/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata")) $lang = 'eng';
$id = gmdate('Ymd-His') . '-' . bin2hex(random_bytes(2));
$dir = PANTRY_DATA . '/delivery-notes';
@mkdir($dir, 0750, true);
$png = "$dir/$id.png";
move_uploaded_file($_FILES['scan']['tmp_name'], $png);
[$rc, $text, $err] = run(['/usr/bin/tesseract', $png, 'stdout', '-l', $lang, '--psm', '6']);
if ($rc !== 0) { unlink($png); http_response_code(422); exit("not a readable scan\n"); }
file_put_contents("$dir/$id.txt", $text);
preg_match_all('/EAN\s+(\d{13})\s+LOT\s+(\S+)\s+(?:BBD|MHD)\s+(\d{4}-\d\d-\d\d)/', $text, $m, PREG_SET_ORDER);
$lots = array_map(fn($r) => ['ean' => $r[1], 'lot' => $r[2], 'bbd' => $r[3]], $m);
file_put_contents("$dir/$id.json", json_encode(['id' => $id, 'lang' => $lang, 'lots' => $lots]) . "\n");
pantry_log('delivery-notes', "$id $lang " . count($lots) . " lot(s)");
header('Content-Type: application/json');
echo json_encode(['id' => $id, 'lang' => $lang, 'lots' => $lots]), "\n";
