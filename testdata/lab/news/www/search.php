<?php
// Search in the index that bin/reindex.php builds (pure PHP).
require __DIR__ . '/lib/bootstrap.php';
$q = strtolower(trim($_GET['q'] ?? ''));
$idx = @json_decode(@file_get_contents(NR_ROOT . '/data/search-index.json'), true) ?: [];
$hits = [];
foreach ($idx as $id => $words) { if ($q !== '' && in_array($q, $words, true)) $hits[] = $id; }
nr_page('Search', '<p>' . count($hits) . ' results for ' . htmlspecialchars($q) . '</p><p>' . htmlspecialchars(implode(', ', $hits)) . '</p>');
