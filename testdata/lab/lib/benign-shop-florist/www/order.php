<?php
// Bouquet order with a card message: the order kept as JSON, the card rendered to PDF
// for the workshop's printer (Ghostscript, no shell), a mail to the shop.
require __DIR__ . '/lib/florist-config.php';
header('Content-Type: text/plain; charset=utf-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "Blumenhaus Lindgren - order a bouquet\n";
    foreach (BOUQUETS as $sku => $b) { printf("%-14s %-40s %6.2f EUR\n", $sku, $b[0], $b[1]); }
    exit;
}
$sku = (string)($_POST['sku'] ?? '');
$card = iconv_substr(trim((string)($_POST['card'] ?? '')), 0, 240, 'UTF-8');
$to = iconv_substr(trim((string)($_POST['recipient'] ?? '')), 0, 80, 'UTF-8');
$street = iconv_substr(trim((string)($_POST['street'] ?? '')), 0, 120, 'UTF-8');
$day = (string)($_POST['day'] ?? '');
$email = (string)($_POST['email'] ?? '');
if (!isset(BOUQUETS[$sku]) || $to === '' || !preg_match('/^2026-12-(0[7-9]|[12][0-9]|3[01])$/', $day)
    || !filter_var($email, FILTER_VALIDATE_EMAIL)) {
    http_response_code(422);
    echo "please check the bouquet, the recipient, the delivery day and your e-mail address\n";
    exit;
}
$id = date('ymdHis') . '-' . bin2hex(random_bytes(3));
$dir = FLORIST_DATA . '/orders';
$order = ['id' => $id, 'sku' => $sku, 'recipient' => $to, 'street' => $street, 'day' => $day,
          'email' => $email, 'card' => $card, 'price' => BOUQUETS[$sku][1], 'status' => 'new'];
file_put_contents("$dir/$id.json", json_encode($order, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE));
// the card: PostScript with the message escaped, then Ghostscript -> PDF
$esc = fn($s) => strtr(iconv('UTF-8', 'ISO-8859-1//TRANSLIT', $s), ['\\' => '\\\\', '(' => '\\(', ')' => '\\)']);
$ps = "%!PS\n<< /PageSize [298 210] >> setpagedevice\n/Times-Italic findfont 14 scalefont setfont\n";
$y = 160;
foreach (explode("\n", wordwrap($card, 38, "\n", true)) as $line) { $ps .= "30 $y moveto (" . $esc($line) . ") show\n"; $y -= 18; }
$ps .= "/Helvetica findfont 8 scalefont setfont 30 20 moveto (Blumenhaus Lindgren - order $id) show\nshowpage\n";
file_put_contents(FLORIST_DATA . "/cards/$id.ps", $ps);
$p = proc_open(['/usr/bin/gs', '-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pdfwrite',
    '-sOutputFile=' . FLORIST_DATA . "/cards/$id.pdf", FLORIST_DATA . "/cards/$id.ps"],
    [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
if (is_resource($p)) { stream_get_contents($pipes[1]); stream_get_contents($pipes[2]); proc_close($p); }
@unlink(FLORIST_DATA . "/cards/$id.ps");
mail(FLORIST_ORDERS_MAIL, "Order $id: $sku for $day", "Recipient: $to, $street\nCard: $card\nCustomer: $email\n",
     "From: shop@blumenhaus-lindgren.example");
echo "order $id received: " . BOUQUETS[$sku][0] . " on $day\n";
