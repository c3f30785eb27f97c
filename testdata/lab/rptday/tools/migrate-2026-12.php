<?php
// One-off data migration for the December close: the ledger gets a currency
// column (every existing entry is EUR). Keeps the old file as ledger.csv.pre-2026-12.
$f = '/srv/reports/data/ledger.csv';
$rows = array_map('str_getcsv', file($f, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES));
if (in_array('currency', $rows[0], true)) {
    exit("already migrated\n");
}
copy($f, "$f.pre-2026-12");
$out = fopen("$f.new", 'w');
foreach ($rows as $i => $r) {
    $r[] = $i === 0 ? 'currency' : 'EUR';
    fputcsv($out, $r);
}
fclose($out);
rename("$f.new", $f);
printf("migrated %d entries\n", count($rows) - 1);
