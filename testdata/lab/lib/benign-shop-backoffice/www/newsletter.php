<?php
// POST /newsletter.php (email=...): a sign-up; the welcome mail is queued for
// the workers (mail:welcome), not sent in the request.
$email = $_POST['email'] ?? '';
if (!filter_var($email, FILTER_VALIDATE_EMAIL)) {
    http_response_code(422);
    echo "invalid address\n";
    exit;
}
require __DIR__ . '/src/Queue.php';
Shop\Queue::push(__DIR__, 'mail:welcome', ['email' => $email]);
echo "thanks, check your inbox\n";
