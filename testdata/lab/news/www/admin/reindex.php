<?php
// Search reindex in the background (the request returns at once).
require __DIR__ . '/../lib/bootstrap.php';
nr_require_editor();
header('Content-Type: text/plain');
exec('nohup php ' . NR_ROOT . '/bin/reindex.php > /dev/null 2>&1 &');
echo "reindex started\n";
