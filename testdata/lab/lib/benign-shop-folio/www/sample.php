<?php
// "Look inside": the first three pages of a book's scan, cut once and kept in samples/
require __DIR__ . '/lib/folio.php';
$isbn = $_GET['isbn'] ?? '';
if (!preg_match('/^97[89][0-9]{10}$/', $isbn)) { http_response_code(400); echo "bad isbn\n"; exit; }
$src = FOLIO_DATA . "/scans/$isbn.pdf";
if (!is_file($src)) { http_response_code(404); echo "no scan of this book yet\n"; exit; }
$out = __DIR__ . "/samples/$isbn.pdf";
if (!is_file($out)) {
    $tmp = sys_get_temp_dir() . '/folio-sample-' . bin2hex(random_bytes(4));
    mkdir($tmp, 0700);
    [$rc] = folio_run(['/usr/bin/pdfseparate', '-f', '1', '-l', '3', $src, "$tmp/page-%d.pdf"]);
    $pages = glob("$tmp/page-*.pdf");
    natsort($pages);
    if ($rc === 0 && $pages) {
        [$rc] = folio_run(array_merge(['/usr/bin/pdfunite'], array_values($pages), ["$out.part"]));
        if ($rc === 0) rename("$out.part", $out);
    }
    array_map('unlink', glob("$tmp/*"));
    rmdir($tmp);
    if (!is_file($out)) { http_response_code(500); echo "sample not available\n"; exit; }
}
header('Content-Type: application/pdf');
header('Content-Disposition: inline; filename="leseprobe-' . $isbn . '.pdf"');
readfile($out);
