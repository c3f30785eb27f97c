#!/usr/bin/env bash
# Benchmark: parse + process trees, and the whole scan, of ≥500 MB realistic
# audit logs, against ausearch (Debian package auditd) measured in the same
# run on the same files, best of three, with peak memory.
#
#   testdata/bench/bench.sh [SIZE_MB]
#   testdata/bench/bench.sh --scale    # memory and time of tree --stats and
#                                      # scan as the busy-server log grows
#                                      # 250 MB → 2 GB
#
# Three logs are built from the lab's real captures by testdata/bench/genlog
# (times, serials and pids shifted per copy, deterministic):
#   busy-server: the benign-day capture repeated, with the classic attack
#                injected once halfway — a busy server with one intrusion;
#   attack-only: the classic attack capture repeated — every copy an
#                intrusion, the worst case for detection and reports;
#   pid-repeating: the public lab-nginx capture (one attack) repeated with
#                its pids left as they were (-same-pids): a long archive
#                whose pids come round again after reboots, attacked again.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=""
if [ "${1:-}" = "--scale" ]; then scale=1; shift; fi
size=${1:-500}
lab=testdata/lab
command -v ausearch >/dev/null || { echo "bench.sh: ausearch not found (apt-get install auditd)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/auditchain" ./cmd/auditchain
# every built-in rule disabled: the scan without detection, to measure what
# detection adds
norules=()
for id in $("$work/auditchain" rules --format json | sed -n 's/^ *"id": "\([^"]*\)".*/\1/p'); do
  norules+=(--disable-rule "$id")
done

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

bench() {
  local label=$1; shift
  go run ./testdata/bench/genlog "$@" -size "$size" -o "$work/big.log" 2>/dev/null
  local bytes; bytes=$(stat -c %s "$work/big.log")
  cat "$work/big.log" > /dev/null # warm the page cache for every contender alike
  {
    run "auditchain tree --stats" "$work/auditchain" tree --stats "$work/big.log"
    run "auditchain scan (json)" "$work/auditchain" scan --format json -o /dev/null --fail-on none "$work/big.log"
    run "scan, every rule disabled" "$work/auditchain" scan --format json -o /dev/null --fail-on none "${norules[@]}" "$work/big.log"
    run "ausearch --raw" ausearch --raw -if "$work/big.log"
    run "ausearch -i" ausearch -i -if "$work/big.log"
  } > "$work/results"
  local raw interp tree
  raw=$(awk '$1=="ausearch" && $2=="--raw"{print $3}' "$work/results")
  interp=$(awk '$1=="ausearch" && $2=="-i"{print $3}' "$work/results")
  tree=$(awk '$2=="tree"{print $4}' "$work/results")
  printf "\n%s: %s MB, %s cores\n\n" "$label" "$((bytes/1000000))" "$(nproc)"
  printf "| %-24s | %7s | %6s | %7s | %12s | %9s | %9s |\n" command seconds "MB/s" "peak MB" "× ausearch --raw" "× ausearch -i" "× tree --stats"
  printf "|%s|%s|%s|%s|%s|%s|%s|\n" "--------------------------" "---------" "--------" "---------" "------------------" "---------------" "----------------"
  # fields: name words…, seconds, KB — the last two are the numbers
  awk -v b="$bytes" -v r="$raw" -v i="$interp" -v tr="$tree" '{
      t=$(NF-1); m=$NF; name=$1; for (k=2; k<NF-1; k++) name=name" "$k
      printf "| %-24s | %7.2f | %6.0f | %7.0f | %16.2f | %13.2f | %14.2f |\n", name, t, b/1e6/t, m/1024, t/r, t/i, t/tr }' "$work/results"
}

# scale: tree --stats on busy-server logs of growing size, with
# ausearch --raw on the same file as the peer (tree's memory must not
# follow the size), and the whole scan
scale() {
  printf "| %-15s | %9s | %10s | %9s | %7s | %9s | %16s | %12s | %12s |\n" "busy-server log" processes "moved out" "read back" seconds "peak MB" "× ausearch --raw" "scan seconds" "scan peak MB"
  printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n" "-----------------" "-----------" "------------" "-----------" "---------" "-----------" "------------------" "--------------" "--------------"
  for mb in 250 500 1000 2000; do
    go run ./testdata/bench/genlog -src "$lab/benign-day/audit.log.gz" -inject "$lab/webshell-classic/audit.log.gz" -size "$mb" -o "$work/big.log" 2>/dev/null
    cat "$work/big.log" > /dev/null
    "$work/auditchain" tree --stats "$work/big.log" > "$work/stats"
    read -r _ tree rss < <(run tree "$work/auditchain" tree --stats "$work/big.log")
    read -r _ raw _ < <(run ausearch ausearch --raw -if "$work/big.log")
    read -r _ scan srss < <(run scan "$work/auditchain" scan --format json -o /dev/null --fail-on none "$work/big.log")
    awk -v mb="$mb" -v t="$tree" -v m="$rss" -v r="$raw" -v st="$scan" -v sm="$srss" '
      $1=="processes"{p=$2} $1=="spilled"{s=$2} $1=="read"{b=$3}
      END{printf "| %15s | %9d | %10d | %9d | %7.2f | %9.0f | %16.2f | %12.2f | %12.0f |\n", (mb>=1000 ? mb/1000 " GB" : mb " MB"), p, s, b, t, m/1024, t/r, st, sm/1024}' "$work/stats"
  done
}
if [ -n "$scale" ]; then scale; exit; fi

bench "busy-server (benign-day background + one injected attack)" -src "$lab/benign-day/audit.log.gz" -inject "$lab/webshell-classic/audit.log.gz"
bench "attack-only (the classic attack capture repeated)" -src "$lab/webshell-classic/audit.log.gz"
bench "pid-repeating (the public lab-nginx capture repeated, pids as they were)" -src testdata/public/corpus/lab-nginx/audit.log -same-pids
