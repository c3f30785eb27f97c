<?php
// CLI: rebuilds the search index (started in the background by admin/reindex.php).
require dirname(__DIR__) . '/lib/bootstrap.php';
$idx = [];
foreach (nr_articles() as $id => $a) {
    $idx[$id] = array_values(array_unique(preg_split('/[^a-z0-9]+/', strtolower($a['title'] . ' ' . $a['body']), -1, PREG_SPLIT_NO_EMPTY)));
    usleep(300000);
}
file_put_contents(NR_ROOT . '/data/search-index.json', json_encode($idx));
