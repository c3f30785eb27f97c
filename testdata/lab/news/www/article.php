<?php
// One article (no process is started here).
require __DIR__ . '/lib/bootstrap.php';
$arts = nr_articles();
$id = preg_replace('/[^a-z0-9-]/', '', $_GET['id'] ?? '');
if (!isset($arts[$id])) { http_response_code(404); exit("no such article\n"); }
$a = $arts[$id];
nr_page($a['title'], '<h1>' . htmlspecialchars($a['title']) . '</h1><p>' . htmlspecialchars($a['body']) . '</p>');
