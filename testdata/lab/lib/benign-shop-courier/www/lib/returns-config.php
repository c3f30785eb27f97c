<?php
// Returns and integrations (the carrier's API, the ERP through www-data's
// ssh tunnel, the back office token). Read by returns.php and admin/*.php.
define('CARRIER_API', 'http://127.0.0.1:9351/v1');
define('CARRIER_API_KEY', 'ck_live_7Qm2rT9vXw4nLp8s');
define('ERP_STOCK_URL', 'http://127.0.0.1:15432/stock.json');   // www-data's ssh -L tunnel to the ERP
define('SHOP_ADMIN_TOKEN', 'rt-2026-bo-8c4');

function shop_admin_only() {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== SHOP_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}
