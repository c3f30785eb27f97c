<?php
// Contact form: mail() pipes the message to sendmail_path (sh -c
// "/usr/sbin/sendmail -t -i" + the envelope sender below, a benign shell
// spawned by php-fpm); the envelope sender keeps bounces off www-data.
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $from = preg_replace('/[^A-Za-z0-9@._-]/', '', $_POST['email'] ?? 'anon@example.org');
    $body = substr($_POST['message'] ?? '', 0, 2000);
    $ok = mail('sales@shop.lab.local', 'Contact form', $body, "From: $from", '-fnoreply@shop.lab.local');
    echo $ok ? "thanks\n" : "mail failed\n";
    exit;
}
?>
<!doctype html><html><body><h1>Contact</h1>
<form method="post"><input name="email"><textarea name="message"></textarea>
<input type="submit"></form></body></html>
