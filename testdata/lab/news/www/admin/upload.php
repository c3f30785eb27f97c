<?php
// Editors' image upload: the original under media/, a thumbnail made by
// ImageMagick from the temporary copy (exec with the temp name).
require __DIR__ . '/../lib/bootstrap.php';
nr_require_editor();
header('Content-Type: text/plain');
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_FILES['image'])) { http_response_code(400); exit("no image\n"); }
$name = preg_replace('/[^a-z0-9-]/', '', strtolower(pathinfo($_FILES['image']['name'], PATHINFO_FILENAME))) ?: 'image';
$tmp = tempnam('/tmp', 'nrimg');
move_uploaded_file($_FILES['image']['tmp_name'], $tmp);
@mkdir(NR_ROOT . '/media/thumbs', 0755, true);
copy($tmp, NR_ROOT . "/media/$name.png");
exec('convert ' . escapeshellarg($tmp) . ' -auto-orient -thumbnail 320x320 ' . escapeshellarg(NR_ROOT . "/media/thumbs/$name.jpg") . ' 2>&1', $out, $rc);
unlink($tmp);
echo $rc === 0 ? "media/$name.png thumbs/$name.jpg\n" : "convert failed ($rc)\n";
