<?php
// Admin: plugin updates. Downloads the plugin's release from the vendor's
// update server and unpacks it into plugins/ (PHP files written into the web
// root by www-data), the way many hand-made shops update.
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_ADMIN_TOKEN'] ?? '') !== 'lab-admin-session') { http_response_code(403); exit("forbidden\n"); }
$slug = preg_replace('/[^a-z]/', '', $_GET['update'] ?? '');
$ver = preg_replace('/[^0-9.]/', '', $_GET['version'] ?? '');
if ($slug === '' || $ver === '') { echo "installed: ", implode(' ', array_map('basename', glob(__DIR__ . '/../plugins/*'))), "\n"; exit; }
$tgz = "plugin-$slug.tgz";
exec("cd /tmp && curl -fsS -o $tgz http://127.0.0.1:8000/$slug-$ver.tgz && tar xzf $tgz -C /var/www/html/plugins && rm -f $tgz 2>&1", $out, $rc);
echo implode("\n", $out), "\nupdate $slug $ver rc=$rc\n";
