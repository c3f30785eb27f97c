<?php
// Gift cards: a customer picks an amount, writes a message for the card and
// previews it. The message may use the placeholders {{ recipient }},
// {{ amount }} and {{ sender }}; marketing wanted "real templates", so the
// message itself is rendered as a Twig template (Debian's php-twig).
// Buying stores the card in data/giftcards.csv and mails the recipient.
require_once __DIR__ . '/config.php';
require_once '/usr/share/php/Twig/autoload.php';

function gc_render(string $message, array $vars): string {
    $twig = new \Twig\Environment(new \Twig\Loader\ArrayLoader([]), ['autoescape' => 'html']);
    return $twig->createTemplate($message)->render($vars);
}

$action = $_POST['action'] ?? '';
$vars = [
    'recipient' => substr($_POST['recipient'] ?? 'friend', 0, 60),
    'sender'    => substr($_POST['sender'] ?? 'a friend', 0, 60),
    'amount'    => number_format((float)($_POST['amount'] ?? 25), 2),
];
$message = (string)($_POST['message'] ?? 'Happy birthday, {{ recipient }}!');

if ($action === 'preview' || $action === 'buy') {
    try {
        $text = gc_render($message, $vars);
    } catch (\Throwable $e) {
        http_response_code(400);
        header('Content-Type: application/json');
        echo json_encode(['error' => 'template: ' . $e->getMessage()]);
        exit;
    }
    if ($action === 'preview') {
        header('Content-Type: application/json');
        echo json_encode(['preview' => $text, 'amount' => $vars['amount']]);
        exit;
    }
    $email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
    if (!$email) { http_response_code(400); echo "email?\n"; exit; }
    $code = 'GC-' . strtoupper(bin2hex(random_bytes(5)));
    file_put_contents(__DIR__ . '/data/giftcards.csv',
        sprintf("%s,%s,%s,%s\n", $code, $vars['amount'], $email, gmdate('Y-m-d\TH:i:s\Z')), FILE_APPEND | LOCK_EX);
    mail($email, 'Your ' . SHOP_NAME . ' gift card', $text . "\n\nCode: $code\n", 'From: shop@lab.local');
    header('Content-Type: application/json');
    echo json_encode(['code' => $code, 'amount' => $vars['amount']]);
    exit;
}
?><!doctype html>
<title>Gift cards</title>
<h1>Gift cards</h1>
<form method="post">
  <input name="amount" value="25"> EUR<br>
  <input name="recipient" placeholder="Recipient"> <input name="sender" placeholder="From"><br>
  <textarea name="message">Happy birthday, {{ recipient }}!</textarea><br>
  <input name="email" placeholder="Recipient e-mail">
  <button name="action" value="preview">Preview</button>
  <button name="action" value="buy">Buy</button>
</form>
