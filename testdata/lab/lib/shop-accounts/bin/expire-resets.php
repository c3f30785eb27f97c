<?php
// www-data's cron: drop expired password reset tokens
require '/var/www/html/lib/account.php';
$r = json_load(RESET_FILE);
$keep = array_values(array_filter($r, function ($x) { return $x['expires'] > time(); }));
if (count($keep) !== count($r)) json_save(RESET_FILE, $keep);
