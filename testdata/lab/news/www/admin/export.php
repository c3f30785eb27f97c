<?php
// PDF export of an article: PHP writes a small PostScript page, Ghostscript
// turns it into exports/<id>.pdf.
require __DIR__ . '/../lib/bootstrap.php';
nr_require_editor();
header('Content-Type: text/plain');
$arts = nr_articles();
$id = preg_replace('/[^a-z0-9-]/', '', $_GET['id'] ?? '');
if (!isset($arts[$id])) { http_response_code(404); exit("no such article\n"); }
$esc = function ($s) { return strtr($s, ['\\' => '\\\\', '(' => '\\(', ')' => '\\)']); };
$ps = "%!PS\n/Helvetica findfont 14 scalefont setfont\n72 720 moveto (" . $esc($arts[$id]['title']) . ") show\n"
    . "/Helvetica findfont 10 scalefont setfont\n72 700 moveto (" . $esc(substr($arts[$id]['body'], 0, 90)) . ") show\nshowpage\n";
$tmp = tempnam('/tmp', 'nrps');
file_put_contents($tmp, $ps);
@mkdir(NR_ROOT . '/exports', 0755, true);
exec('gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile=' . escapeshellarg(NR_ROOT . "/exports/$id.pdf") . ' ' . escapeshellarg($tmp) . ' 2>&1', $out, $rc);
unlink($tmp);
echo $rc === 0 ? "exports/$id.pdf\n" : "gs failed ($rc)\n";
