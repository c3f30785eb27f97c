<?php
// Packing bench: the shipping label (ZPL) for an order goes to the Zebra
// label printer's raw port with nc, as the fulfilment team's old script did.
require __DIR__ . '/../lib/keepsake-config.php';
shop_admin_only();
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Packing bench</h1><form method=post><input name=order><input name=name><input name=city>",
         "<input name=items value=1><input type=submit value='Print label'></form></body></html>\n";
    exit;
}
$order = preg_replace('/[^0-9]/', '', $_POST['order'] ?? '');
$name = preg_replace('/[\^~\r\n]/', ' ', substr($_POST['name'] ?? '', 0, 40));
$city = preg_replace('/[\^~\r\n]/', ' ', substr($_POST['city'] ?? '', 0, 40));
$items = max(1, min(20, (int)($_POST['items'] ?? 1)));
if (strlen($order) < 5) { http_response_code(422); exit("order number please\n"); }
$zpl = "^XA^CI28^PW812^LL1218\n^FO40,40^A0N,50,50^FDLab Shop - Keepsakes^FS\n^FO40,130^A0N,40,40^FD$name^FS\n"
     . "^FO40,180^A0N,40,40^FD$city^FS\n^FO40,260^BY3^BCN,160,Y,N,N^FD$order^FS\n^FO40,480^A0N,30,30^FD$items item(s)^FS\n^XZ\n";
$f = tempnam(sys_get_temp_dir(), 'zpl-');
file_put_contents($f, $zpl);
exec('nc -N -w 3 ' . LABEL_PRINTER_HOST . ' ' . LABEL_PRINTER_PORT . ' < ' . escapeshellarg($f) . ' 2>&1', $out, $rc);
unlink($f);
@mkdir(KEEPSAKE_DATA, 0750, true);
file_put_contents(KEEPSAKE_DATA . '/packing.log', sprintf("%s %s %d %s\n", gmdate('c'), $order, $rc, $rc ? 'printer error' : 'printed'), FILE_APPEND);
if ($rc !== 0) { http_response_code(502); exit("label printer not answering\n"); }
echo "label for $order printed\n";
