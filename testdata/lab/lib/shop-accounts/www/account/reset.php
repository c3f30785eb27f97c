<?php
require __DIR__ . '/../lib/account.php';
$token = $_POST['token'] ?? ($_GET['token'] ?? '');
$h = hash('sha256', $token);
$resets = json_load(RESET_FILE);
$hit = null;
foreach ($resets as $i => $r) { if (hash_equals($r['token'], $h) && $r['expires'] > time()) $hit = $i; }
if ($hit === null) { http_response_code(410); echo "This link has expired.\n"; exit; }
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $pw = $_POST['password'] ?? '';
    if (strlen($pw) < 8) { http_response_code(422); echo "too short\n"; exit; }
    acct_update($resets[$hit]['email'], ['hash' => password_hash($pw, PASSWORD_DEFAULT), 'pw_changed' => date('c')]);
    unset($resets[$hit]);
    json_save(RESET_FILE, array_values($resets));
    echo "password changed\n";
    exit;
}
echo "<form method=post><input type=hidden name=token value='" . htmlspecialchars($token) . "'><input type=password name=password><input type=submit value='Set password'></form>";
