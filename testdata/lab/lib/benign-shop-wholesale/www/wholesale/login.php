<?php
// Trade customers' login (PHP sessions, files in /var/lib/php/sessions)
require_once __DIR__ . '/../lib/wholesale.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><h1>Trade login</h1><form method=post><input name=account><input type=password name=password><input type=submit></form>\n";
    exit;
}
$acct = $_POST['account'] ?? '';
$a = wh_accounts()[$acct] ?? null;
if (!$a || !password_verify($_POST['password'] ?? '', $a['hash'])) {
    http_response_code(403);
    echo "wrong account or password\n";
    exit;
}
session_start();
session_regenerate_id(true);
$_SESSION['trade_account'] = ['id' => $acct, 'name' => $a['name'], 'email' => $a['email']];
echo "welcome {$a['name']}\n";
