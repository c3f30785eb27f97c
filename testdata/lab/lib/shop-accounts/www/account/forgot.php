<?php
// Password recovery: a one-time link (valid 1 h) by mail
require __DIR__ . '/../lib/account.php';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $email = strtolower(trim($_POST['email'] ?? ''));
    if ($acct = acct_find($email)) {
        $token = bin2hex(random_bytes(16));
        $resets = array_filter(json_load(RESET_FILE), function ($r) use ($email) { return $r['email'] !== $email && $r['expires'] > time(); });
        $resets[] = ['email' => $email, 'token' => hash('sha256', $token), 'expires' => time() + 3600];
        json_save(RESET_FILE, array_values($resets));
        smtp_send($email, 'Reset your Lab Shop password',
            "Hello,\n\nsomeone asked to reset the password of your Lab Shop account.\n" .
            "Choose a new password here (valid for one hour):\n\n" . site_url() . "/account/reset.php?token=$token\n\n" .
            "If it was not you, ignore this mail.\n\nLab Shop\n");
    }
    echo "If the address is registered, we sent a link to it.\n";
    exit;
}
echo "<form method=post><input name=email placeholder='Your e-mail address'><input type=submit value='Send link'></form>";
