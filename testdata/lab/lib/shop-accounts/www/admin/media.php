<?php
// Media settings: the image converter the product photos go through. The
// path may carry options (e.g. "/usr/bin/convert -limit memory 256MiB" on
// the small hosting plan), so only its first word is checked.
require __DIR__ . '/../lib/account.php';
require_admin();
$s = settings();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    header('Content-Type: text/plain');
    if (($_POST['action'] ?? '') === 'check') {
        exec($s['converter'] . ' -version 2>&1', $out, $rc);
        echo "converter: ", $s['converter'], "\nexit code $rc\n", implode("\n", array_slice($out, 0, 20)), "\n";
        exit;
    }
    $conv = trim($_POST['converter'] ?? $s['converter']);
    $bin = strtok($conv, ' ');
    if ($bin === false || !is_file($bin) || !is_executable($bin)) { http_response_code(422); echo "not an executable: $bin\n"; exit; }
    $size = preg_match('/^\d{2,4}x\d{2,4}$/', $_POST['thumb_size'] ?? '') ? $_POST['thumb_size'] : $s['thumb_size'];
    json_save(SETTINGS_FILE, ['converter' => $conv, 'thumb_size' => $size, 'changed' => date('c')]);
    echo "saved\n";
    exit;
}
echo "<h1>Media settings</h1><form method=post><input name=converter value='" . htmlspecialchars($s['converter']) . "'>";
echo "<input name=thumb_size value='" . htmlspecialchars($s['thumb_size']) . "'><button name=action value=save>Save</button>";
echo "<button name=action value=check>Check converter</button></form>";
