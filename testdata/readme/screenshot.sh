#!/bin/sh
# Regenerates the README's screenshots of the HTML report of the
# webshell-classic lab capture: testdata/readme/report-classic.png, the first
# screen (1280×1000 CSS px), and testdata/readme/report-classic-graph.png,
# chain C01's process graph with the requests that caused its execs.
# Needs Chromium at /usr/bin/chromium (apt-get install chromium).
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
go test ./report -run '^TestReadmeScreenshot$' -count=1 -args \
	-readme-html "$tmp/report.html" -readme-png "$PWD/testdata/readme/report-classic-graph.png" \
	-readme-scroll '#C01-tree' -readme-height "${GRAPH_HEIGHT:-1080}"
echo "wrote testdata/readme/report-classic.png testdata/readme/report-classic-graph.png"
