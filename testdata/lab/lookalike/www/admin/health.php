<?php
// Site health (diagnostics) page of the shop's admin area: what a support
// ticket asks for first. The hosting company's monitoring polls it as JSON
// (?format=json); the admin opens the HTML view (?full=1 adds the TLS
// certificate's expiry, read from the site's own HTTPS listener). Every
// check is a shell command, one shell_exec() each (sh -c from php-fpm).
require __DIR__ . '/auth.php';
$checks = [
    'user'   => 'id',
    'kernel' => 'uname -a',
    'disk'   => 'df -h /var/www/html',
    'php'    => 'php -v',
];
if (!empty($_GET['full'])) {
    $checks['tls'] = 'openssl s_client -connect 127.0.0.1:443 -servername shop.lab.local < /dev/null 2>/dev/null'
        . ' | openssl x509 -noout -enddate';
}
$out = [];
foreach ($checks as $name => $cmd) {
    $out[$name] = trim((string) shell_exec($cmd));
}
if (($_GET['format'] ?? '') === 'json') {
    header('Content-Type: application/json');
    echo json_encode(['status' => 'ok', 'checks' => $out]), "\n";
    exit;
}
echo "<!doctype html><html><body><h1>Site health</h1><dl>\n";
foreach ($out as $name => $v) {
    echo '<dt>', htmlspecialchars($name), '</dt><dd><pre>', htmlspecialchars($v), "</pre></dd>\n";
}
echo "</dl></body></html>\n";
