<?php
// The packing bench: today's pick list (open orders by shelf) as a PDF to print
require __DIR__ . '/../lib/folio.php';
if (!folio_staff()) { http_response_code(403); echo "staff only\n"; exit; }
$dir = FOLIO_DATA . '/picklists';
if (isset($_GET['file'])) {
    $name = basename($_GET['file']);
    if (!preg_match('/^pick-[0-9]{8}-[0-9]{6}\.pdf$/', $name) || !is_file("$dir/$name")) { http_response_code(404); exit; }
    header('Content-Type: application/pdf');
    readfile("$dir/$name");
    exit;
}
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><title>Pick list</title><form method=post><button>Print today's pick list</button></form>\n";
    exit;
}
$cat = folio_catalogue();
$lines = [sprintf('Folio & Spine - Pickliste %s  (%s)', gmdate('d.m.Y H:i'), $_POST['bench'] ?? 'Packtisch 1'), str_repeat('=', 64)];
$n = 0;
foreach (@file(FOLIO_DATA . '/orders.csv', FILE_IGNORE_NEW_LINES) ?: [] as $row) {
    $r = str_getcsv($row, ';');
    if (count($r) < 4 || $r[3] !== 'open') continue;
    $b = $cat[$r[2]] ?? null;
    $lines[] = sprintf('%-12s %-10s %s', $r[0], $r[1], $r[2]);
    $lines[] = sprintf('             %s: %s', $b['author'] ?? '?', preg_replace('/^(.{0,44}).*$/su', '$1', $b['title'] ?? '?'));
    $n++;
}
$lines[] = str_repeat('-', 64);
$lines[] = "$n Bestellungen";
$txt = tempnam(sys_get_temp_dir(), 'pick-');
file_put_contents($txt, iconv('UTF-8', 'ISO-8859-1//TRANSLIT', implode("\n", $lines) . "\n"));
$name = 'pick-' . gmdate('Ymd-His') . '.pdf';
exec('enscript -q -B -f Courier10 --margins=48:48:36:36 -p - ' . escapeshellarg($txt) . ' | ps2pdf - '
     . escapeshellarg("$dir/$name") . ' 2>&1', $o, $rc);
unlink($txt);
if ($rc !== 0) { http_response_code(500); echo "pick list failed\n"; exit; }
header('Content-Type: text/plain');
echo "$n orders: /admin/picklist.php?file=$name\n";
