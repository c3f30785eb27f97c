<?php
// "Sell us your books": a seller uploads the list of books (PDF, e.g. an
// estate inventory); the ISBNs in its text are matched against the wanted list.
require __DIR__ . '/lib/folio.php';
header('Content-Type: text/plain; charset=utf-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Content-Type: text/html; charset=utf-8');
    echo "<!doctype html><title>Sell your books - Folio &amp; Spine</title><h1>Sell us your books</h1>\n";
    echo "<form method=post enctype=multipart/form-data><input name=email type=email placeholder=E-Mail>\n";
    echo "<input type=file name=inventory accept=application/pdf><button>Get an offer</button></form>\n";
    exit;
}
$email = trim($_POST['email'] ?? '');
if (!filter_var($email, FILTER_VALIDATE_EMAIL)) { http_response_code(422); echo "Please give us an e-mail address.\n"; exit; }
$f = $_FILES['inventory'] ?? null;
if (!$f || $f['error'] !== UPLOAD_ERR_OK) { http_response_code(400); echo "No list uploaded.\n"; exit; }
$id = gmdate('Ymd-His') . '-' . bin2hex(random_bytes(3));
$pdf = FOLIO_DATA . "/offers/$id.pdf";
if (!move_uploaded_file($f['tmp_name'], $pdf)) { http_response_code(500); echo "Upload failed.\n"; exit; }
[$rc, $text, $err] = folio_run(['/usr/bin/pdftotext', '-layout', '-enc', 'UTF-8', $pdf, '-']);
if ($rc !== 0) {
    unlink($pdf);
    http_response_code(422);
    echo "We could not read your list (PDF files only).\n";
    exit;
}
preg_match_all('/\b97[89][- ]?(?:[0-9][- ]?){9}[0-9]\b/', $text, $m);
$isbns = array_values(array_unique(array_map(fn($s) => preg_replace('/[- ]/', '', $s), $m[0])));
$cat = folio_catalogue();
$offer = []; $total = 0.0;
foreach ($isbns as $i) {
    if (isset($cat[$i]) && $cat[$i]['status'] === 'wanted') { $offer[] = $i; $total += $cat[$i]['price']; }
}
file_put_contents(FOLIO_DATA . "/offers/$id.json", json_encode(['id' => $id, 'email' => $email, 'file' => $f['name'],
    'isbns' => $isbns, 'offer' => $offer, 'total' => $total, 'at' => gmdate('c')], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
if (!$isbns) {
    echo "offer $id: we found no ISBNs in your list (a scan?); a colleague will look at it and call you.\n";
} else {
    printf("offer %s: %d books in your list, %d on our wanted list, we offer EUR %.2f\n", $id, count($isbns), count($offer), $total);
}
mail($email, "Folio & Spine: your offer $id", sprintf("Thank you! We read %d ISBNs and offer EUR %.2f for %d books.\n", count($isbns), $total, count($offer)),
     'From: ' . FOLIO_MAIL_FROM, '-f' . FOLIO_MAIL_FROM);
