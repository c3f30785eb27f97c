<?php
// Newsroom bootstrap: settings and the small library every page includes.
define('NR_ROOT', dirname(__DIR__));
require NR_ROOT . '/config/db.php';
require __DIR__ . '/jobs.php';
require __DIR__ . '/cache.php';
require __DIR__ . '/prefs.php';

function nr_articles() {
    $out = [];
    foreach (glob(NR_ROOT . '/data/articles/*.json') as $f) {
        $a = json_decode(file_get_contents($f), true);
        if ($a) { $a['id'] = basename($f, '.json'); $out[$a['id']] = $a; }
    }
    return $out;
}

// editors are signed in through the company SSO proxy, which sets this header
function nr_editor() {
    return hash_equals(NR_EDITOR_TOKEN, $_SERVER['HTTP_X_NEWSROOM_EDITOR'] ?? '');
}

function nr_require_editor() {
    if (!nr_editor()) { http_response_code(403); exit("editors only\n"); }
}

function nr_page($title, $body) {
    $p = nr_prefs();
    $theme = preg_replace('/[^a-z]/', '', $p['theme']);
    echo "<!doctype html><html class=\"$theme\"><head><title>" . htmlspecialchars($title) . " - Newsroom</title>",
         "<link rel=\"stylesheet\" href=\"/themes/newsroom/style.css\"></head><body>", $body,
         "<footer>Newsroom CMS 3.4</footer></body></html>\n";
}
