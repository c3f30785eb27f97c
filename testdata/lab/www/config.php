<?php
define('SHOP_NAME', 'Lab Shop');
define('DB_DSN', 'mysql:host=10.0.0.5;dbname=shop');   // not used in the lab
define('DB_USER', 'shop');
define('DB_PASS', 'S3cr3t-lab-only');
