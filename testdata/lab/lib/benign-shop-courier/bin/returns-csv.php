<?php
// returns-csv.php DIR: the returns' JSON files as CSV on stdout
$o = fopen('php://stdout', 'w');
fputcsv($o, ['rma', 'order', 'email', 'reason', 'at']);
foreach (glob($argv[1] . '/*.json') as $f) {
    $r = json_decode(file_get_contents($f), true);
    fputcsv($o, [$r['rma'], $r['order'], $r['email'], $r['reason'], $r['at']]);
}
