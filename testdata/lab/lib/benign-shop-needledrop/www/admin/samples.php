<?php
// Back office: the listening sample of a record for sale. The staff upload
// their needle-drop recording (WAV, FLAC or MP3 as the recorder saved it);
// the shop keeps it, makes the 30 s OGG preview and its spectrogram in
// media/samples/ with sox (the old script of the shop, through the shell).
require __DIR__ . '/../lib/needledrop.php';
nd_admin_only();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Listening samples</h1><form method=post enctype=multipart/form-data>",
         "<input name=sku><input type=file name=sample><input type=submit value=Upload></form></body></html>\n";
    exit;
}
$sku = strtoupper(preg_replace('/[^A-Za-z0-9-]/', '', (string)($_POST['sku'] ?? '')));
if ($sku === '' || !is_uploaded_file($_FILES['sample']['tmp_name'] ?? '')) { http_response_code(422); exit("sku and sample please\n"); }
$ext = strtolower(pathinfo($_FILES['sample']['name'], PATHINFO_EXTENSION));
if (!in_array($ext, ['wav', 'flac', 'mp3'], true)) { http_response_code(422); exit("WAV, FLAC or MP3 please\n"); }
@mkdir(ND_DATA . '/samples', 0750, true);
$in = ND_DATA . "/samples/$sku-" . gmdate('His') . ".$ext";
move_uploaded_file($_FILES['sample']['tmp_name'], $in);
[$rc, $out] = nd_scan([$in]);
if ($rc !== 0) { unlink($in); nd_log("sample $sku rejected: $out"); http_response_code(422); exit("rejected by the virus scan\n"); }
$cmd = 'cd ' . escapeshellarg(__DIR__ . '/../media/samples')
     . ' && sox -q ' . escapeshellarg($in) . ' -C 4 ' . escapeshellarg("$sku.ogg") . ' remix - trim 0 30 norm -1 fade 0.3 2>&1'
     . ' && sox ' . escapeshellarg("$sku.ogg") . ' -n spectrogram -x 480 -y 120 -r -o ' . escapeshellarg("$sku.png") . ' 2>&1';
exec($cmd, $out, $rc);
nd_log("sample $sku " . ($rc ? 'failed: ' . implode(' ', $out) : 'published'));
if ($rc !== 0) { http_response_code(500); exit("sample could not be converted:\n" . implode("\n", $out) . "\n"); }
echo "sample for $sku published: /media/samples/$sku.ogg\n";
