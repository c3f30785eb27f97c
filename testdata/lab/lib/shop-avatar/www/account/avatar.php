<?php
// Customer profile pictures: a JPEG, PNG or GIF of at most 512 KB, checked
// with getimagesize() and by its extension, stored as
// uploads/avatars/c<customer>.<jpg|png|gif> (nginx serves them as static
// files). The customer number is the shop's login cookie.
$cid = $_COOKIE['shop_cid'] ?? '';
if (!preg_match('/^[0-9]{6,9}$/', $cid)) {
    http_response_code(403);
    exit("please log in first\n");
}
$dir = dirname(__DIR__) . '/uploads/avatars';
if ($_SERVER['REQUEST_METHOD'] === 'POST' && isset($_FILES['avatar'])) {
    header('Content-Type: text/plain');
    $f = $_FILES['avatar'];
    $ext = strtolower(pathinfo($f['name'], PATHINFO_EXTENSION));
    $types = [IMAGETYPE_JPEG => 'jpg', IMAGETYPE_PNG => 'png', IMAGETYPE_GIF => 'gif'];
    $info = $f['error'] === UPLOAD_ERR_OK ? @getimagesize($f['tmp_name']) : false;
    if (!$info || !isset($types[$info[2]]) || $f['size'] > 524288
        || !in_array($ext, ['jpg', 'jpeg', 'png', 'gif'], true)) {
        http_response_code(415);
        exit("please upload a JPEG, PNG or GIF picture of at most 512 KB\n");
    }
    if (!is_dir($dir)) {
        mkdir($dir, 0755, true);
    }
    foreach (glob("$dir/c$cid.*") as $old) {
        unlink($old);
    }
    $name = "c$cid." . $types[$info[2]];
    move_uploaded_file($f['tmp_name'], "$dir/$name");
    echo "saved /uploads/avatars/$name ({$info[0]}x{$info[1]})\n";
    exit;
}
$cur = glob("$dir/c$cid.*");
$src = $cur ? '/uploads/avatars/' . basename($cur[0]) : '/img/avatar-default.png';
?>
<!doctype html><html><body><h1>Your profile picture</h1>
<p><img src="<?= htmlspecialchars($src) ?>" width="96" height="96" alt=""></p>
<form method="post" enctype="multipart/form-data">
<input type="file" name="avatar" accept="image/jpeg,image/png,image/gif"><input type="submit" value="Save">
</form></body></html>
