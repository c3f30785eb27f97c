<?php
// Returns & warranty claims: the customer's order number, a description and
// photos of the faulty item. Each photo is stored in the claim's folder
// (uploads/claims/<order>/, which the returns desk and the thumbnails use),
// scanned there by the provider's scanner, then checked: anything the scanner
// flags, or that is not a JPEG/PNG, is deleted again.
header('Content-Type: application/json');
$lang = substr($_SERVER['HTTP_ACCEPT_LANGUAGE'] ?? 'en', 0, 2);
$L = require __DIR__ . '/lang/' . (in_array($lang, ['en', 'de'], true) ? $lang : 'en') . '.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); echo json_encode(['error' => 'POST only']); exit; }
$order = strtoupper(trim($_POST['order'] ?? ''));
$email = preg_replace('/[^A-Za-z0-9@._+-]/', '', $_POST['email'] ?? '');
$reason = substr(str_replace(["\r", "\n", ','], ' ', $_POST['reason'] ?? ''), 0, 500);
if (!preg_match('/^SO-[0-9]{6}$/', $order) || $email === '') {
    http_response_code(400); echo json_encode(['error' => 'order number and e-mail please']); exit;
}
$root = dirname(__DIR__);
$dir = "$root/uploads/claims/$order";
if (!is_dir($dir)) { mkdir($dir, 0755, true); }
$ok = []; $rejected = [];
$f = $_FILES['photos'] ?? null;
$n = $f ? count((array)$f['name']) : 0;
for ($i = 0; $i < $n; $i++) {
    $tmp = is_array($f['tmp_name']) ? $f['tmp_name'][$i] : $f['tmp_name'];
    $orig = is_array($f['name']) ? $f['name'][$i] : $f['name'];
    if (!is_uploaded_file($tmp)) { continue; }
    $name = preg_replace('/[^A-Za-z0-9._-]/', '_', basename($orig));
    $dest = "$dir/$name";
    move_uploaded_file($tmp, $dest);
    // virus scan where the file lies (the scanner logs every file it sees)
    $out = []; $rc = 0;
    exec('/usr/local/bin/claimscan ' . escapeshellarg($dest) . ' 2>&1', $out, $rc);
    $ext = strtolower(pathinfo($name, PATHINFO_EXTENSION));
    if ($rc !== 0 || !in_array($ext, ['jpg', 'jpeg', 'png'], true) || @getimagesize($dest) === false) {
        @unlink($dest);
        $rejected[] = $name;
        continue;
    }
    exec('convert ' . escapeshellarg($dest) . ' -thumbnail 240x240 ' . escapeshellarg("$dir/t_$name") . ' 2>&1');
    $ok[] = $name;
}
$line = sprintf("%s,%s,%s,%s,%s,pending,\n", gmdate('c'), $order, $email, $reason, implode(' ', $ok));
file_put_contents("$root/data/returns.csv", $line, FILE_APPEND | LOCK_EX);
if ($ok || !$rejected) {
    mail('returns@shop.lab.local', "Claim $order", "$email: $reason\nphotos: " . implode(' ', $ok) . "\n", "From: noreply@shop.lab.local");
}
echo json_encode(['claim' => $order, 'message' => sprintf($L['ok'], $order), 'photos' => $ok,
                  'rejected' => $rejected ? sprintf($L['rejected'], implode(', ', $rejected)) : null]), "\n";
