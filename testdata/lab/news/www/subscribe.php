<?php
// Newsletter sign-up: a confirmation mail through mail() (sendmail_path:
// sh -c "/usr/sbin/sendmail -t -i").
require __DIR__ . '/lib/bootstrap.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); exit; }
$to = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
if (!$to) { http_response_code(400); exit("bad address\n"); }
$ok = mail($to, 'Confirm your Newsroom subscription', "Click to confirm: http://news.lab.local/confirm?t=" . bin2hex(random_bytes(8)), 'From: newsletter@news.lab.local');
echo $ok ? "check your inbox\n" : "mail failed\n";
