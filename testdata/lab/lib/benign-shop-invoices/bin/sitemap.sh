#!/bin/sh
# www-data's cron: the shop's sitemap.xml from the catalogue and its photos
set -e
cd /var/www/html
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
  for p in / /products.php /contact.php; do echo "  <url><loc>https://shop.lab.local$p</loc></url>"; done
  cut -d, -f1 data/products.csv | sed -e 's/ /+/g' | awk '{ print "  <url><loc>https://shop.lab.local/search.php?q=" $0 "</loc></url>" }'
  find img/products -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) | sort |
    awk '{ print "  <url><loc>https://shop.lab.local/" $0 "</loc></url>" }'
  echo '</urlset>'
} > sitemap.xml.tmp
mv sitemap.xml.tmp sitemap.xml
echo "$(date -u +%FT%TZ) sitemap: $(grep -c '<loc>' sitemap.xml) urls"
