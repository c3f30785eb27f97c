<?php
// the load balancer's probe: is the data volume there and not full
$df = shell_exec('df -P /srv/deskline 2>&1');
echo (strpos($df, '/') !== false) ? "ok\n" : "degraded\n";
