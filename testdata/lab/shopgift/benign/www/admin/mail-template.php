<?php
// Marketing: the gift card mail template (Twig, in templates/mail/): save,
// preview, send a test to the team.
require __DIR__ . '/auth.php';
require_once __DIR__ . '/../config.php';
require_once '/usr/share/php/Twig/autoload.php';
$dir = realpath(__DIR__ . '/../templates/mail');
$action = $_POST['action'] ?? 'preview';
if ($action === 'save') {
    file_put_contents("$dir/giftcard.twig", (string)($_POST['template'] ?? ''));
}
$twig = new \Twig\Environment(new \Twig\Loader\FilesystemLoader($dir), ['autoescape' => false]);
$text = $twig->render('giftcard.twig', ['recipient' => 'Jamie', 'sender' => 'Alex', 'amount' => '75.00', 'code' => 'GC-TEST000000']);
if ($action === 'test') {
    mail('marketing@lab.local', '[test] gift card mail', $text, 'From: shop@lab.local');
}
header('Content-Type: application/json');
echo json_encode(['action' => $action, 'text' => $text]);
