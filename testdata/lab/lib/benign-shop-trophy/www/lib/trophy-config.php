<?php
// Trophies & club engraving: the clubs' crests, the click & collect counter,
// the clubs' invoice accounts, the tax adviser's monthly delivery, the back
// office token.
define('TROPHY_DATA', '/var/lib/shop-trophy');              // uploads, invoices, lists: outside the web root
define('WHOIS_HOST', '127.0.0.1');                          // the registry's WHOIS (via the hosting company's relay)
define('WHOIS_PORT', 4343);
define('ACCOUNTANT_FTP', 'ftp://127.0.0.1:2121');           // Kanzlei Weber's upload server
define('ACCOUNTANT_USER', 'trophy-shop');
define('ACCOUNTANT_PASS', 'Kw-upload-7731');
define('ACCOUNTANT_ZIP_PASS', 'Weber-2026-Q4-zip');         // agreed with the tax adviser by phone
define('PICKUP_SECRET', 'pk-2026-3c1d9e');
define('SHOP_ADMIN_TOKEN', 'tr-2026-bo-7d2');

function shop_admin_only() {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== SHOP_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}

// run ARGV [ENV]: a helper program without a shell; [exit code, stdout + stderr]
function run(array $argv, ?array $env = null) {
    $p = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    if (!is_resource($p)) return [127, 'cannot run ' . $argv[0]];
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    return [proc_close($p), $out];
}
