<?php
// PDF invoice of an order: the site's helper shop-invoice-pdf renders it into
// invoices/ (exec through /bin/sh -c), then the file is sent
$order = preg_replace('/[^0-9]/', '', $_GET['order'] ?? '');
if ($order === '') { http_response_code(400); exit("order?\n"); }
$pdf = __DIR__ . '/invoices/INV-' . $order . '.pdf';
exec('/usr/local/bin/shop-invoice-pdf ' . escapeshellarg($order) . ' ' . escapeshellarg($pdf), $out, $rc);
if ($rc !== 0 || !is_file($pdf)) { http_response_code(500); exit("invoice failed\n"); }
header('Content-Type: application/pdf');
readfile($pdf);
