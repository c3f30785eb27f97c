<?php
// isbn-tools: checks the ISBN-13 check digits and the price column of the catalogue
require __DIR__ . '/Isbn.php';
use Folio\Tools\Isbn;

$file = $argv[1] ?? '/var/lib/shop-folio/catalogue.csv';
$bad = 0; $n = 0;
foreach (file($file, FILE_IGNORE_NEW_LINES) as $k => $line) {
    if ($k === 0 || $line === '') continue;
    $r = explode(';', $line);
    $n++;
    if (!Isbn::valid13($r[0])) { echo "line " . ($k + 1) . ": bad ISBN {$r[0]}\n"; $bad++; }
    if (!preg_match('/^[0-9]+\.[0-9]{2}$/', $r[4] ?? '')) { echo "line " . ($k + 1) . ": price '{$r[4]}'\n"; $bad++; }
}
echo "$n books, $bad problems\n";
exit($bad ? 1 : 0);
