<?php
// GET  /account/invoice.php?order=N&name=BILLING-NAME          the invoice as PDF
// POST /account/invoice.php?order=N&name=BILLING-NAME (email=)  the invoice mailed to the order's address
require dirname(__DIR__) . '/lib/invoices.php';
$id = $_GET['order'] ?? '';
if (!preg_match('/^[0-9]{4,6}$/', $id)) {
    http_response_code(400);
    echo "bad order number\n";
    exit;
}
$o = inv_order($id);
if ($o === null) {
    http_response_code(404);
    echo "no such order\n";
    exit;
}
$name = trim(substr($_GET['name'] ?? '', 0, 80));
if ($name === '') {
    $name = $o['company'];
}
$pdf = inv_render($o, $name);
if ($pdf === null) {
    http_response_code(500);
    echo "invoice could not be rendered\n";
    exit;
}
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $to = preg_replace('/[^A-Za-z0-9@._+-]/', '', $_POST['email'] ?? $o['email']);
    $b = md5($id . microtime());
    $body = "--$b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour invoice $id is attached.\r\n"
        . "--$b\r\nContent-Type: application/pdf; name=\"invoice-$id.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        . chunk_split(base64_encode(file_get_contents($pdf))) . "--$b--\r\n";
    $ok = mail($to, "Your invoice $id", $body, "From: invoices@shop.lab.local\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"$b\"");
    echo $ok ? "invoice $id sent to $to\n" : "mail failed\n";
    exit;
}
header('Content-Type: application/pdf');
header('Content-Disposition: attachment; filename="invoice-' . $id . '.pdf"');
readfile($pdf);
