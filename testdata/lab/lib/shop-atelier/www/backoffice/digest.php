<?php
// www-data's cron: the open orders digest for the packing team
if (PHP_SAPI !== 'cli') { http_response_code(404); exit; }
$csv = __DIR__ . '/../data/orders.csv';
$n = (int) trim((string) shell_exec('grep -c ",open$" ' . escapeshellarg($csv)));
@file_put_contents('/var/lib/atelier/digest.txt', gmdate('c') . " open orders: $n\n");
