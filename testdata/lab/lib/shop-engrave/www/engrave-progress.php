<?php
// The upload progress bar of engrave.php: PHP keeps the progress of a running
// (and, with cleanup off, a finished) upload in the visitor's session.
session_start();
header('Content-Type: application/json');
$k = ini_get('session.upload_progress.prefix') . 'engrave';
$p = $_SESSION[$k] ?? null;
if (!$p) { echo json_encode(array('state' => 'none')); exit; }
echo json_encode(array('state' => $p['done'] ? 'done' : 'uploading',
    'percent' => $p['content_length'] ? (int) round(100 * $p['bytes_processed'] / $p['content_length']) : 0));
