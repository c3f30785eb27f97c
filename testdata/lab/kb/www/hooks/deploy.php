<?php
// CI deploy hook: pull the published articles' repository (a shell).
require_once __DIR__ . '/../../conf/settings.php';
if (($_SERVER['HTTP_X_DEPLOY_TOKEN'] ?? '') !== KB_DEPLOY_TOKEN) {
    http_response_code(403);
    exit;
}
header('Content-Type: text/plain');
echo shell_exec('cd /srv/kb/www/published && git pull --ff-only 2>&1');
