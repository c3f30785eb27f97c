<?php
// Admin: clear the compiled template cache (a glob, so through the shell).
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_ADMIN_TOKEN'] ?? '') !== 'lab-admin-session') { http_response_code(403); exit("forbidden\n"); }
exec('rm -rf /var/www/html/cache/tpl/*', $out, $rc);
echo "cache cleared rc=$rc\n";
