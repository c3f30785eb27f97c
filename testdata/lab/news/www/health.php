<?php
// The load balancer's health probe: php-fpm workers of this pool and free disk.
header('Content-Type: text/plain');
$workers = (int) shell_exec("pgrep -c -f 'php-fpm: pool news'");
$free = (int) (disk_free_space('/var/www/news') / 1048576);
echo ($workers > 0 && $free > 50) ? "ok workers=$workers free_mb=$free\n" : "degraded\n";
