<?php
// Reader comments: stored for moderation, the moderators get a mail.
require __DIR__ . '/lib/bootstrap.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); exit; }
$id = preg_replace('/[^a-z0-9-]/', '', $_POST['article'] ?? '');
$text = substr($_POST['text'] ?? '', 0, 2000);
@mkdir(NR_ROOT . '/data/comments', 0755, true);
file_put_contents(NR_ROOT . "/data/comments/$id-" . time() . '-' . bin2hex(random_bytes(3)) . '.txt', $text);
$ok = mail('moderators@news.lab.local', "New comment on $id", $text, 'From: comments@news.lab.local');
echo $ok ? "awaiting moderation\n" : "mail failed\n";
