<?php
// seo-tools 2.1.0: tells search engines about a new sitemap (disabled offline)
echo "ping disabled\n";
