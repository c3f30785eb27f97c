<?php
require __DIR__ . '/../lib/account.php';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $email = strtolower(trim($_POST['email'] ?? ''));
    $pw = $_POST['password'] ?? '';
    if (!filter_var($email, FILTER_VALIDATE_EMAIL) || strlen($pw) < 8) { http_response_code(422); echo "invalid\n"; exit; }
    if (acct_find($email)) { http_response_code(409); echo "exists\n"; exit; }
    $all = json_load(ACCT_FILE);
    $all[] = ['email' => $email, 'name' => substr($_POST['name'] ?? '', 0, 80), 'role' => 'customer',
              'hash' => password_hash($pw, PASSWORD_DEFAULT), 'created' => date('c')];
    json_save(ACCT_FILE, $all);
    smtp_send($email, 'Welcome to Lab Shop', "Hello,\n\nyour account is ready: " . site_url() . "/account/login.php\n\nLab Shop\n");
    echo "registered\n";
    exit;
}
echo "<form method=post><input name=name><input name=email><input type=password name=password><input type=submit value=Register></form>";
