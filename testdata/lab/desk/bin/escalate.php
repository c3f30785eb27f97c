<?php
// Deskline: tickets open for too long are flagged for the team lead.
$old = 0;
foreach (file('/srv/deskline/data/tickets.csv', FILE_IGNORE_NEW_LINES) as $l) {
    $f = str_getcsv($l);
    if (($f[2] ?? '') === 'open' && (int)$f[0] < 1010) $old++;
}
echo "escalate: $old over SLA\n";
