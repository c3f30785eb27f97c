<?php require dirname(__DIR__) . '/lib/boot.php'; need_admin();
// plugin install/update from the vendor's marketplace (the company mirror)
global $DESK;
$name = preg_replace('/[^a-z0-9-]/', '', $_POST['plugin'] ?? '');
$ver = preg_replace('/[^0-9.]/', '', $_POST['version'] ?? '');
if ($name === '' || $ver === '') { http_response_code(400); exit; }
$zip = @file_get_contents($DESK['plugins']['mirror'] . "/$name-$ver.zip");
if ($zip === false) { http_response_code(502); exit("download failed\n"); }
$tmp = tempnam('/tmp', 'dlp'); file_put_contents($tmp, $zip);
echo shell_exec('/usr/bin/unzip -o -q ' . $tmp . ' -d /srv/deskline/www/plugins 2>&1');
unlink($tmp);
desk_log("plugin $name $ver installed");
echo "installed $name $ver\n";
