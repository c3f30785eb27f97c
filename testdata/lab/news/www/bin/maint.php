<?php
// CLI: maintenance tasks (expire-sessions: session files older than 20 min; stats).
require dirname(__DIR__) . '/lib/bootstrap.php';
$task = $argv[1] ?? 'stats';
if ($task === 'expire-sessions') {
    foreach (glob(NR_ROOT . '/data/sessions/sess_*') ?: [] as $f) { if (filemtime($f) < time() - 1200) unlink($f); }
} else {
    printf("articles=%d comments=%d\n", count(nr_articles()), count(glob(NR_ROOT . '/data/comments/*') ?: []));
}
