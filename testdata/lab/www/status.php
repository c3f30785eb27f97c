<?php
// Health probe used by the load balancer / kube-probe: runs date(1) through a
// shell, a pattern many real status pages have (benign shell from php-fpm).
header('Content-Type: text/plain');
echo "ok ", trim(shell_exec('date -u +%Y-%m-%dT%H:%M:%SZ')), "\n";
