<?php
// The KB's web installer (kb 3.2): writes conf.local.php (site name, admin
// mail, cache lifetime) into the document root. Meant to be deleted after the
// first run; it never checks whether the KB is installed already, and it
// writes the form's values into PHP source without escaping them.
$target = dirname(__DIR__) . '/conf.local.php';
header('Content-Type: text/html; charset=utf-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    $w = is_writable(dirname(__DIR__)) ? 'writable' : 'NOT writable';
    echo "<h1>Team KB 3.2 setup</h1>\n<p>PHP " . PHP_VERSION . ", document root $w</p>\n";
    echo file_exists($target) ? "<p>conf.local.php exists: saving overwrites it</p>\n" : '';
    echo "<form method=post><input name=site_name><input name=admin_mail><input name=cache_ttl value=300><button>Save</button></form>\n";
    exit;
}
$site = $_POST['site_name'] ?? 'Team KB';
$mail = $_POST['admin_mail'] ?? 'root@localhost';
$ttl = (int)($_POST['cache_ttl'] ?? 300);
$src = "<?php\n// written by the KB installer on " . gmdate('Y-m-d\TH:i:s\Z') . "\n"
     . "define('KB_SITE_NAME', '$site');\n"
     . "define('KB_ADMIN_MAIL', '$mail');\n"
     . "define('KB_CACHE_TTL', $ttl);\n";
if (file_put_contents($target, $src) === false) {
    http_response_code(500);
    echo "cannot write $target\n";
    exit;
}
echo "<p>Saved. Delete install/ when you are done.</p>\n";
