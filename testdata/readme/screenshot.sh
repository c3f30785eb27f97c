#!/bin/sh
# Regenerates testdata/readme/report-classic.png, the README's screenshot: the
# first screen (1280×1000 CSS px) of the HTML report of the webshell-classic
# lab capture. Needs Chromium at /usr/bin/chromium (apt-get install chromium).
# The test that takes it also fails if the page is wider than the viewport.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/auditchain scan --reproducible --fail-on none --format html \
	-o "$tmp/report.html" testdata/lab/webshell-classic
go test ./report -run '^TestReadmeScreenshot$' -count=1 -args \
	-readme-html "$tmp/report.html" -readme-png "$PWD/testdata/readme/report-classic.png" \
	-readme-height "${HEIGHT:-1000}"
echo "wrote testdata/readme/report-classic.png"
