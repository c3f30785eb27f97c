#!/bin/sh
# /usr/local/share/ledger/migrate-0007-archive-imports.sh (Ledger 1.4.2's
# release notes: "run once as the service account"): bank statements
# imported before 1.4.2 move from data/imports/ into data/archive/YYYY-MM/,
# gzipped, with a manifest; the invoices get an export CSV for the
# accountant (data/exports/), which the new release's month-end expects.
set -eu
D=/srv/ledger/data
mkdir -p "$D/archive/2026-11" "$D/exports"
n=0
for f in "$D"/imports/*.csv; do
  [ -e "$f" ] || continue
  gzip -c "$f" > "$D/archive/2026-11/$(basename "$f").gz"
  n=$((n + 1))
done
( cd "$D/archive/2026-11" && sha256sum -- *.gz > MANIFEST.sha256 )
python3 /usr/local/share/ledger/export-accountant.py "$D/invoices.json" > "$D/exports/invoices-2026-11.csv"
echo "migration 0007: $n statements archived, $(wc -l < "$D/exports/invoices-2026-11.csv") export lines"
