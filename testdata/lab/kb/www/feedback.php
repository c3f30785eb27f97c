<?php
// Reader feedback to the KB editors: mail() runs sendmail_path through
// /bin/sh -c.
require __DIR__ . '/inc/header.php';
kb_head('Feedback');
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $from = filter_var((string)($_POST['email'] ?? ''), FILTER_VALIDATE_EMAIL) ?: 'anonymous@kb.lab.local';
    mail('kb-editors@kb.lab.local', 'KB feedback', (string)($_POST['message'] ?? ''), "Reply-To: $from");
    echo "<p>Thank you.</p>\n";
} else {
    echo "<form method=\"post\"><input name=\"email\"><textarea name=\"message\"></textarea></form>\n";
}
require __DIR__ . '/inc/footer.php';
