<?php
// The portal's "System information" page for the admin (token header): who
// the portal runs as, the kernel, disk space and its own processes, each
// command run with an argv array (no shell).
$conf = parse_ini_file('/srv/reports/conf/bank.ini');
if (($_SERVER['HTTP_X_REPORTS_ADMIN'] ?? '') !== $conf['admin_token']) {
    http_response_code(403);
    exit("forbidden\n");
}
function run(array $argv): string {
    $p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $o = stream_get_contents($pipes[1]);
    stream_get_contents($pipes[2]);
    proc_close($p);
    return $o;
}
header('Content-Type: text/plain');
echo "== account\n", run(['/usr/bin/id']);
echo "== kernel\n", run(['/usr/bin/uname', '-srm']);
echo "== disk\n", run(['/usr/bin/df', '-h', '/srv/reports']);
echo "== processes\n", run(['/usr/bin/ps', '-o', 'pid,etime,rss,args', '-u', 'svc-reports']);
echo "== php\n", PHP_VERSION, "\n";
