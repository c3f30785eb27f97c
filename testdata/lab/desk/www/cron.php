<?php require __DIR__ . '/lib/boot.php';
// pseudo-cron, hit by the uptime monitor: imports the support mailbox and
// escalates tickets past their SLA (both PHP CLI jobs of the app)
echo shell_exec('php /srv/deskline/bin/fetchmail.php 2>&1');
echo shell_exec('php /srv/deskline/bin/escalate.php 2>&1');
