<?php
// The shop's invoices: orders from data/orders.csv, the invoice HTML kept in
// data/invoices/src/<order>.html and rendered to data/invoices/<order>.pdf by
// wkhtmltopdf (proc_open with an argv array: no shell). The billing name is
// what the customer typed on the invoice form (kept as typed, max 80 chars).
const INV_ROOT = '/var/www/html';
const INV_WK = '/usr/local/bin/wkhtmltopdf';

function inv_order(string $id): ?array {
    foreach (file(INV_ROOT . '/data/orders.csv', FILE_IGNORE_NEW_LINES) as $l) {
        $r = str_getcsv($l);
        if ($r[0] === $id) {
            return ['id' => $r[0], 'email' => $r[1], 'company' => $r[2], 'items' => $r[3], 'total' => $r[4]];
        }
    }
    return null;
}

function inv_render(array $o, string $name): ?string {
    $src = INV_ROOT . '/data/invoices/src/' . $o['id'] . '.html';
    $pdf = INV_ROOT . '/data/invoices/' . $o['id'] . '.pdf';
    $h = fn($s) => htmlspecialchars($s, ENT_QUOTES);
    file_put_contents($src, "<html><body><h1>Lab Shop invoice " . $h($o['id']) . "</h1><br>\n"
        . "<p>Billed to: " . $h($name) . "</p><br>\n<p>Items: " . $h($o['items']) . "</p><br>\n"
        . "<p>Total: " . $h($o['total']) . " EUR (VAT included)</p><br>\n<p>Thank you for shopping with us.</p></body></html>\n");
    $p = proc_open([INV_WK, '--quiet', '--page-size', 'A4', '--title', 'Invoice ' . $o['id'] . ' - ' . $name, $src, $pdf],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($p)) {
        return null;
    }
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    $rc = proc_close($p);
    file_put_contents('/var/log/shop-invoices/render.log', date('c') . " order {$o['id']} rc=$rc " . trim($err) . "\n", FILE_APPEND);
    return ($rc === 0 && is_file($pdf)) ? $pdf : null;
}
