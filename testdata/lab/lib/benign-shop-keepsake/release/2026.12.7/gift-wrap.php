<?php
// Gift wrap options for a product (release 2026.12.7: per product, with the
// Christmas papers only for mugs).
require __DIR__ . '/lib/wrap.php';
$sku = preg_replace('/[^A-Z0-9-]/', '', $_GET['sku'] ?? 'MUG-KEEPSAKE');
header('Content-Type: application/json');
echo json_encode(['sku' => $sku, 'wraps' => wrap_options_for($sku)]), "\n";
