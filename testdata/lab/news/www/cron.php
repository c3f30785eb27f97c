<?php
// Pseudo-cron (like WordPress's wp-cron.php): the uptime monitor hits it
// every minute; it runs the sitemap and the session expiry with the CLI.
require __DIR__ . '/lib/bootstrap.php';
header('Content-Type: text/plain');
exec('php ' . NR_ROOT . '/bin/sitemap.php 2>&1', $o1, $rc1);
exec('php ' . NR_ROOT . '/bin/maint.php expire-sessions 2>&1', $o2, $rc2);
echo "sitemap rc=$rc1 sessions rc=$rc2\n";
