<?php
// Payroll to the bank: the payroll clerk's "Send to bank" button. The file is
// encrypted for the bank's certificate (S/MIME envelope, openssl cms, argv
// array, no shell) and uploaded to the bank's intake with curl (shell_exec,
// arguments escaped): what the bank's integration guide prescribes.
$conf = parse_ini_file('/srv/reports/conf/bank.ini');
$run = preg_replace('/[^0-9-]/', '', $_POST['run'] ?? date('Y-m'));
$src = '/srv/reports/data/payroll.csv';
$out = "/srv/reports/outbox/payroll-$run.p7m";
$p = proc_open(['/usr/bin/openssl', 'cms', '-encrypt', '-binary', '-aes256', '-in', $src, '-out', $out,
    '-outform', 'DER', $conf['bank_cert']], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_get_contents($pipes[1]);
$err = stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) {
    http_response_code(500);
    exit("encryption failed: $err\n");
}
// the bank's token is kept base64-encoded in bank.ini, as the bank issued it
$token = base64_decode($conf['intake_token_b64']);
$res = shell_exec('/usr/bin/curl -sS --fail -m 20 -H ' . escapeshellarg("Authorization: Bearer $token")
    . ' -T ' . escapeshellarg($out) . ' ' . escapeshellarg($conf['intake_url'] . basename($out)) . ' -w %{http_code} 2>&1');
header('Content-Type: text/plain');
echo "payroll run $run: bank intake answered ", trim((string)$res), "\n";
