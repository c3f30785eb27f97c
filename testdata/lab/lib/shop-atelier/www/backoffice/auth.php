<?php
require __DIR__ . '/../lib/atelier.php';
session_name('atelier_bo');
session_start();
function bo_log($what) {
    $line = sprintf("%s %s %s %s\n", gmdate('Y-m-d\TH:i:s\Z'), $_SERVER['REMOTE_ADDR'] ?? '-', $_SESSION['bo'] ?? '-', $what);
    file_put_contents(__DIR__ . '/../data/backoffice-access.log', $line, FILE_APPEND | LOCK_EX);
}
if (basename($_SERVER['SCRIPT_NAME']) !== 'login.php' && empty($_SESSION['bo'])) {
    header('Location: /backoffice/login.php');
    exit;
}
