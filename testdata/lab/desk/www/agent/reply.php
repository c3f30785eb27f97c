<?php require dirname(__DIR__) . '/lib/boot.php'; need_agent();
// an agent answers a ticket: the answer is mailed to the customer from support@
$id = (int)($_POST['ticket'] ?? 0);
$row = ticket_row($id);
if (!$row) { http_response_code(404); exit("no such ticket\n"); }
mail($row[1], "Re: [Deskline #$id] {$row[3]}", ($_POST['body'] ?? '') . "\n-- Deskline support",
     "From: Deskline support <support@deskline.lab.local>", '-fsupport@deskline.lab.local');
file_put_contents(DESK_DATA . "/replies-$id.txt", gmdate('c') . ' agent: ' . str_replace("\n", ' ', $_POST['body'] ?? '') . "\n", FILE_APPEND | LOCK_EX);
echo "sent\n";
