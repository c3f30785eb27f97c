<?php
// Back office (runs in its own php-fpm pool as deploy)
require '/srv/shop-admin/config.php';
header('Content-Type: text/html');
$n = count(glob('/var/www/html/data/compare/*.php'));
echo "<h1>Back office</h1><p>saved comparisons: $n</p><p>payments: " . htmlspecialchars(PAYGATE_MERCHANT) . "</p>";
echo "<a href=stats.php>stats</a> <a href=export.php>export customers</a>";
