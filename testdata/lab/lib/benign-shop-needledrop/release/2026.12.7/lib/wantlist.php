<?php
// Want list storage (release 2026.12.7): one CSV line per wish.
function nd_want_add(string $email, string $artist, string $title): void {
    $f = fopen(ND_DATA . '/wantlist.csv', 'a');
    flock($f, LOCK_EX);
    fputcsv($f, [gmdate('c'), $email, substr($artist, 0, 80), substr($title, 0, 80)]);
    fclose($f);
}
