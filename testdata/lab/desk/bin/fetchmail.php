<?php
// Deskline: imports the support mailbox (the lab's: a spool directory that
// stays empty) and records the run.
$n = 0;
foreach (glob('/srv/deskline/data/inbox/*.eml') ?: [] as $f) { $n++; rename($f, $f . '.done'); }
file_put_contents('/var/log/deskline/app.log', gmdate('c') . " fetchmail: $n new\n", FILE_APPEND | LOCK_EX);
echo "fetchmail: $n new\n";
