<?php
// Health probe for the load balancer
header('Content-Type: text/plain');
echo "ok ", trim((string)shell_exec('/usr/bin/uptime')), "\n";
