<?php
// Full-text search through the index helper (proc_open with an argv array:
// no shell).
require __DIR__ . '/inc/header.php';
$q = trim((string)($_GET['q'] ?? ''));
kb_head('Search');
echo "<form><input name=\"q\" value=\"" . htmlspecialchars($q) . "\"></form>\n";
if ($q !== '') {
    $p = proc_open(['/usr/local/bin/kbindex', 'query', $q], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $hits = stream_get_contents($pipes[1]);
    stream_get_contents($pipes[2]);
    proc_close($p);
    echo '<pre>' . htmlspecialchars($hits) . "</pre>\n";
}
require __DIR__ . '/inc/footer.php';
