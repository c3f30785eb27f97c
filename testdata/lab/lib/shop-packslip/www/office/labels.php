<?php
// Packing desk: prints the carrier label of an order with the carrier's
// labelpress tool (proc_open with an argv array, no shell); the ZPL goes to
// labels/ for the desk's printer client. Token in the X-Office-Token header.
require __DIR__ . '/../config.php';
if (($_SERVER['HTTP_X_OFFICE_TOKEN'] ?? '') !== 'pk-7f3a9c2e41') { http_response_code(403); exit; }
$id = preg_replace('/[^0-9]/', '', $_GET['order'] ?? '');
if ($id === '') { http_response_code(400); echo "order?\n"; exit; }
$out = __DIR__ . "/../labels/$id.zpl";
$p = proc_open(['/opt/labelpress/bin/lp-label', '--order', $id, '--out', $out], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$o = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
$rc = proc_close($p);
header('Content-Type: text/plain');
echo $rc === 0 ? "printed $id\n" : "label failed ($rc): $o";
