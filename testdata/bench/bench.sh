#!/usr/bin/env bash
# Benchmark: parse + process trees of a ≥500 MB realistic audit log, against
# ausearch (Debian package auditd) measured in the same run on the same file.
#
#   testdata/bench/bench.sh [SOURCE_LOG] [SIZE_MB]
#
# SOURCE_LOG defaults to the lab's classic capture; the big log is built from
# it deterministically by testdata/bench/genlog (times, serials and pids
# shifted per copy). Prints a table with times, MB/s, peak memory and ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:-}
if [ -z "$src" ]; then
  for c in testdata/lab/webshell-classic/audit.log testdata/lab/webshell-classic/audit.log.gz; do
    [ -f "$c" ] && src=$c && break
  done
fi
size=${2:-500}
[ -n "$src" ] || { echo "bench.sh: no source log; give one as the first argument" >&2; exit 2; }
command -v ausearch >/dev/null || { echo "bench.sh: ausearch not found (apt-get install auditd)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/auditchain" ./cmd/auditchain
go run ./testdata/bench/genlog -src "$src" -size "$size" -o "$work/big.log"
bytes=$(stat -c %s "$work/big.log")
cat "$work/big.log" > /dev/null # warm the page cache for every contender alike

# run NAME CMD…: best of 3 wall times, and the peak RSS of that run
run() {
  local name=$1; shift
  local best="" rss=""
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r t m < "$work/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  echo "$name $best $rss"
}

{
  run "auditchain-tree--stats" "$work/auditchain" tree --stats "$work/big.log"
  [ "${BENCH_SCAN:-1}" = 1 ] && [ -n "$("$work/auditchain" scan --help 2>/dev/null | head -1)" ] && \
    run "auditchain-scan" "$work/auditchain" scan --format json -o /dev/null --fail-on none "$work/big.log"
  run "ausearch--raw" ausearch --raw -if "$work/big.log"
  run "ausearch-i" ausearch -i -if "$work/big.log"
} > "$work/results"

raw=$(awk '$1=="ausearch--raw"{print $2}' "$work/results")
interp=$(awk '$1=="ausearch-i"{print $2}' "$work/results")
printf "input: %s bytes (%s MB) from %s, %s cores\n\n" "$bytes" "$((bytes/1000000))" "$src" "$(nproc)"
printf "| %-24s | %8s | %8s | %10s | %14s | %12s |\n" command seconds "MB/s" "peak MB" "× ausearch --raw" "× ausearch -i"
printf "|%s|%s|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..26})" "----------" "----------" "------------" "------------------" "---------------"
while read -r name t m; do
  awk -v n="$name" -v t="$t" -v m="$m" -v b="$bytes" -v r="$raw" -v i="$interp" 'BEGIN{
    printf "| %-24s | %8.2f | %8.0f | %10.0f | %16.2f | %13.2f |\n", n, t, b/1e6/t, m/1024, t/r, t/i }'
done < "$work/results"
