<?php
// The cafés' wholesale price lists (www-data's cron, PHP CLI): one CSV per
// café account with its own discount and the week's green-coffee surcharges,
// gzipped for the café portal. Slow by design of the old supplier API it
// once used (one café every few seconds); flock -n keeps a second run away.
$dir = '/var/lib/shop-roastery/pricelists';
@mkdir($dir, 0750, true);
$beans = ['ETH-YIRGA' => 31.40, 'COL-HUILA' => 24.90, 'BRA-CERRADO' => 19.80, 'KEN-NYERI' => 34.20, 'GUA-HUEHUE' => 26.10, 'ESPRESSO-HAUS' => 22.50];
$t0 = time();
for ($i = 1; $i <= 45; $i++) {
    $cafe = sprintf('cafe-%03d', $i);
    $disc = 0.08 + ($i % 5) * 0.01;
    $csv = "bean,kg_price_eur,discount\n";
    foreach ($beans as $b => $p) { $csv .= sprintf("%s,%.2f,%.2f\n", $b, $p * (1 - $disc), $disc); }
    file_put_contents("$dir/$cafe.csv.gz", gzencode($csv, 9));
    sleep(3);
}
printf("%s price lists for 45 cafés in %d s\n", date('c'), time() - $t0);
