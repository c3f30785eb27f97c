<?php
// Trade order sheets: the customer uploads the shop's Excel order form
// (.xlsx), converted by xlsx2csv (proc_open argv, no shell); the order is
// priced, kept in data/wholesale/orders/ and queued for the confirmation
// mail and the ERP (bin/worker.php).
require_once __DIR__ . '/../lib/wholesale.php';
$acct = wh_need_login();
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_FILES['sheet']) || $_FILES['sheet']['error'] !== UPLOAD_ERR_OK) {
    http_response_code(400);
    echo "upload the order form as 'sheet'\n";
    exit;
}
$id = sprintf('T%s-%04d', gmdate('ymdHis'), random_int(0, 9999));
$dir = WH_DATA . '/wholesale';
$xlsx = "$dir/incoming/{$acct['id']}-$id.xlsx";
$csv = "$dir/incoming/{$acct['id']}-$id.csv";
move_uploaded_file($_FILES['sheet']['tmp_name'], $xlsx);
$p = proc_open(['/usr/bin/xlsx2csv', '-d', ';', '-i', $xlsx, $csv],
               [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
if (proc_close($p) !== 0 || !is_file($csv)) {
    http_response_code(422);
    echo "could not read the order form (please use the .xlsx template): ", trim(substr($out, -200)), "\n";
    @unlink($xlsx);
    exit;
}
$prices = wh_prices();
$lines = []; $total = 0.0; $unknown = [];
foreach (file($csv, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $i => $row) {
    $c = str_getcsv($row, ';');
    if ($i === 0 || count($c) < 3) continue;
    $sku = strtoupper(trim($c[0])); $qty = (int)$c[2];
    if ($qty <= 0) continue;
    if (!isset($prices[$sku])) { $unknown[] = $sku; continue; }
    $sum = round($qty * $prices[$sku]['price'], 2);
    $lines[] = ['sku' => $sku, 'name' => $prices[$sku]['name'], 'qty' => $qty, 'price' => $prices[$sku]['price'], 'sum' => $sum];
    $total += $sum;
}
$order = ['id' => $id, 'account' => $acct['id'], 'customer' => $acct['name'], 'lines' => $lines,
          'total' => round($total, 2), 'unknown' => $unknown, 'created' => gmdate('c')];
file_put_contents("$dir/orders/$id.json", json_encode($order, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE));
wh_enqueue('mail', $id, ['to' => $acct['email'], 'subject' => "Order $id received",
    'body' => sprintf("Dear %s,\n\nthank you for your order %s: %d lines, %.2f EUR net.\n%s\nThe Lab Shop trade desk\n",
        $acct['name'], $id, count($lines), $total, $unknown ? 'Not in our range: ' . implode(', ', $unknown) . "\n" : '')]);
wh_enqueue('erp', $id, ['order' => $order]);
header('Content-Type: application/json');
echo json_encode(['order' => $id, 'lines' => count($lines), 'total' => round($total, 2), 'unknown' => $unknown]), "\n";
