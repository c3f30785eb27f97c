<?php require __DIR__ . '/lib/boot.php';
// A customer adds a reply (and an attachment) to an open ticket.
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); exit; }
$id = (int)($_POST['ticket'] ?? 0);
$row = ticket_row($id);
if (!$row || strcasecmp($row[1], $_POST['email'] ?? '') !== 0) { http_response_code(404); exit("no such ticket\n"); }
$n = count(glob(DESK_WWW . "/attachments/$id/replies/*")) + 1;
$att = desk_attach('attachment', DESK_WWW . "/attachments/$id/replies", DESK_WWW . "/thumbs/$id-r$n.png");
file_put_contents(DESK_DATA . "/replies-$id.txt", gmdate('c') . ' ' . str_replace("\n", ' ', $_POST['body'] ?? '') . ($att ? " [$att]" : '') . "\n", FILE_APPEND | LOCK_EX);
desk_log("reply on $id by {$row[1]}");
echo "ok\n";
