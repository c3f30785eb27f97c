<?php
// The tax adviser's monthly pack: the month's invoice PDFs merged into one
// and encrypted with the password agreed with the adviser (qpdf).
require __DIR__ . '/../lib/pantry-config.php';
shop_admin_only();
$month = $_REQUEST['month'] ?? '';
if (!preg_match('/^\d{4}-\d\d$/', $month)) { http_response_code(400); exit("month please (YYYY-MM)\n"); }
$files = glob(PANTRY_DATA . "/invoices/$month/*.pdf");
if (!$files) { http_response_code(404); exit("no invoices for $month\n"); }
sort($files);
$out = PANTRY_DATA . "/statements/invoices-$month.pdf";
@mkdir(dirname($out), 0750, true);
$tmp = tempnam(sys_get_temp_dir(), 'pack-');
$pw = escapeshellarg(ACCOUNTANT_PDF_PASSWORD);
exec('qpdf --empty --pages ' . implode(' ', array_map('escapeshellarg', $files)) . ' -- ' . escapeshellarg($tmp)
   . " && qpdf --encrypt $pw $pw 256 -- " . escapeshellarg($tmp) . ' ' . escapeshellarg($out) . ' 2>&1', $o, $rc);
@unlink($tmp);
if ($rc !== 0) { http_response_code(500); exit("pack failed\n"); }
pantry_log('statements', "invoices-$month.pdf " . count($files) . " invoice(s)");
header('Content-Type: application/pdf');
header("Content-Disposition: attachment; filename=\"invoices-$month.pdf\"");
readfile($out);
