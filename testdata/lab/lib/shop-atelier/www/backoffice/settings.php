<?php
require __DIR__ . '/auth.php';
$s = atelier_settings();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $new = [
        'rates_url' => (string) ($_POST['rates_url'] ?? $s['rates_url']),
        'banner'    => substr((string) ($_POST['banner'] ?? ''), 0, 200),
        'debug'     => empty($_POST['debug']) ? 0 : 1,
        'debug_log' => trim((string) ($_POST['debug_log'] ?? $s['debug_log'])),
    ];
    atelier_save_settings($new);
    bo_log('settings saved (debug=' . $new['debug'] . ')');
    echo "saved\n";
    exit;
}
header('Content-Type: text/html; charset=utf-8');
?>
<!doctype html><html><body><h1>Settings</h1><form method="post">
Rates URL <input name="rates_url" value="<?= htmlspecialchars($s['rates_url']) ?>"><br>
Banner <input name="banner" value="<?= htmlspecialchars($s['banner']) ?>"><br>
Debug log <input type="checkbox" name="debug" value="1"<?= $s['debug'] ? ' checked' : '' ?>>
file <input name="debug_log" value="<?= htmlspecialchars($s['debug_log']) ?>"><br>
<input type="submit" value="Save"></form></body></html>
