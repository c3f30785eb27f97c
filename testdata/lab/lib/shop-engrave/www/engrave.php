<?php
// Laser engraving: the customer uploads a logo (PNG/JPEG/SVG, up to 6 MB) for a
// mug, a chopping board or a hip flask. The page shows an upload progress bar
// (engrave-progress.php reads PHP's session upload progress, see .user.ini).
// The logo is kept outside the web root; a 1-bit preview of what the laser will
// burn is made with ImageMagick's convert into engrave/previews/.
require __DIR__ . '/config.php';
$store = '/var/lib/shop-engrave';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    header('Content-Type: text/plain');
    $sku = preg_replace('/[^A-Z0-9-]/', '', $_POST['sku'] ?? 'MUG-ENGRAVE');
    $text = substr(str_replace(array("\r", "\n", ','), ' ', $_POST['text'] ?? ''), 0, 60);
    if (!isset($_FILES['logo']) || $_FILES['logo']['error'] !== UPLOAD_ERR_OK) { http_response_code(400); echo "no logo\n"; exit; }
    $type = mime_content_type($_FILES['logo']['tmp_name']);
    $ext = array('image/png' => 'png', 'image/jpeg' => 'jpg', 'image/svg+xml' => 'svg')[$type] ?? null;
    if ($ext === null) { http_response_code(422); echo "logo must be PNG, JPEG or SVG (got $type)\n"; exit; }
    $id = date('Ymd-His') . '-' . bin2hex(random_bytes(3));
    $src = "$store/logos/$id.$ext";
    move_uploaded_file($_FILES['logo']['tmp_name'], $src);
    $prev = __DIR__ . "/engrave/previews/$id.png";
    exec('convert ' . escapeshellarg($src) . ' -resize 240x240 -colorspace Gray -threshold 55% ' . escapeshellarg($prev) . ' 2>&1', $out, $rc);
    if ($rc !== 0) { http_response_code(422); echo "could not read the logo\n"; exit; }
    file_put_contents("$store/orders.csv", date('c') . ",$id,$sku,$ext,$text\n", FILE_APPEND | LOCK_EX);
    echo "ok $id /engrave/previews/$id.png\n";
    exit;
}
?>
<!doctype html><html><head><title>Engraving - <?= htmlspecialchars(SHOP_NAME) ?></title></head><body>
<h1>Your logo, laser engraved</h1>
<form method="post" enctype="multipart/form-data" id="f">
<input type="hidden" name="<?= ini_get('session.upload_progress.name') ?>" value="engrave">
<select name="sku"><option>MUG-ENGRAVE</option><option>BOARD-OAK</option><option>FLASK-STEEL</option></select>
<input name="text" placeholder="Text under the logo"> <input type="file" name="logo"> <input type="submit" value="Upload">
</form><progress id="p" max="100" value="0"></progress>
<script>/* polls /engrave-progress.php every 500 ms while uploading */</script>
</body></html>
