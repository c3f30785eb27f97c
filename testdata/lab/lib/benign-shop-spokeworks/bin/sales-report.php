<?php
// The daily sales report (www-data's crontab, the schedule set in the back
// office): yesterday's and today's orders by category as a gzipped CSV,
// mailed to the recipients.
$to = '';
foreach (array_slice($argv, 1) as $a) { if (strncmp($a, '--to=', 5) === 0) $to = substr($a, 5); }
if ($to === '') { fwrite(STDERR, "usage: sales-report.php --to=a@b[,c@d]\n"); exit(2); }
$rows = array_map('str_getcsv', file('/var/lib/shop-spokeworks/orders.csv', FILE_IGNORE_NEW_LINES));
$head = array_shift($rows);
$sum = [];
foreach ($rows as $r) {
    $o = array_combine($head, $r);
    $k = $o['category'];
    $sum[$k] = ($sum[$k] ?? 0) + (float)$o['total'];
}
ksort($sum);
$csv = "category,revenue_eur\n";
foreach ($sum as $k => $v) $csv .= sprintf("%s,%.2f\n", $k, $v);
$stamp = gmdate('Ymd-Hi');
@mkdir('/var/lib/shop-spokeworks/reports', 0750, true);
$file = "/var/lib/shop-spokeworks/reports/sales-$stamp.csv.gz";
file_put_contents($file, gzencode($csv, 9));
$b = 'sw-' . bin2hex(random_bytes(8));
$msg = "--$b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSales by category, " . count($rows) . " orders, total "
     . sprintf('%.2f', array_sum($sum)) . " EUR.\r\n\r\n--$b\r\nContent-Type: application/gzip; name=\"sales-$stamp.csv.gz\"\r\n"
     . "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"sales-$stamp.csv.gz\"\r\n\r\n"
     . chunk_split(base64_encode(file_get_contents($file))) . "--$b--\r\n";
$ok = mail($to, "Spokeworks sales report $stamp", $msg,
           "From: reports@shop.lab.local\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"$b\"");
echo gmdate('c'), " report $file to $to: ", $ok ? 'sent' : 'mail failed', "\n";
