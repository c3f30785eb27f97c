<?php
// Translations: the translators' .po files, compiled with msgfmt into locale/.
require __DIR__ . '/../lib/returns-config.php';
shop_admin_only();
$lang = preg_replace('/[^a-z_A-Z]/', '', $_POST['lang'] ?? '');
if ($lang === '' || ($_FILES['po']['error'] ?? 1) !== UPLOAD_ERR_OK) { http_response_code(400); exit("lang and po please\n"); }
$po = __DIR__ . "/../data/i18n/$lang.po";
@mkdir(dirname($po), 0750, true);
move_uploaded_file($_FILES['po']['tmp_name'], $po);
$mo = __DIR__ . "/../locale/$lang/LC_MESSAGES";
@mkdir($mo, 0755, true);
$p = proc_open(['/usr/bin/msgfmt', '--check', '--statistics', '-o', "$mo/shop.mo", $po], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
$rc = proc_close($p);
if ($rc !== 0) http_response_code(422);
echo trim($out), "\n";
