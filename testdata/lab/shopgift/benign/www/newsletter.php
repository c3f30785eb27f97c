<?php
// Newsletter sign-up: the address goes into the queue the mailer job sends from.
$email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
if (!$email) { http_response_code(400); exit("email?\n"); }
file_put_contents(__DIR__ . '/data/newsletter-queue.csv', $email . ',' . gmdate('c') . "\n", FILE_APPEND | LOCK_EX);
echo "Thanks! Check your inbox.\n";
