<?php
// Shipping rules: the staff upload a rule as a small PHP file (the agency
// writes them); it is linted with php -l before it goes live in custom/rules/.
require __DIR__ . '/../lib/returns-config.php';
shop_admin_only();
$dir = __DIR__ . '/../custom/rules';
@mkdir($dir, 0755, true);
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    header('Content-Type: text/plain');
    foreach (glob("$dir/*.php") as $f) echo basename($f), ' ', filesize($f), "\n";
    exit;
}
$name = preg_replace('/[^a-z0-9-]/', '', strtolower(pathinfo($_FILES['rule']['name'] ?? '', PATHINFO_FILENAME)));
if ($name === '' || ($_FILES['rule']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("no rule\n"); }
$tmp = "$dir/.upload-$name.php";
move_uploaded_file($_FILES['rule']['tmp_name'], $tmp);
$p = proc_open(['/usr/bin/php', '-l', $tmp], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) { unlink($tmp); http_response_code(422); exit("lint failed: " . trim($out) . "\n"); }
rename($tmp, "$dir/$name.php");
echo "live: custom/rules/$name.php\n";
