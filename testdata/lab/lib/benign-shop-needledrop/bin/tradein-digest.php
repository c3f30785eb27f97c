<?php
// The buyers' digest (www-data's crontab, every minute during the sale):
// the trade-in offers that came in since the last run, mailed to the buyers'
// team with msmtp through the mail provider's relay.
const DATA = '/var/lib/shop-needledrop';
$queue = DATA . '/tradeins/queue.csv';
$state = DATA . '/digest.offset';
$off = (int)@file_get_contents($state);
clearstatcache();
if (!is_file($queue) || filesize($queue) <= $off) { exit(0); }
$fh = fopen($queue, 'r');
fseek($fh, $off);
$ids = [];
while (($l = fgets($fh)) !== false) { if (trim($l) !== '') $ids[] = trim($l); }
$end = ftell($fh);
fclose($fh);
$body = '';
foreach ($ids as $id) {
    $o = json_decode((string)@file_get_contents(DATA . "/tradeins/$id/offer.json"), true);
    if (!$o) continue;
    $body .= sprintf("%s  %s <%s>  %s  (%d files, clip %s s)\n", $id, $o['name'], $o['email'], $o['record'],
        count($o['files']), $o['clip_seconds'] === null ? '-' : round($o['clip_seconds'], 1));
}
if ($body === '') { file_put_contents($state, $end); exit(0); }
$mail = "From: Needle Drop shop <shop@needledrop.example>\r\nTo: buyers@needledrop.example\r\n"
      . "Subject: " . count($ids) . " new trade-in offer(s) " . gmdate('H:i') . "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      . $body . "\r\nSpectrograms and photos: /var/lib/shop-needledrop/tradeins/<id>/\r\n";
$p = proc_open(['/usr/bin/msmtp', '-C', '/etc/shop-needledrop/msmtprc', '-a', 'relay', 'buyers@needledrop.example'],
    [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
fwrite($pipes[0], $mail);
fclose($pipes[0]);
$out = stream_get_contents($pipes[1]);
fclose($pipes[1]);
$rc = proc_close($p);
echo gmdate('c'), ' ', count($ids), ' offer(s) ', $rc === 0 ? 'mailed' : "NOT mailed (msmtp $rc: " . trim($out) . ')', "\n";
if ($rc === 0) file_put_contents($state, $end);
