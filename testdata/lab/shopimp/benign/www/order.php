<?php
// Checkout: the order's PDF invoice (exec of the site renderer) and the
// confirmation mail with the invoice attached (mail() -> sendmail_path,
// /usr/sbin/sendmail -t -i through /bin/sh -c, as contact.php).
$order = preg_replace('/[^0-9]/', '', $_POST['order'] ?? '');
$email = preg_replace('/[^A-Za-z0-9@._-]/', '', $_POST['email'] ?? '');
if ($order === '' || $email === '') {
    http_response_code(400);
    exit("bad order\n");
}
$pdf = __DIR__ . "/invoices/INV-$order.pdf";
exec('/usr/local/bin/shop-invoice-pdf ' . escapeshellarg($order) . ' ' . escapeshellarg($pdf), $out, $rc);
if ($rc !== 0 || !is_file($pdf)) {
    http_response_code(500);
    exit("invoice failed\n");
}
$b = 'b' . md5($order);
$body = "--$b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThank you for your order $order. Your invoice is attached.\r\n"
    . "--$b\r\nContent-Type: application/pdf; name=\"INV-$order.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
    . "Content-Disposition: attachment; filename=\"INV-$order.pdf\"\r\n\r\n"
    . chunk_split(base64_encode(file_get_contents($pdf))) . "--$b--\r\n";
$ok = mail($email, "Lab Shop order $order confirmed", $body,
    "From: orders@shop.lab.local\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"$b\"");
echo $ok ? "order $order confirmed\n" : "mail failed\n";
