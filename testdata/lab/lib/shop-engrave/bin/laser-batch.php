<?php
// www-data's cron: every new engraving order's logo becomes a 1-bit PBM in the
// laser's queue (/var/lib/shop-engrave/laser/), 600 px, ordered by order time.
$store = '/var/lib/shop-engrave';
$n = 0;
foreach (glob("$store/logos/*.*") as $logo) {
    $id = pathinfo($logo, PATHINFO_FILENAME);
    $dst = "$store/laser/$id.pbm";
    if (is_file($dst)) continue;
    $p = proc_open(array('/usr/bin/convert', $logo, '-resize', '600x600', '-colorspace', 'Gray', '-threshold', '55%', $dst),
        array(1 => array('pipe', 'w'), 2 => array('pipe', 'w')), $pipes);
    if (!is_resource($p)) continue;
    stream_get_contents($pipes[1]); stream_get_contents($pipes[2]);
    if (proc_close($p) === 0) { $n++; }
}
if ($n) echo date('c'), " laser batch: $n new\n";
