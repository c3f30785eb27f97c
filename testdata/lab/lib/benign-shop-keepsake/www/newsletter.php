<?php
// Newsletter sign-up: the address's domain must have a mail server (an MX
// record, asked of the hosting company's resolver with dig; code from 2019),
// then a confirmation mail goes out.
require __DIR__ . '/lib/keepsake-config.php';
$email = filter_var(trim($_POST['email'] ?? ''), FILTER_VALIDATE_EMAIL);
if (!$email) { http_response_code(422); exit("please check your e-mail address\n"); }
$domain = substr(strrchr($email, '@'), 1);
$mx = [];
exec('dig +short +time=2 +tries=1 -p ' . MX_RESOLVER_PORT . ' @' . MX_RESOLVER . ' MX ' . escapeshellarg($domain), $mx, $rc);
$mx = array_values(array_filter($mx, fn($l) => preg_match('/^\d+ \S+\.$/', $l)));
if ($rc !== 0 || !$mx) { http_response_code(422); exit("we could not find a mail server for $domain - a typo?\n"); }
@mkdir(KEEPSAKE_DATA, 0750, true);
file_put_contents(KEEPSAKE_DATA . '/newsletter.csv', sprintf("%s,%s,%s\n", gmdate('c'), $email, $mx[0]), FILE_APPEND | LOCK_EX);
mail($email, 'Please confirm your subscription', "Click to confirm: https://shop.lab.local/newsletter.php?confirm=" . md5($email) . "\n",
     'From: news@shop.lab.local');
echo "thanks - please confirm the mail we sent to $email\n";
