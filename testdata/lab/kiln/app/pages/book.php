<?php
// a booking: one line in bookings.csv and a confirmation mail (PHP's mail(): sendmail_path through sh -c)
if ($_SERVER['REQUEST_METHOD'] !== 'POST') { http_response_code(405); return; }
$class = preg_replace('/[^a-z0-9-]/', '', $_POST['class'] ?? '');
$name = trim($_POST['name'] ?? ''); $email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
if (!$class || !$name || !$email) { http_response_code(400); page('Booking', '<p>Please give your name and e-mail.</p>'); return; }
$fh = fopen(KILN . '/data/bookings.csv', 'a');
fputcsv($fh, [gmdate('c'), $class, $name, $email]); fclose($fh);
mail($email, "Your Kilnworks booking: $class", "Hello $name,\n\nyou are booked on $class. See you at the studio!\n",
     "From: " . kiln_ini()['mail']['from']);
page('Booked', '<p>Thank you, ' . h($name) . '. A confirmation is on its way.</p>');
