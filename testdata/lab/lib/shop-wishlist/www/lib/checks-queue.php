<?php
// Queues the ops team's checks of the shop into beanstalkd (tube "checks");
// the check runner (opsmon) runs them. www-data's cron runs it every minute
// with no arguments (the standard set); "php checks-queue.php CHECK 'ARGS'"
// queues one check by hand (from the shell or the status page's re-check).
$std = [
    ['check' => 'http', 'args' => '127.0.0.1 /status.php'],
    ['check' => 'disk', 'args' => '/var/www 90'],
    ['check' => 'load', 'args' => '4'],
    ['check' => 'tls', 'args' => '/etc/shop-checks/shop.crt 30'],
];
$jobs = $argc > 1 ? [['check' => $argv[1], 'args' => $argv[2] ?? '']] : $std;
$s = @fsockopen('127.0.0.1', 11300, $errno, $errstr, 3);
if (!$s) { fwrite(STDERR, "beanstalkd: $errstr\n"); exit(1); }
fwrite($s, "use checks\r\n");
fgets($s);
foreach ($jobs as $j) {
    $j['queued'] = gmdate('c');
    $j['by'] = get_current_user() . '@' . gethostname();
    $b = json_encode($j, JSON_UNESCAPED_SLASHES);
    fwrite($s, sprintf("put 1024 0 120 %d\r\n%s\r\n", strlen($b), $b));
    $r = trim(fgets($s));
    echo ($r === '' ? 'NO-REPLY' : $r), " ", $j['check'], "\n";
}
fwrite($s, "quit\r\n");
fclose($s);
