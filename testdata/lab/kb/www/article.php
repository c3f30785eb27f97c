<?php
// One article (reads a file, runs nothing).
require __DIR__ . '/inc/header.php';
$id = preg_replace('/[^a-z0-9-]/', '', (string)($_GET['id'] ?? ''));
$f = KB_DATA . "/articles/$id.txt";
if ($id === '' || !is_file($f)) {
    http_response_code(404);
    kb_head('Not found');
    echo "<p>No such article.</p>\n";
} else {
    $text = (string)file_get_contents($f);
    kb_head(strtok($text, "\n"));
    echo '<article><pre>' . htmlspecialchars($text) . "</pre></article>\n";
}
require __DIR__ . '/inc/footer.php';
