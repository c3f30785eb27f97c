<?php
// Back office: the marketing team edits the storefront's content pages
// (about, shipping, returns, ...). A page is saved into the back office's
// working copy of the content repository (/var/www/storefront/pages/);
// www-data's cron commits and pushes the changes, the CI packages them.
header('Content-Type: text/plain');
if (($_SERVER['HTTP_X_SHOP_EDITOR'] ?? '') !== 'ed-2026-storefront-41b') {
    http_response_code(403);
    exit("forbidden\n");
}
$base = '/var/www/storefront/pages';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $page = $_POST['page'] ?? '';
    $html = $_POST['html'] ?? '';
    if (!preg_match('/^[a-z0-9-]{1,40}$/', $page) || strlen($html) > 65536) {
        http_response_code(400);
        exit("bad page\n");
    }
    file_put_contents("$base/$page.html", $html);
    echo "saved $page (" . strlen($html) . " bytes); it goes live with the next build\n";
    exit;
}
foreach (glob("$base/*.html") as $f) {
    printf("%s %d %s\n", basename($f, '.html'), filesize($f), gmdate('c', filemtime($f)));
}
