<?php
require __DIR__ . '/reviews.php';
header('Content-Type: text/plain');
echo reviews_stars(preg_replace('/[^A-Z0-9-]/', '', $_GET['sku'] ?? 'MUG-1')), "\n";
