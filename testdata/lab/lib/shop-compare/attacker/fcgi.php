<?php
// minimal FastCGI client: one request to a php-fpm socket, SCRIPT_FILENAME
// and an extra parameter from argv; prints the stdout records
// usage: php fcgi.php <socket> <script> <command>
list(, $sock, $script, $cmd) = $argv;
function rec($t, $c) { $l = strlen($c); return pack('CCnnCC', 1, $t, 1, $l, 0, 0) . $c; }
function nv($k, $v) {
    $f = function ($n) { return $n < 128 ? chr($n) : pack('N', $n | 0x80000000); };
    return $f(strlen($k)) . $f(strlen($v)) . $k . $v;
}
$p = ['GATEWAY_INTERFACE' => 'FastCGI/1.0', 'REQUEST_METHOD' => 'GET', 'SCRIPT_FILENAME' => $script,
      'SCRIPT_NAME' => '/admin/health.php', 'REQUEST_URI' => '/admin/health.php', 'SERVER_SOFTWARE' => 'nginx',
      'REMOTE_ADDR' => '127.0.0.1', 'SERVER_NAME' => 'shop.lab.local', 'SERVER_PORT' => '80', 'HTTP_X_TRACE' => base64_encode($cmd)];
$body = '';
foreach ($p as $k => $v) $body .= nv($k, $v);
$s = stream_socket_client('unix://' . $sock, $en, $es, 5);
if (!$s) { fwrite(STDERR, "connect: $es\n"); exit(1); }
fwrite($s, rec(1, pack('nCx5', 1, 0)) . rec(4, $body) . rec(4, '') . rec(5, ''));
$out = '';
while (!feof($s)) {
    $h = fread($s, 8); if (strlen($h) < 8) break;
    $r = unpack('Cv/Ct/nid/nlen/Cpad/Cres', $h);
    $c = $r['len'] ? stream_get_contents($s, $r['len']) : '';
    if ($r['pad']) fread($s, $r['pad']);
    if ($r['t'] == 6) $out .= $c;
    if ($r['t'] == 3) break;
}
echo preg_replace('/^.*?\r\n\r\n/s', '', $out);
