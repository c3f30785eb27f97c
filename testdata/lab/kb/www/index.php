<?php
// Home: the article list (reads files only, runs nothing).
require __DIR__ . '/inc/header.php';
kb_head('Home');
echo "<h1>Team knowledge base</h1><ul>\n";
foreach (glob(KB_DATA . '/articles/*.txt') as $f) {
    $id = basename($f, '.txt');
    $title = strtok((string)file_get_contents($f), "\n");
    echo '<li><a href="/article.php?id=' . urlencode($id) . '">' . htmlspecialchars($title) . "</a></li>\n";
}
echo "</ul>\n";
require __DIR__ . '/inc/footer.php';
