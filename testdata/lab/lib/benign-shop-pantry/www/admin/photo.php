<?php
// Product photos: the shop manager uploads (or removes) a product's JPEG;
// the WebP copies are made by www-data's cron job (webp-sync).
require __DIR__ . '/../lib/pantry-config.php';
shop_admin_only();
$sku = preg_replace('/[^A-Z0-9-]/', '', $_REQUEST['sku'] ?? '');
if ($sku === '') { http_response_code(400); exit("sku please\n"); }
$file = dirname(__DIR__) . "/img/products/$sku.jpg";
if ($_SERVER['REQUEST_METHOD'] === 'POST' && ($_POST['action'] ?? '') === 'delete') {
    @unlink($file);
    pantry_log('photos', "deleted $sku.jpg");
    exit("removed $sku.jpg\n");
}
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || ($_FILES['photo']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("photo please\n"); }
$info = @getimagesize($_FILES['photo']['tmp_name']);
if (!$info || $info[2] !== IMAGETYPE_JPEG) { http_response_code(422); exit("JPEG only\n"); }
move_uploaded_file($_FILES['photo']['tmp_name'], $file);
chmod($file, 0644);
pantry_log('photos', "uploaded $sku.jpg {$info[0]}x{$info[1]}");
echo "saved /img/products/$sku.jpg\n";
