<?php
// Goods-in: the team photographs the barcode on a supplier's carton with the
// warehouse phone; zbarimg (ZBar) reads the EAN, the quantity is booked in.
require __DIR__ . '/../lib/pantry-config.php';
shop_admin_only();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Goods-in</h1><form method=post enctype=multipart/form-data>",
         "<input type=file name=photo accept=image/*><input name=qty value=1><input type=submit value=Book></form></body></html>\n";
    exit;
}
if (($_FILES['photo']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("photo please\n"); }
$qty = max(1, min(500, (int)($_POST['qty'] ?? 1)));
$dir = PANTRY_DATA . '/goods-in/' . gmdate('Y-m-d');
@mkdir($dir, 0750, true);
$img = "$dir/" . gmdate('His') . '-' . bin2hex(random_bytes(3)) . '.png';
move_uploaded_file($_FILES['photo']['tmp_name'], $img);
[$rc, $out, $err] = run(['/usr/bin/zbarimg', '--nodbus', '--raw', '-q', '-Sdisable', '-Sean13.enable', $img]);
$ean = trim(strtok($out, "\n") ?: '');
if ($rc !== 0 || !isset(PANTRY_PRODUCTS[$ean])) {
    pantry_log('goods-in', "unreadable " . basename($img) . " rc=$rc ean=" . preg_replace('/[^0-9]/', '', $ean));
    http_response_code(422);
    exit($ean === '' ? "no barcode found, try again closer\n" : "unknown EAN $ean\n");
}
[$sku, $name] = PANTRY_PRODUCTS[$ean];
pantry_log('goods-in', "$ean $sku +$qty");
echo "booked $qty x $name ($sku)\n";
