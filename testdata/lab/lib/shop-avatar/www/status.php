<?php
// Health probe used by the load balancer / kube-probe. Since the pool's
// 2026-11 hardening (disable_functions: exec() and friends) the date comes
// from PHP itself, not from date(1) through a shell.
header('Content-Type: text/plain');
echo "ok ", gmdate('Y-m-d\TH:i:s\Z'), "\n";
