<?php
// POST /admin/imports.php (list=<csv>): a customer list from the sales team's
// spreadsheet, kept under var/uploads/ with the name it had on the staff's PC
// and queued for the workers (import:customers).
require __DIR__ . '/auth.php';
if (!isset($_FILES['list']) || $_FILES['list']['error'] !== UPLOAD_ERR_OK) {
    http_response_code(400);
    echo "list needed\n";
    exit;
}
$root = dirname(__DIR__);
$name = str_replace(['/', "\0"], '_', basename($_FILES['list']['name']));
$dst = "$root/var/uploads/" . date('His') . "-$name";
move_uploaded_file($_FILES['list']['tmp_name'], $dst);
chmod($dst, 0640);
require "$root/src/Queue.php";
$id = Shop\Queue::push($root, 'import:customers', ['path' => $dst, 'by' => 'backoffice']);
echo "queued import $id ($name)\n";
