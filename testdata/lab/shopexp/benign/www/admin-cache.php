<?php
// Staff / CI: flush the caches after a catalog change or a release. Runs the
// admin's helper (SUID root: it reloads nginx so the cached pages go).
if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== 'ops-7f3a91') { http_response_code(403); exit; }
exec('/usr/local/bin/shop-cachectl 2>&1', $out, $rc);
header('Content-Type: text/plain');
echo implode("\n", $out), "\n";
