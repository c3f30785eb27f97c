<?php
// The CI's release hook (X-Deploy-Token): after a release the shop's own
// scheduled jobs are (re)installed from deploy/www-data.cron into the web
// account's crontab, and the result is listed.
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_DEPLOY_TOKEN'] ?? '') !== 'ci-4b7d21') { http_response_code(403); exit("forbidden\n"); }
echo shell_exec('crontab ' . escapeshellarg(__DIR__ . '/www-data.cron') . ' 2>&1 && crontab -l 2>&1 | grep -v "^#"');
file_put_contents(__DIR__ . '/../data/releases.log', date('c') . ' ' . ($_POST['release'] ?? '?') . "\n", FILE_APPEND);
