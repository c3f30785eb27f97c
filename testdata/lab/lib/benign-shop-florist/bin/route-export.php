<?php
// www-data's cron job: the day's delivery route for the courier (VeloBote) as CSV,
// uploaded to the courier's SFTP drop with sftp -b (batch), key in /var/lib/shop-florist/.ssh
const DATA = '/var/lib/shop-florist';
$today = date('Y-m-d');
$rows = [];
foreach (glob(DATA . '/orders/*.json') as $f) {
    $o = json_decode(file_get_contents($f), true);
    if (($o['day'] ?? '') === $today && ($o['status'] ?? '') !== 'delivered') {
        $rows[] = [$o['id'], $o['recipient'], $o['street'], $o['sku'], $o['status']];
    }
}
$stamp = date('Ymd-Hi');
if (!$rows) { echo date('c') . " no deliveries to send\n"; exit(0); }
$csv = DATA . "/routes/route-$stamp.csv";
$fh = fopen($csv, 'w');
fputcsv($fh, ['order', 'recipient', 'street', 'item', 'status']);
foreach ($rows as $r) { fputcsv($fh, $r); }
fclose($fh);
$p = proc_open(['/usr/bin/sftp', '-b', '-', '-i', DATA . '/.ssh/courier_ed25519', '-o', 'BatchMode=yes',
    '-o', 'UserKnownHostsFile=' . DATA . '/.ssh/known_hosts', 'labremote@127.0.0.1'],
    [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fwrite($pipes[0], "put $csv\nls -1\n");
fclose($pipes[0]);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
$rc = proc_close($p);
echo date('c') . ' route ' . basename($csv) . ' (' . count($rows) . " stops) sftp rc=$rc\n";
