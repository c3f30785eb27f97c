<?php
// The catalogue's search index (search/index.json in the web root), rebuilt
// in batches; --all walks every product family (slow: the engraving texts
// are tokenised per font). Run by the developer as www-data.
$families = ['cups', 'plates', 'medals', 'shields', 'glass', 'figures', 'ribbons', 'pins', 'keyrings', 'certificates'];
$idx = [];
$all = in_array('--all', $argv, true);
foreach ($all ? $families : array_slice($families, 0, 2) as $n => $f) {
    for ($i = 1; $i <= 12; $i++) {
        $sku = strtoupper(substr($f, 0, 3)) . '-' . sprintf('%03d', $i);
        foreach (["$f", "$f $i", "engraved $f", "club $f"] as $t) $idx[$t][] = $sku;
    }
    file_put_contents('/var/www/html/search/index.json.tmp', json_encode($idx) . "\n");
    rename('/var/www/html/search/index.json.tmp', '/var/www/html/search/index.json');
    printf("%s batch %d/%d %s: %d terms\n", gmdate('H:i:s'), $n + 1, $all ? count($families) : 2, $f, count($idx));
    sleep(6);
}
echo "reindex done\n";
