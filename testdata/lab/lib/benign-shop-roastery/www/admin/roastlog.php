<?php
// The roastery PC's upload (Artisan roast logs, .alog as JSON): the roasting
// computer posts each finished batch with the roastery's token; the log is
// kept outside the web root and its curve is drawn as SVG for the bean's page
// by the shop's small Python helper (proc_open argv, no shell).
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_ROASTERY_TOKEN'] ?? '') !== 'rp-2026-7c1e9') { http_response_code(403); exit("forbidden\n"); }
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { echo "roast log upload: POST batch, bean, alog\n"; exit; }
$batch = preg_replace('/[^0-9]/', '', $_POST['batch'] ?? '');
$bean = preg_replace('/[^A-Z0-9-]/', '', strtoupper($_POST['bean'] ?? ''));
$f = $_FILES['alog'] ?? null;
if ($batch === '' || $bean === '' || !$f || $f['error'] !== UPLOAD_ERR_OK || $f['size'] > 2000000) {
    http_response_code(400); exit("batch, bean and alog needed\n");
}
$dir = '/var/lib/shop-roastery/roastlogs';
$id = $batch . '-' . $bean;
$keep = "$dir/$id.alog";
if (!move_uploaded_file($f['tmp_name'], $keep)) { http_response_code(500); exit("cannot keep the log\n"); }
$svg = __DIR__ . "/../roast/curves/$id.svg";
$p = proc_open(['/usr/bin/python3', '/usr/local/lib/shop-roastery/roastcurve.py', $keep, $svg],
    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = stream_get_contents($pipes[1]); $err = stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
if ($rc !== 0) {
    @rename($keep, "/var/lib/shop-roastery/failed/$id.alog");
    file_put_contents('/var/lib/shop-roastery/upload.log', date('c') . " $id failed: " . trim($err) . "\n", FILE_APPEND);
    http_response_code(422); exit("the curve could not be drawn: " . trim($err) . "\n");
}
file_put_contents('/var/lib/shop-roastery/upload.log', date('c') . " $id " . trim($out) . "\n", FILE_APPEND);
echo "ok /roast/curves/$id.svg " . trim($out) . "\n";
