#!/bin/sh
# The marketplaces' product feeds (www-data's cron, every 2 minutes): a TSV
# of the trade catalogue and the ERP's stock levels, gzipped, put on each
# channel's SFTP drop (channels in /etc/shop-feeds/channels, hosts and keys
# in /var/www/.ssh/config).
set -eu
umask 027
out=/var/lib/shop-feeds
stamp=$(date -u +%Y%m%dT%H%M)
awk -F';' 'BEGIN { OFS = "\t"; print "id", "title", "price", "availability" }
  NR > 1 && NF >= 3 { print $1, $2, sprintf("%.2f EUR", $3), "in stock" }' /var/www/html/data/trade-prices.csv > "$out/products.tsv"
gzip -9nf "$out/products.tsv"
for ch in $(grep -Ev '^(#|$)' /etc/shop-feeds/channels); do
  if printf 'put %s incoming/products-%s.tsv.gz\n' "$out/products.tsv.gz" "$stamp" | sftp -q -b - "$ch" > /dev/null; then
    echo "$(date -u +%T) $ch: products-$stamp.tsv.gz uploaded"
  else
    echo "$(date -u +%T) $ch: upload failed"
  fi
done
