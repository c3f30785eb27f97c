<?php
// Wishlists: a customer picks products and shares the list with a friend by
// mail, sent in the customer's name (From, Reply-To and the envelope sender,
// so that bounces go back to the customer and not to the shop).
require __DIR__ . '/config.php';
$products = array_map('str_getcsv', file(__DIR__ . '/data/products.csv', FILE_IGNORE_NEW_LINES));

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    // no header injection: one line each
    $clean = fn($v, $n) => substr(str_replace(["\r", "\n"], '', trim((string)$v)), 0, $n);
    $from = $clean($_POST['from'] ?? '', 120);
    $name = $clean($_POST['name'] ?? '', 60);
    $friend = $clean($_POST['friend'] ?? '', 120);
    $note = substr(str_replace("\r", '', (string)($_POST['note'] ?? '')), 0, 2000);
    if (strpos($from, '@') === false || !filter_var($friend, FILTER_VALIDATE_EMAIL)) {
        http_response_code(400);
        echo "Please give your e-mail address and your friend's.\n";
        exit;
    }
    $lines = [];
    foreach ((array)($_POST['items'] ?? []) as $i) {
        $i = (int)$i;
        if (isset($products[$i - 1])) $lines[] = sprintf(" - %s (%s EUR)  %s/products.php#p%d", $products[$i - 1][0], $products[$i - 1][1], 'https://shop.lab.local', $i);
    }
    if (!$lines) { http_response_code(400); echo "Your wishlist is empty.\n"; exit; }
    $who = $name !== '' ? $name : $from;
    $body = "Hello,\n\n$who would like to share a wishlist from " . SHOP_NAME . " with you:\n\n" . implode("\n", $lines) . "\n";
    if (trim($note) !== '') $body .= "\nTheir note:\n$note\n";
    $body .= "\n-- \n" . SHOP_NAME . " - you received this because $who entered your address.\n";
    $headers = "From: $who <$from>\r\nReply-To: $from\r\nContent-Type: text/plain; charset=UTF-8";
    $ok = mail($friend, "$who shared a wishlist with you", $body, $headers, "-f$from");
    echo $ok ? "Your wishlist is on its way to $friend.\n" : "Sorry, the mail could not be sent.\n";
    exit;
}
?>
<!doctype html><html><body><h1>My wishlist</h1>
<form method="post">
<?php foreach ($products as $n => $p): ?>
<label><input type="checkbox" name="items[]" value="<?= $n + 1 ?>"> <?= htmlspecialchars($p[0]) ?></label><br>
<?php endforeach; ?>
Your name <input name="name"> Your e-mail <input name="from"><br>
Your friend's e-mail <input name="friend"><br>
<textarea name="note" placeholder="A note for your friend"></textarea>
<input type="submit" value="Share">
</form></body></html>
