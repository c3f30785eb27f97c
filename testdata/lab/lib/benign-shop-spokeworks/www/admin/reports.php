<?php
// Back office: the daily sales report by mail. The schedule lives in
// www-data's crontab, in a block this page manages (crontab -l, the block
// replaced, crontab -).
require __DIR__ . '/../lib/spokeworks-config.php';
shop_admin_only();
header('Content-Type: text/plain; charset=utf-8');
const BEGIN = '# BEGIN spokeworks sales report (managed by the back office - do not edit by hand)';
const END = '# END spokeworks sales report';
exec('crontab -l 2>/dev/null', $lines, $rc);
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    $in = false;
    foreach ($lines as $l) { if ($l === BEGIN) $in = true; if ($in) echo $l, "\n"; if ($l === END) $in = false; }
    exit;
}
$time = (string)($_POST['time'] ?? '');
$to = array_filter(array_map('trim', explode(',', (string)($_POST['to'] ?? ''))));
if (!preg_match('/^([01][0-9]|2[0-3]):([0-5][0-9])$/', $time, $t) || !$to
    || count($to) !== count(array_filter($to, fn($a) => filter_var($a, FILTER_VALIDATE_EMAIL)))) {
    http_response_code(422);
    exit("time as HH:MM (UTC) and the recipients' addresses please\n");
}
$keep = [];
$in = false;
foreach ($lines as $l) {
    if ($l === BEGIN) { $in = true; continue; }
    if ($l === END) { $in = false; continue; }
    if (!$in) $keep[] = $l;
}
$keep[] = BEGIN;
$keep[] = sprintf('%d %d * * * /usr/bin/php %s/sales-report.php --to=%s >> /var/log/shop-spokeworks/sales-report.log 2>&1',
                  (int)$t[2], (int)$t[1], SW_LIB, implode(',', $to));
$keep[] = END;
$p = proc_open(['/usr/bin/crontab', '-'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fwrite($pipes[0], implode("\n", $keep) . "\n");
fclose($pipes[0]);
$err = stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) { http_response_code(500); exit("crontab refused the schedule: $err"); }
echo "daily sales report at $time UTC to " . implode(', ', $to) . "\n";
