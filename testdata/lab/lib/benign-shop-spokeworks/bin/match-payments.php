<?php
// A decrypted camt.053 bank statement: the credit entries whose remittance
// information names an order (SW-1xxxxx) are booked as paid.
$xml = file_get_contents($argv[1] ?? '/dev/null');
preg_match_all('#<Ntry>.*?<Amt Ccy="EUR">([0-9.]+)</Amt>.*?<CdtDbtInd>(CRDT|DBIT)</CdtDbtInd>.*?<Ustrd>([^<]*)</Ustrd>.*?</Ntry>#s', $xml, $m, PREG_SET_ORDER);
$paid = 0;
foreach ($m as $e) {
    if ($e[2] !== 'CRDT' || !preg_match('/SW-1\d{5}/', $e[3], $o)) continue;
    file_put_contents('/var/lib/shop-spokeworks/payments.csv', sprintf("%s,%s,%s\n", gmdate('c'), $o[0], $e[1]), FILE_APPEND | LOCK_EX);
    $paid++;
}
echo gmdate('c'), ' ', basename($argv[1] ?? '-'), ": ", count($m), " entries, $paid order payment(s) matched\n";
