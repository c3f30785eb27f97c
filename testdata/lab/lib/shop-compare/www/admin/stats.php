<?php
// Back office: traffic and comparison statistics for the marketing team
header('Content-Type: text/plain');
echo "comparisons saved: ", trim(shell_exec('ls /var/www/html/data/compare | wc -l')), "\n";
echo "requests in the current log: ", trim(shell_exec('wc -l < /var/www/logs/shop-access.log')), "\n";
echo "top pages:\n", shell_exec("awk '{print \$7}' /var/www/logs/shop-access.log | cut -d'?' -f1 | sort | uniq -c | sort -rn | head -n 5");
