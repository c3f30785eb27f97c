<?php
// Deskline: the knowledge base's word index (deskline's crontab, every minute)
$idx = [];
foreach (glob('/srv/deskline/data/kb/*.txt') as $f) {
    $w = array_unique(str_word_count(strtolower(file_get_contents($f)), 1));
    $idx[basename($f, '.txt')] = array_values($w);
}
file_put_contents('/srv/deskline/data/search-index.json.tmp', json_encode($idx));
rename('/srv/deskline/data/search-index.json.tmp', '/srv/deskline/data/search-index.json');
echo count($idx) . " articles indexed\n";
