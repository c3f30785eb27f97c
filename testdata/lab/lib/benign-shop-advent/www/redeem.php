<?php
// Paper advent calendars from the shop in town carry a QR code voucher behind
// each door: customers upload a photo of it, the shop reads the code with
// zbarimg (proc_open argv, no shell) and books the discount.
require __DIR__ . '/lib/advent.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><title>Redeem a voucher</title><form method=post enctype=multipart/form-data>"
       . "<input type=file name=photo accept=image/*> <input name=email> <button>Redeem</button></form>\n";
    exit;
}
header('Content-Type: text/plain; charset=utf-8');
$email = trim($_POST['email'] ?? '');
$up = $_FILES['photo'] ?? null;
if (!$up || $up['error'] !== UPLOAD_ERR_OK || $up['size'] > 6 * 1024 * 1024) { http_response_code(400); exit("no photo\n"); }
$f = ADVENT_VAR . '/vouchers/' . gmdate('Ymd\THis') . '-' . bin2hex(random_bytes(4)) . '.img';
move_uploaded_file($up['tmp_name'], $f);
$p = proc_open(['/usr/bin/zbarimg', '--raw', '-q', $f], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = trim(stream_get_contents($pipes[1]));
stream_get_contents($pipes[2]);
$rc = proc_close($p);
$codes = array_map('trim', file(ADVENT_VAR . '/voucher-codes.txt', FILE_IGNORE_NEW_LINES) ?: []);
$log = fopen(ADVENT_VAR . '/redeem.log', 'a');
if ($rc !== 0 || !preg_match('/^ADV[0-9]{2}-[A-Z0-9]{6}$/', $out)) {
    @unlink($f);
    fwrite($log, gmdate('c') . " unreadable rc=$rc " . basename($up['name']) . "\n");
    http_response_code(422);
    exit("Sorry, we could not read a voucher code on that photo. Try again in daylight?\n");
}
$used = ADVENT_VAR . '/vouchers-used.txt';
if (!in_array($out, $codes, true)) { fwrite($log, gmdate('c') . " unknown $out\n"); http_response_code(404); exit("Unknown voucher $out\n"); }
if (in_array($out, file($used, FILE_IGNORE_NEW_LINES) ?: [], true)) { fwrite($log, gmdate('c') . " used $out\n"); http_response_code(409); exit("Voucher $out was already redeemed\n"); }
file_put_contents($used, "$out\n", FILE_APPEND | LOCK_EX);
fwrite($log, gmdate('c') . " ok $out $email\n");
echo "Voucher $out redeemed: 15% off your next order, sent to $email\n";
