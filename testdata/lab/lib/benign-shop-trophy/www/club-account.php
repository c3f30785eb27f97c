<?php
// Invoice accounts for clubs: a club orders on account once its domain is
// checked (WHOIS: registered, and not just days ago - the fraud team's rule
// after the 2025 fake-club orders); new accounts go to sales by mail.
require __DIR__ . '/lib/trophy-config.php';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    echo "<!doctype html><html><body><h1>Order on account</h1><form method=post><input name=club><input name=domain>",
         "<input name=email><input name=vat><input type=submit></form></body></html>\n";
    exit;
}
$club = substr(trim($_POST['club'] ?? ''), 0, 80);
$domain = strtolower(trim($_POST['domain'] ?? ''));
$email = filter_var(trim($_POST['email'] ?? ''), FILTER_VALIDATE_EMAIL);
if ($club === '' || !$email || !preg_match('/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/', $domain)) {
    http_response_code(422);
    exit("please check the club's web address and e-mail\n");
}
exec('whois -h ' . WHOIS_HOST . ' -p ' . WHOIS_PORT . ' ' . escapeshellarg($domain) . ' 2>&1', $w, $rc);
$w = implode("\n", $w);
if ($rc !== 0 || preg_match('/^Status:\s*free/mi', $w)) { http_response_code(422); exit("$domain does not seem to be registered\n"); }
$changed = preg_match('/^Changed:\s*(\S+)/mi', $w, $m) ? strtotime($m[1]) : 0;
$review = $changed && $changed > time() - 30 * 86400;
@mkdir(TROPHY_DATA, 0750, true);
file_put_contents(TROPHY_DATA . '/club-accounts.csv', sprintf("%s,%s,%s,%s,%s\n", gmdate('c'), str_replace(',', ' ', $club), $domain, $email,
    $review ? 'review' : 'ok'), FILE_APPEND | LOCK_EX);
mail('sales@trophy.lab.local', ($review ? '[REVIEW] ' : '') . "Invoice account: $club", "Club: $club\nDomain: $domain\nE-mail: $email\nVAT: "
     . substr($_POST['vat'] ?? '', 0, 20) . "\n", 'From: shop@trophy.lab.local');
echo $review ? "thanks - we check new clubs by hand, you will hear from us today\n" : "thanks - your invoice account is active\n";
