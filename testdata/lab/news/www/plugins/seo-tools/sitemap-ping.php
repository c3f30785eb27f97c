<?php
// seo-tools 2.0.3: tells search engines about a new sitemap (disabled offline)
echo "ping disabled\n";
