<?php
require __DIR__ . '/../lib/account.php';
session_user();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $email = strtolower(trim($_POST['email'] ?? ''));
    $pw = $_POST['password'] ?? '';
    $acct = acct_find($email);
    $ok = $acct && password_verify($pw, $acct['hash']);
    if (!$ok) { http_response_code(403); echo "wrong e-mail address or password\n"; exit; }
    session_regenerate_id(true);
    $_SESSION['user'] = ['email' => $acct['email'], 'role' => $acct['role']];
    acct_update($email, ['last_login' => date('c')]);
    $next = $_GET['next'] ?? ($acct['role'] === 'admin' ? '/admin/' : '/account/');
    echo "welcome " . htmlspecialchars($acct['email']) . " -> " . htmlspecialchars($next) . "\n";
    exit;
}
echo "<form method=post><input name=email><input type=password name=password><input type=submit value=Login></form> <a href=forgot.php>Forgot your password?</a>";
