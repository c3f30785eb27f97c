<?php
// Back office settings (deploy only)
define('PAYGATE_MERCHANT', 'labshop-4471');
define('PAYGATE_SECRET', 'pg_live_9c1e7a44b2d05f83e6a1');
define('NEWSLETTER_API_KEY', 'nl-2f6d0a9e55c1');
