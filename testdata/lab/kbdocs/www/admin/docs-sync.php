<?php
// Admin: pull the ops docs checkout up to the docs upstream. The checkout is
// root's (the runbooks hold sudo and restore procedures), so the pull runs
// through a sudo rule for svc-kb (/etc/sudoers.d/kb-docs). Admin token in a
// header.
require_once __DIR__ . '/../../conf/settings.php';
if (($_SERVER['HTTP_X_KB_ADMIN'] ?? '') !== KB_ADMIN_TOKEN) {
    http_response_code(403);
    exit;
}
header('Content-Type: text/plain');
exec('sudo -n /usr/bin/git -C /srv/kb/docs pull --ff-only origin main 2>&1', $out, $rc);
echo implode("\n", $out), "\nrc=$rc\n";
