<?php
// www-data's cron job: product photos the studio uploaded by WebDAV into
// img/studio/<day>/ are checked with ImageMagick's identify (argv) and, when
// big enough, published as img/products/<SKU>.jpg. State in
// /var/lib/shop-keepsake/studio-import.json.
$root = '/var/www/html';
$state = '/var/lib/shop-keepsake/studio-import.json';
$seen = is_file($state) ? json_decode(file_get_contents($state), true) : [];
$n = 0;
foreach (glob("$root/img/studio/*/*.jpg") ?: [] as $f) {
    $k = substr($f, strlen("$root/img/studio/"));
    if (isset($seen[$k]) && $seen[$k]['mtime'] === filemtime($f)) continue;
    $p = proc_open(['/usr/bin/identify', '-format', '%w %h %m', $f], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = trim(stream_get_contents($pipes[1]));
    stream_get_contents($pipes[2]);
    $rc = proc_close($p);
    [$w, $h, $fmt] = array_pad(explode(' ', $out), 3, '');
    $ok = $rc === 0 && $fmt === 'JPEG' && (int)$w >= 400 && (int)$h >= 400;
    $sku = strtoupper(preg_replace('/[^A-Za-z0-9-].*$/', '', basename($f, '.jpg')));
    if ($ok && $sku !== '') {
        @mkdir("$root/img/products", 0755, true);
        copy($f, "$root/img/products/$sku.jpg");
    }
    $seen[$k] = ['mtime' => filemtime($f), 'size' => "{$w}x{$h}", 'published' => $ok ? "img/products/$sku.jpg" : null];
    printf("%s %s %s %s\n", gmdate('c'), $k, $out ?: 'unreadable', $ok ? "-> img/products/$sku.jpg" : 'skipped');
    $n++;
}
file_put_contents($state, json_encode($seen, JSON_PRETTY_PRINT) . "\n");
if ($n === 0) printf("%s nothing new\n", gmdate('c'));
