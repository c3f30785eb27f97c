<?php
// Loaded before every PHP CLI script on this host (auto_prepend_file in
// /etc/php/8.2/cli/conf.d/99-shop-cli.ini): the shop's CLI environment.
date_default_timezone_set('Europe/Berlin');
if (!defined('SHOP_ENV')) define('SHOP_ENV', 'production');
ini_set('error_log', '/var/log/shop-cli.log');
