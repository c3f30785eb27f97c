<?php
// Back office: the month's invoices or credit notes to the tax adviser
// (Kanzlei Weber): zipped with AES by 7-Zip (password agreed by phone) and
// uploaded to the adviser's FTP server with lftp. A scratch folder in /tmp.
require __DIR__ . '/../lib/trophy-config.php';
shop_admin_only();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Send to the tax adviser</h1><form method=post><input name=month value=2026-11>",
         "<select name=kind><option>invoices</option><option>credit-notes</option></select><input type=submit></form></body></html>\n";
    exit;
}
$month = $_POST['month'] ?? '';
$kind = $_POST['kind'] ?? '';
if (!preg_match('/^20[0-9]{2}-(0[1-9]|1[0-2])$/', $month) || !in_array($kind, ['invoices', 'credit-notes'], true)) {
    http_response_code(422);
    exit("month and kind please\n");
}
$src = TROPHY_DATA . "/$kind/$month";
if (!is_dir($src)) { http_response_code(404); exit("nothing for $month\n"); }
$tmp = tempnam(sys_get_temp_dir(), 'acct-');
unlink($tmp); mkdir($tmp, 0700);
$zip = "$tmp/trophy-$kind-$month.zip";
$env = ['HOME' => TROPHY_DATA, 'PATH' => '/usr/bin:/bin', 'LANG' => 'C.UTF-8'];
[$rc, $out] = run(['/usr/bin/7z', 'a', '-tzip', '-mem=AES256', '-p' . ACCOUNTANT_ZIP_PASS, '-bd', $zip, $src], $env);
if ($rc !== 0) { http_response_code(500); exit("zip failed\n"); }
[$rc, $out] = run(['/usr/bin/lftp', '-u', ACCOUNTANT_USER . ',' . ACCOUNTANT_PASS, '-e',
    'set net:max-retries 2; set net:timeout 10; set ftp:ssl-allow no; cd inbox; put ' . $zip . '; bye', ACCOUNTANT_FTP], $env);
unlink($zip); rmdir($tmp);
file_put_contents(TROPHY_DATA . '/accountant.log', sprintf("%s %s %s rc=%d\n", gmdate('c'), $kind, $month, $rc), FILE_APPEND);
if ($rc !== 0) { http_response_code(502); exit("upload to the tax adviser failed\n"); }
echo "$kind $month sent to Kanzlei Weber\n";
