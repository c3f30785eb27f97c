<?php
// Root's gift card job (/etc/cron.d/shop-giftcards, every minute): counts the
// cards sold, flags the ones past their 3-year validity and appends a line to
// the finance report. Runs as root because the report is root's.
$csv = '/var/www/html/data/giftcards.csv';
$rows = is_readable($csv) ? file($csv, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) : [];
$total = 0.0; $expired = 0; $now = time();
foreach ($rows as $r) {
    $f = str_getcsv($r);
    if (count($f) < 4) continue;
    $total += (float)$f[1];
    if (strtotime($f[3]) < $now - 3 * 365 * 86400) $expired++;
}
printf("%s cards=%d outstanding=%.2f expired=%d\n", gmdate('c'), count($rows), $total, $expired);
