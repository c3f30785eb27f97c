<?php
// Product reviews with an optional customer photo (POST sku, stars, text,
// photo). The photo is kept under uploads/reviews/ with a random name and
// handed to the shop's helper /usr/local/bin/shop-photo, which makes the
// product page's copies and the alt text (the photo's own caption); the
// review goes to data/reviews.jsonl. GET lists the reviews.
header('Content-Type: application/json');
$log = __DIR__ . '/data/reviews.jsonl';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo is_file($log) ? file_get_contents($log) : '';
    exit;
}
$rec = [
    'sku' => preg_replace('/[^A-Z0-9-]/', '', $_POST['sku'] ?? ''),
    'stars' => max(1, min(5, (int)($_POST['stars'] ?? 5))),
    'text' => substr(trim($_POST['text'] ?? ''), 0, 500),
    'ts' => time(),
];
if (isset($_FILES['photo']) && $_FILES['photo']['error'] === UPLOAD_ERR_OK) {
    $info = @getimagesize($_FILES['photo']['tmp_name']);
    if (!$info || !in_array($info[2], [IMAGETYPE_PNG, IMAGETYPE_JPEG], true)) {
        http_response_code(415);
        echo json_encode(['error' => 'photos must be PNG or JPEG']), "\n";
        exit;
    }
    $dir = __DIR__ . '/uploads/reviews';
    if (!is_dir($dir)) { mkdir($dir, 0755, true); }
    $id = 'r-' . bin2hex(random_bytes(5));
    $dst = "$dir/$id." . ($info[2] === IMAGETYPE_PNG ? 'png' : 'jpg');
    move_uploaded_file($_FILES['photo']['tmp_name'], $dst);
    // the name is ours and quoted: the helper gets one safe argument
    exec('/usr/local/bin/shop-photo ' . escapeshellarg($dst), $out, $rc);
    $rec['photo'] = "/uploads/reviews/$id-320.jpg";
    $rec['alt'] = trim((string)@file_get_contents("$dir/$id.txt"));
}
file_put_contents($log, json_encode($rec) . "\n", FILE_APPEND | LOCK_EX);
echo json_encode($rec), "\n";
