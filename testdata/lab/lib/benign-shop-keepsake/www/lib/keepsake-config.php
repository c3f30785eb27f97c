<?php
// Personalised keepsakes: the customers' artwork, the packing station's label
// printer, the newsletter's mail domain check, the back office token.
define('KEEPSAKE_DATA', '/var/lib/shop-keepsake');          // artwork and lists, outside the web root
define('LABEL_PRINTER_HOST', '127.0.0.1');                   // the Zebra at the packing bench (raw port 9100)
define('LABEL_PRINTER_PORT', 9100);
define('MX_RESOLVER', '127.0.0.1');                          // the hosting company's caching resolver
define('MX_RESOLVER_PORT', 5353);
define('SHOP_ADMIN_TOKEN', 'ks-2026-bo-41f');

function shop_admin_only() {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== SHOP_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}

// run ARGV: a helper program without a shell; [exit code, stdout + stderr]
function run(array $argv) {
    $p = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($p)) return [127, 'cannot run ' . $argv[0]];
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    return [proc_close($p), $out];
}
