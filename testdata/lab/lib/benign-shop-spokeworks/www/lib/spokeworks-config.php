<?php
// Spokeworks (bike workshop + parts shop): workshop bookings, the carrier's
// bike-box quotes, the workshop tablet's photos, the back office's reports.
define('SW_DATA', '/var/lib/shop-spokeworks');               // bookings, photos in, statements: outside the web root
define('SW_LIB', '/usr/local/lib/shop-spokeworks');          // the CLI jobs (atd, cron)
define('SHOP_ADMIN_TOKEN', 'sw-2026-bo-7c2e');
define('BOOKING_SECRET', 'f3a9c1d2-spokeworks-booking-links');
define('CARRIER_API', 'http://127.0.0.1:9472/v2/quotes');    // the parcel carrier's rate API (bike boxes)
define('CARRIER_KEY', 'ck_live_5f2b9e0c77a14d3e');
define('CONFIRM_DELAY', 'now + 2 minutes');                  // the customer may cancel until the confirmation goes out

function shop_admin_only() {
    if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== SHOP_ADMIN_TOKEN) {
        http_response_code(403);
        exit("forbidden\n");
    }
}

function booking_key($id) {
    return substr(hash_hmac('sha256', $id, BOOKING_SECRET), 0, 16);
}

function booking_file($id) {
    return SW_DATA . '/bookings/' . preg_replace('/[^0-9a-f-]/', '', $id) . '.json';
}
