<?php
// gift-cards: a card's balance (@VERSION@; the demo keeps the balances in a PHP array)
require __DIR__ . '/src/Cards.php';
header('Content-Type: application/json');
echo json_encode(['card' => $_GET['card'] ?? '', 'balance' => GiftCards\Cards::balance($_GET['card'] ?? '')]), "\n";
