<?php
// Customer accounts (hand-made): accounts and settings as JSON files in
// data/ (the vhost denies /data/), PHP sessions for the login, account mails
// through the mail relay by SMTP (the hosting package's relay on 127.0.0.1:2525).
require_once __DIR__ . '/../config.php';
define('ACCT_FILE', __DIR__ . '/../data/accounts.json');
define('RESET_FILE', __DIR__ . '/../data/password-resets.json');
define('SETTINGS_FILE', __DIR__ . '/../data/settings.json');
define('MAIL_RELAY', '127.0.0.1');
define('MAIL_RELAY_PORT', 2525);
define('MAIL_FROM', 'no-reply@shop.lab.local');

function json_load($f) {
    $d = is_file($f) ? json_decode(file_get_contents($f), true) : null;
    return is_array($d) ? $d : [];
}
function json_save($f, $d) {
    $tmp = $f . '.' . getmypid() . '.tmp';
    file_put_contents($tmp, json_encode($d, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
    rename($tmp, $f);
}
function acct_find($email) {
    $email = strtolower(trim($email));
    foreach (json_load(ACCT_FILE) as $a) {
        if ($a['email'] === $email) return $a;
    }
    return null;
}
function acct_update($email, $fields) {
    $all = json_load(ACCT_FILE);
    foreach ($all as $i => $a) {
        if ($a['email'] === strtolower($email)) $all[$i] = array_merge($a, $fields);
    }
    json_save(ACCT_FILE, $all);
}
function settings() {
    return array_merge(['converter' => '/usr/bin/convert', 'thumb_size' => '400x400'], json_load(SETTINGS_FILE));
}
// the shop runs behind the hosting package's CDN, which passes the public
// host name in X-Forwarded-Host; links in mails are built from it
function site_url() {
    $host = $_SERVER['HTTP_X_FORWARDED_HOST'] ?? ($_SERVER['HTTP_HOST'] ?? 'shop.lab.local');
    return 'http://' . $host;
}
function smtp_send($to, $subject, $body) {
    $s = @fsockopen(MAIL_RELAY, MAIL_RELAY_PORT, $en, $es, 5);
    if (!$s) { error_log("smtp: $es"); return false; }
    $rd = function () use ($s) { $l = ''; while (($x = fgets($s, 512)) !== false) { $l = $x; if ($x[3] === ' ') break; } return (int)substr($l, 0, 3); };
    $cmd = function ($c) use ($s, $rd) { fwrite($s, $c . "\r\n"); return $rd(); };
    $rd();
    $cmd('EHLO shop.lab.local');
    $cmd('MAIL FROM:<' . MAIL_FROM . '>');
    if ($cmd('RCPT TO:<' . $to . '>') >= 400) { fclose($s); return false; }
    $cmd('DATA');
    $msg = "From: Lab Shop <" . MAIL_FROM . ">\r\nTo: <$to>\r\nSubject: $subject\r\nDate: " . date('r') .
           "\r\nMessage-ID: <" . bin2hex(random_bytes(8)) . "@shop.lab.local>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" .
           str_replace("\n.", "\n..", str_replace("\r\n", "\n", $body));
    $ok = $cmd(str_replace("\n", "\r\n", $msg) . "\r\n.") < 400;
    $cmd('QUIT');
    fclose($s);
    return $ok;
}
function session_user() {
    session_name('shopsid');
    session_start();
    return $_SESSION['user'] ?? null;
}
function require_admin() {
    $u = session_user();
    if (!$u || ($u['role'] ?? '') !== 'admin') { header('Location: /account/login.php?next=' . urlencode($_SERVER['REQUEST_URI'])); http_response_code(302); exit; }
    return $u;
}
