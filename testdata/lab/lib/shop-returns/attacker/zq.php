<?php
// zq.php KEY: one passive check of the local Zabbix agent (ZBXD protocol), the value printed
$k = $argv[1];
$s = fsockopen('127.0.0.1', 10050, $en, $em, 5) or die("connect: $em\n");
fwrite($s, "ZBXD\x01" . pack('VV', strlen($k), 0) . $k);
$r = stream_get_contents($s);
echo substr($r, 0, 4) === 'ZBXD' ? substr($r, 13) : $r, "\n";
