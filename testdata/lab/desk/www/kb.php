<?php require __DIR__ . '/lib/boot.php';
$a = preg_replace('/[^a-z0-9-]/', '', $_GET['a'] ?? '');
$q = trim($_GET['q'] ?? '');
echo "<!doctype html><title>Knowledge base</title>\n";
if ($a !== '' && is_file(DESK_DATA . "/kb/$a.txt")) {
    echo '<article><pre>' . htmlspecialchars(file_get_contents(DESK_DATA . "/kb/$a.txt")) . "</pre></article>\n";
} elseif ($q !== '') {
    $idx = @json_decode(@file_get_contents(DESK_DATA . '/search-index.json'), true) ?: [];
    foreach ($idx as $slug => $words) {
        if (in_array(strtolower($q), $words, true)) echo "<a href=\"/kb.php?a=$slug\">$slug</a><br>\n";
    }
} else {
    foreach (glob(DESK_DATA . '/kb/*.txt') as $f) { $s = basename($f, '.txt'); echo "<a href=\"/kb.php?a=$s\">$s</a><br>\n"; }
}
