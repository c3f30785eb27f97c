<?php
// Back office: the customer list for the newsletter tool, gzipped into exports/
header('Content-Type: text/plain');
$f = '/srv/shop-admin/exports/customers-' . date('Ymd-His') . '.csv.gz';
shell_exec('gzip -c /var/www/html/data/customers.csv > ' . escapeshellarg($f));
echo "exported ", basename($f), " (", filesize($f), " bytes)\n";
