<?php
// POST /admin/exports.php (customer=NAME, file=FILE NAME): a customer's order
// history as CSV, made by the shop's console in a child process, the way
// Symfony's Process runs an argument array (sh -c "exec 'arg' 'arg' ..."):
// the customer's name and the file name as the staff typed them, quoted.
require __DIR__ . '/auth.php';
$customer = trim(substr($_POST['customer'] ?? '', 0, 80));
$file = trim(substr($_POST['file'] ?? '', 0, 80));
if ($customer === '' || $file === '') {
    http_response_code(400);
    echo "customer and file needed\n";
    exit;
}
$root = dirname(__DIR__);
$argv = ['/usr/bin/php8.2', "$root/bin/console", 'export:orders', "--customer=$customer", "--file=$file"];
$cmd = 'exec ' . implode(' ', array_map('escapeshellarg', $argv));
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $root);
$out = stream_get_contents($pipes[1]); $err = stream_get_contents($pipes[2]);
fclose($pipes[1]); fclose($pipes[2]);
$rc = proc_close($p);
if ($rc !== 0) { http_response_code(500); echo "export failed: $err"; exit; }
echo $out;
