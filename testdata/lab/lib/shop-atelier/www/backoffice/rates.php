<?php
require __DIR__ . '/auth.php';
$s = atelier_settings();
$msg = '';
if (isset($_GET['refresh'])) {
    // the settings folder is root's: the rates file is fetched with sudo (see /etc/sudoers.d/atelier)
    exec('sudo -n /usr/bin/wget -q -O /srv/atelier/conf/rates.xml ' . escapeshellarg($s['rates_url']) . ' 2>&1', $out, $rc);
    $msg = $rc === 0 ? 'rates refreshed' : 'refresh failed (' . $rc . ')';
    bo_log('rates refresh rc=' . $rc);
}
header('Content-Type: text/html; charset=utf-8');
echo "<h1>Exchange rates (EUR)</h1><p>" . htmlspecialchars($msg) . "</p><table>";
foreach (atelier_rates() as $c => $r) { echo "<tr><td>$c</td><td>" . number_format($r, 4) . "</td></tr>"; }
echo "</table>\n";
