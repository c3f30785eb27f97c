<?php require __DIR__ . '/lib/boot.php';
// A customer opens a ticket (optionally with an attachment); the customer
// gets a confirmation mail from noreply@.
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { header('Location: /'); exit; }
$email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
if (!$email) { http_response_code(400); exit("email?\n"); }
$fh = fopen(DESK_DATA . '/next-id', 'c+'); flock($fh, LOCK_EX);
$id = (int)stream_get_contents($fh); if ($id < 1100) $id = 1100;
ftruncate($fh, 0); rewind($fh); fwrite($fh, (string)($id + 1)); flock($fh, LOCK_UN); fclose($fh);
$subject = substr(preg_replace('/[\r\n,]/', ' ', $_POST['subject'] ?? 'no subject'), 0, 120);
$att = desk_attach('attachment', DESK_WWW . "/attachments/$id", DESK_WWW . "/thumbs/$id.png");
file_put_contents(DESK_DATA . '/tickets.csv', "$id,$email,open,$subject," . ($att ? 'attachment' : '') . "\n", FILE_APPEND | LOCK_EX);
mail($email, "[Deskline #$id] $subject", "We received your request #$id and will answer soon.\n-- Deskline support",
     "From: Deskline <noreply@deskline.lab.local>", '-fnoreply@deskline.lab.local');
desk_log("ticket $id opened by $email");
echo "ticket $id\n";
