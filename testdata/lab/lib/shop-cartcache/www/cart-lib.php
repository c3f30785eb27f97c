<?php
// The shop's Redis client (127.0.0.1:6379): a tiny RESP client, no extension, no exec.
function redis_cmd(array $args) {
    static $s = null;
    if ($s === null) {
        $s = @fsockopen('127.0.0.1', 6379, $errno, $errstr, 2);
        if (!$s) { http_response_code(503); exit("cart unavailable\n"); }
    }
    $m = '*' . count($args) . "\r\n";
    foreach ($args as $a) { $a = (string)$a; $m .= '$' . strlen($a) . "\r\n" . $a . "\r\n"; }
    fwrite($s, $m);
    return redis_reply($s);
}
function redis_reply($s) {
    $l = rtrim(fgets($s), "\r\n");
    switch ($l[0]) {
        case '+': case '-': return substr($l, 1);
        case ':': return (int)substr($l, 1);
        case '$': $n = (int)substr($l, 1); if ($n < 0) return null; $d = fread($s, $n + 2); return substr($d, 0, $n);
        case '*': $n = (int)substr($l, 1); $r = []; for ($i = 0; $i < $n; $i++) $r[] = redis_reply($s); return $r;
    }
    return null;
}
