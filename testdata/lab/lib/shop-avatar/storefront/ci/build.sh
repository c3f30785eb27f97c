#!/bin/bash
# storefront CI: lint the pages, gate on the shop's TLS certificate, package
set -euo pipefail
cd "$(dirname "$0")/.."
rev=$(git rev-parse --short HEAD)
for f in pages/*.html; do
  grep -q '<h1>' "$f" || { echo "lint: $f has no <h1>"; exit 1; }
done
# the certificate must stay valid for two more weeks (the bundle is root's)
sudo -n /usr/bin/openssl x509 -in /etc/ssl/private/shop.pem -noout -checkend 1209600 > /dev/null
tar -czf "/srv/ci/artifacts/storefront-$rev.tgz" pages
ls -1t /srv/ci/artifacts/*.tgz | tail -n +6 | xargs -r rm -f
echo "build $rev ok"
