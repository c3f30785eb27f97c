<?php
// Deploy webhook (called by the CI server): pulls the site content repository
// as www-data (benign git spawned by php-fpm, writes under the web root).
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_DEPLOY_TOKEN'] ?? '') !== 'lab-deploy-token') { http_response_code(403); exit("forbidden\n"); }
exec('cd /var/www/html/site && git pull --ff-only 2>&1', $out, $rc);
echo implode("\n", $out), "\nrc=$rc\n";
