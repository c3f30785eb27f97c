<?php
// Quarter archive for the auditors: the month reports of a quarter packed
// into one download, named for the person who asked (the finance team's
// habit). The shell-out is the original developer's: tar or zip through
// shell_exec with every user value passed through escapeshellarg.
$q = $_GET['quarter'] ?? '2026-Q4';
$who = preg_replace('/[^a-z0-9.]/', '', strtolower($_GET['who'] ?? 'finance'));
$fmt = ($_GET['fmt'] ?? 'tgz') === 'zip' ? 'zip' : 'tgz';
if (!preg_match('/^(\d{4})-Q([1-4])$/', $q, $m)) {
    http_response_code(400);
    exit("bad quarter\n");
}
$months = [];
for ($i = 1; $i <= 3; $i++) {
    $f = sprintf('report-%s-%02d.txt', $m[1], ($m[2] - 1) * 3 + $i);
    if (is_file("/srv/reports/out/$f")) $months[] = escapeshellarg($f);
}
if (!$months) {
    http_response_code(404);
    exit("no reports for $q yet\n");
}
$name = "$q-$who.$fmt";
$dst = escapeshellarg("/srv/reports/www/cache/$name");
$cmd = $fmt === 'zip'
    ? "cd /srv/reports/out && /usr/bin/zip -q -j $dst " . implode(' ', $months)
    : "cd /srv/reports/out && /usr/bin/tar czf $dst " . implode(' ', $months);
shell_exec($cmd . ' 2>&1');
header('Content-Type: application/octet-stream');
header("Content-Disposition: attachment; filename=\"$name\"");
readfile("/srv/reports/www/cache/$name");
