<?php
// Back office: today's engraving orders and the laser batch queue.
if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== 'eg-2026-bo-7c1') { http_response_code(403); exit("forbidden\n"); }
header('Content-Type: text/plain');
echo "latest orders:\n", shell_exec('tail -n 8 /var/lib/shop-engrave/orders.csv');
echo "\nlaser queue: ", count(glob('/var/lib/shop-engrave/laser/*.pbm')), " files\n";
