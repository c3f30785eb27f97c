<?php
// fetchmail's MDA (www-data): one order notification of the book marketplace
// on stdin; the order is added to orders.csv and the book is reserved.
$data = '/var/lib/shop-folio';
$mail = stream_get_contents(STDIN);
$log = fopen('/var/log/shop-folio/orders.log', 'a');
if (!preg_match('/^Order-No:\s*(\S+)/mi', $mail, $o) || !preg_match('/^ISBN:\s*([0-9]{13})/mi', $mail, $i)) {
    fwrite($log, gmdate('c') . " skipped a mail without order data\n");
    exit(0);   // delivered: fetchmail deletes it
}
preg_match('/^Subject:\s*(.*)$/mi', $mail, $s);
$src = preg_match('/^From:.*@([a-z0-9.-]+)/mi', $mail, $f) ? $f[1] : 'marketplace';
file_put_contents("$data/orders.csv", sprintf("%s;%s;%s;open\n", $o[1], substr($src, 0, 10), $i[1]), FILE_APPEND | LOCK_EX);
$cat = file("$data/catalogue.csv", FILE_IGNORE_NEW_LINES);
foreach ($cat as $n => $line) {
    if (str_starts_with($line, $i[1] . ';')) $cat[$n] = preg_replace('/;stock$/', ';reserved', $line);
}
file_put_contents("$data/catalogue.csv", implode("\n", $cat) . "\n", LOCK_EX);
fwrite($log, sprintf("%s order %s isbn %s (%s)\n", gmdate('c'), $o[1], $i[1], trim($s[1] ?? '')));
