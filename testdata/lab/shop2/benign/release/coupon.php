<?php
// Coupon check (release 2026.12): ?code= -> the discount, from lib/Coupon.php
require __DIR__ . '/config.php';
require __DIR__ . '/lib/Coupon.php';
header('Content-Type: application/json');
echo json_encode(['code' => $_GET['code'] ?? '', 'discount' => Coupon::discount($_GET['code'] ?? '')]), "\n";
