<?php
// Customer list for the newsletter tool (staff): cut + gzip of the
// customers file, kept in the back office's exports folder, then sent.
require __DIR__ . '/../lib/backoffice.php';
$me = require_staff();
$out = BO_DATA . '/exports/customers-' . date('Ymd-His') . '-' . $me['user'] . '.csv.gz';
shell_exec('cut -d, -f1-3 ' . escapeshellarg(__DIR__ . '/../data/customers.csv') . ' | gzip -c > ' . escapeshellarg($out));
header('Content-Type: application/gzip');
header('Content-Disposition: attachment; filename="' . basename($out) . '"');
readfile($out);
