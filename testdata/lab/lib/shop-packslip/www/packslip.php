<?php
// Packing slips: customers (and the packing desk) print an order's packing
// slip in the paper format they pick. The form's hidden field "layout" names
// the layout template, which is included to render the slip (layouts/a4.php,
// layouts/letter.php, layouts/label-4x6.php). Remote URLs and "../" are
// refused; anything else PHP can open is included.
require __DIR__ . '/config.php';
$orders = [
    '1001' => ['Anna Berger', 'Lindenweg 4, 1010 Wien', [['Mug', 1, 12.90], ['Tote bag', 2, 5.90]]],
    '1002' => ['Tom Meyer', 'Hafenstr. 12, 20457 Hamburg', [['T-Shirt', 1, 19.90]]],
    '1003' => ['Lena Koch', 'Marktplatz 1, 8001 Zurich', [['Poster', 3, 7.50], ['Sticker pack', 1, 24.00]]],
    '1004' => ['Jonas Weber', 'Am Ring 7, 50667 Koeln', [['Mug', 2, 12.90]]],
];
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Content-Type: text/html');
    echo "<!doctype html><html><body><h1>Print your packing slip</h1><form method=\"post\">",
         "Order <input name=\"order\"> <select name=\"layout\"><option value=\"layouts/a4.php\">A4</option>",
         "<option value=\"layouts/letter.php\">Letter</option><option value=\"layouts/label-4x6.php\">Label 4x6</option></select>",
         "<input type=\"submit\" value=\"Print\"></form></body></html>";
    exit;
}
$id = preg_replace('/[^0-9]/', '', $_POST['order'] ?? '');
$layout = $_POST['layout'] ?? 'layouts/a4.php';
if (strpos($layout, '..') !== false || preg_match('#^(/|https?:|ftps?:|data:|expect:|zip:|phar:|file:)#i', $layout)) {
    http_response_code(400);
    echo "unknown layout\n";
    exit;
}
if (!isset($orders[$id])) { http_response_code(404); echo "no such order\n"; exit; }
[$name, $address, $lines] = $orders[$id];
file_put_contents(__DIR__ . '/data/slips.log', date('c') . " order $id layout $layout\n", FILE_APPEND);
header('Content-Type: text/html');
include $layout;
