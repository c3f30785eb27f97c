<?php
// Sell us your records: the seller sends photos of the sleeve and the vinyl
// and a needle-drop clip (up to 60 s); the buyers grade the offer from them.
// Every file is virus-scanned (ClamAV, the shop's signatures); the clip's
// length is read with soxi and its spectrogram drawn with sox (argv, no shell).
require __DIR__ . '/lib/needledrop.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Sell your records</h1><form method=post enctype=multipart/form-data>",
         "<input name=name><input name=email><input name=record><input type=file name=photo[] multiple>",
         "<input type=file name=clip><input type=submit value='Send offer'></form></body></html>\n";
    exit;
}
$email = (string)($_POST['email'] ?? '');
if (!filter_var($email, FILTER_VALIDATE_EMAIL)) { http_response_code(422); exit("e-mail address please\n"); }
$id = gmdate('Ymd-His') . '-' . bin2hex(random_bytes(3));
$dir = ND_DATA . "/tradeins/$id";
mkdir($dir, 0750, true);
$files = [];
foreach ((array)($_FILES['photo']['tmp_name'] ?? []) as $i => $tmp) {
    if (!is_uploaded_file($tmp)) continue;
    $ext = strtolower(pathinfo($_FILES['photo']['name'][$i], PATHINFO_EXTENSION)) === 'png' ? 'png' : 'jpg';
    $f = sprintf('%s/photo-%d.%s', $dir, $i + 1, $ext);
    move_uploaded_file($tmp, $f);
    $files[] = $f;
}
$clip = null;
if (is_uploaded_file($_FILES['clip']['tmp_name'] ?? '')) {
    $ext = strtolower(pathinfo($_FILES['clip']['name'], PATHINFO_EXTENSION));
    $clip = "$dir/clip." . (in_array($ext, ['wav', 'flac', 'ogg'], true) ? $ext : 'wav');
    move_uploaded_file($_FILES['clip']['tmp_name'], $clip);
    $files[] = $clip;
}
if (!$files) { rmdir($dir); http_response_code(422); exit("photos and a clip please\n"); }
[$rc, $out] = nd_scan($files);
if ($rc !== 0) {
    array_map('unlink', glob("$dir/*")); rmdir($dir);
    nd_log("tradein $id rejected by the virus scan: " . str_replace("\n", ' | ', $out));
    http_response_code(422);
    exit("your files could not be accepted\n");
}
$seconds = null;
if ($clip) {
    [$rc, $out] = nd_run(['/usr/bin/soxi', '-D', $clip]);
    $seconds = $rc === 0 ? (float)$out : null;
    if ($seconds === null || $seconds > ND_MAX_CLIP_SECONDS) {
        array_map('unlink', glob("$dir/*")); rmdir($dir);
        nd_log("tradein $id clip refused: " . ($seconds === null ? 'unreadable' : "$seconds s"));
        http_response_code(422);
        exit("the clip must be a WAV, FLAC or OGG file of at most 60 seconds\n");
    }
    nd_run(['/usr/bin/sox', $clip, '-n', 'remix', '-', 'spectrogram', '-x', '600', '-y', '200', '-t', 'needle drop ' . $id, '-o', "$dir/clip.png"]);
}
file_put_contents("$dir/offer.json", json_encode([
    'id' => $id, 'name' => (string)($_POST['name'] ?? ''), 'email' => $email, 'record' => (string)($_POST['record'] ?? ''),
    'files' => array_map('basename', $files), 'clip_seconds' => $seconds, 'ip' => $_SERVER['REMOTE_ADDR'] ?? '',
], JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
file_put_contents(ND_DATA . '/tradeins/queue.csv', "$id\n", FILE_APPEND | LOCK_EX);
nd_log("tradein $id received (" . count($files) . " files)");
echo "offer $id received: our buyers will answer within two days\n";
