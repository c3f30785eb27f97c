<?php
// Want list (release 2026.12.7): a record that is not in stock is noted with
// the customer's address; the buyers' digest lists the most wanted ones.
require __DIR__ . '/lib/needledrop.php';
require __DIR__ . '/lib/wantlist.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Your want list</h1><form method=post><input name=email>",
         "<input name=artist><input name=title><input type=submit value='Tell me when it is in'></form></body></html>\n";
    exit;
}
$email = (string)($_POST['email'] ?? '');
if (!filter_var($email, FILTER_VALIDATE_EMAIL)) { http_response_code(422); exit("e-mail address please\n"); }
nd_want_add($email, (string)($_POST['artist'] ?? ''), (string)($_POST['title'] ?? ''));
echo "noted: we mail you when it comes in\n";
