<?php
// Monthly report: /usr/local/bin/rptgen summarises the ledger (a shell-out by
// design). The month is "validated" by a blocklist of command separators that
// forgets the newline: CWE-78 through a "\n" in the JSON body (lighttpd itself
// rejects a %0a in the URL). GET ?month= for links, POST JSON from the report UI.
$in = json_decode((string)file_get_contents('php://input'), true);
$in = is_array($in) ? $in : [];
$month = (string)($in['month'] ?? $_GET['month'] ?? date('Y-m'));
$mail = $in['mail'] ?? $_GET['mail'] ?? '';
if (preg_match('/[;&|`]/', $month)) {
    http_response_code(400);
    echo "invalid month\n";
    exit;
}
$out = shell_exec('/usr/local/bin/rptgen --out /srv/reports/out --month ' . $month . ' 2>&1');
header('Content-Type: text/plain');
echo $out;
if ($mail !== '') {
    // mail() runs sendmail_path through /bin/sh -c
    mail((string)$mail, "report $month", (string)$out, 'From: reports@reports.lab.local');
}
