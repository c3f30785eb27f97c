<?php
// Atelier helpers: the shop's settings (the ini kept outside the web root and
// the back office's saved settings) and the developer's debug log.
function atelier_ini() {
    static $ini = null;
    if ($ini === null) { $ini = parse_ini_file('/srv/atelier/conf/atelier.ini', true) ?: []; }
    return $ini;
}

function atelier_settings() {
    static $s = null;
    if ($s === null) {
        $s = ['rates_url' => 'http://127.0.0.1:8311/eurofxref/daily.xml', 'banner' => '',
              'debug' => 0, 'debug_log' => '/var/log/atelier/debug.log'];
        $f = __DIR__ . '/../data/settings.json';
        if (is_file($f)) { $s = array_merge($s, json_decode((string) file_get_contents($f), true) ?: []); }
    }
    return $s;
}

function atelier_save_settings(array $new) {
    $f = __DIR__ . '/../data/settings.json';
    return file_put_contents($f, json_encode($new, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n", LOCK_EX);
}

// one line per request while the debug switch is on (the developer turns it
// on from the back office when a customer reports a problem)
function atelier_debug($msg) {
    $s = atelier_settings();
    if (empty($s['debug']) || empty($s['debug_log'])) { return; }
    $line = sprintf("[%s] %s %s %s \"%s\" %s\n", gmdate('Y-m-d\TH:i:s\Z'), $_SERVER['REMOTE_ADDR'] ?? '-',
        $_SERVER['REQUEST_METHOD'] ?? 'CLI', $_SERVER['REQUEST_URI'] ?? '-', $_SERVER['HTTP_USER_AGENT'] ?? '-', $msg);
    @file_put_contents($s['debug_log'], $line, FILE_APPEND | LOCK_EX);
}

function atelier_rates() {
    $out = [];
    $xml = @file_get_contents('/srv/atelier/conf/rates.xml');
    if ($xml && preg_match_all('/<rate currency="([A-Z]{3})">([0-9.]+)</', $xml, $m, PREG_SET_ORDER)) {
        foreach ($m as $r) { $out[$r[1]] = (float) $r[2]; }
    }
    return $out;
}

atelier_debug('page');
