<?php
// The door switch (www-data's crontab, every minute): at midnight (Berlin) the
// next door opens: advent.json's open_door is moved on and the page cache is
// told to drop the calendar. --dry-run: only say what would happen now and in
// the next days (the developer runs it under faketime to test the switch).
require '/var/www/html/lib/advent.php';
$dry = in_array('--dry-run', $argv, true);
$now = time();
$a = advent_load();
$door = advent_door_at($now);
$tz = new DateTimeZone('Europe/Berlin');
$when = (new DateTime('@' . $now))->setTimezone($tz)->format('Y-m-d H:i:s T');
if ($dry) {
    printf("now %s: door %d open (advent.json says %d)\n", $when, $door, $a['open_door'] ?? 0);
    for ($i = 1; $i <= 3; $i++) {
        $t = $now + 86400 * $i;
        $n = advent_door_at($t);
        $d = $a['doors'][(string)$n] ?? null;
        printf("  %s: door %d %s\n", (new DateTime('@' . $t))->setTimezone($tz)->format('Y-m-d'), $n,
            $d ? sprintf('%s at %.2f EUR', $d['sku'], $d['price']) : '(not filled yet)');
    }
    exit(0);
}
if (($a['open_door'] ?? 0) === $door) { exit(0); }
$a['open_door'] = $door;
$a['switched_at'] = gmdate('c');
advent_save($a);
$c = advent_ban('^/advent\.php');
printf("%s door %d open, cache ban %d\n", gmdate('c'), $door, $c);
