<?php
// Admin: maintenance buttons. "reindex" rebuilds the search index in the
// background (so the page returns at once), "purge" empties the preview
// cache, "version" shows the published articles' commit. Admin token in a header.
require_once __DIR__ . '/../../conf/settings.php';
if (($_SERVER['HTTP_X_KB_ADMIN'] ?? '') !== KB_ADMIN_TOKEN) {
    http_response_code(403);
    exit;
}
header('Content-Type: text/plain');
switch ($_GET['task'] ?? '') {
    case 'reindex':
        exec('nohup /usr/local/bin/kbindex rebuild > /var/log/kb/reindex.log 2>&1 &');
        echo "reindex started\n";
        break;
    case 'purge':
        exec('/usr/bin/find /srv/kb/www/cache /srv/kb/www/exports -type f -delete');
        echo "cache purged\n";
        break;
    case 'version':
        echo shell_exec('cd /srv/kb/www/published && git log -1 --format=%h 2>&1');
        break;
    default:
        http_response_code(400);
}
