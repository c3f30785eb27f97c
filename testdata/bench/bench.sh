#!/usr/bin/env bash
# Benchmark: parse + process trees, and the whole scan, of ≥500 MB realistic
# audit logs, against ausearch (Debian package auditd) measured in the same
# run on the same files, best of three, with peak memory.
#
#   testdata/bench/bench.sh [SIZE_MB]
#   testdata/bench/bench.sh --scale    # seconds per GB (wall and CPU) and
#                                      # peak memory of tree --stats and scan
#                                      # as the busy-server and pid-repeating
#                                      # logs grow, 100 MB → 500 MB → 2 GB
#   testdata/bench/bench.sh --hosts [SIZE_MB]
#                                      # two hosts' busy-server logs (SIZE_MB
#                                      # each, node=web01 and node=web02) in
#                                      # one scan: read as one stream
#                                      # (--jobs 1) and host by host side by
#                                      # side (--jobs 2), alternately
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
#
# laurel (Debian package laurel, the Rust audit-log enricher that also tracks
# processes) is measured beside them when installed: it reads the log on
# standard input as auditd would feed it, and writes its JSON lines to a
# temporary directory. It is the reference for what streaming costs in
# memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale="" hosts=""
if [ "${1:-}" = "--scale" ]; then scale=1; shift; fi
if [ "${1:-}" = "--hosts" ]; then hosts=1; shift; fi
size=${1:-500}
lab=testdata/lab
command -v ausearch >/dev/null || { echo "bench.sh: ausearch not found (apt-get install auditd)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/auditchain" ./cmd/auditchain
laurel=""
if command -v laurel >/dev/null; then
  laurel=1
  mkdir -p "$work/laurel"
  cat > "$work/laurel.toml" <<CONF
directory = "$work/laurel"
statusreport-period = 0
[auditlog]
file = "audit.log"
size = 100000000000
generations = 1
[transform]
execve-argv = [ "array" ]
[enrich]
pid = true
CONF
fi
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
    if [ -n "$laurel" ]; then
      run "laurel" sh -c 'laurel -c "$1" < "$2" 2>/dev/null; rm -f "$3"/audit.log*' laurel "$work/laurel.toml" "$work/big.log" "$work/laurel"
    fi
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

# runc NAME CMD…: like run, with the CPU time (user + system) of the best run
runc() {
  local name=$1; shift
  local best="" rss="" cpu=""
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" > /dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r t m u s < "$work/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; cpu=$(awk "BEGIN{print $u + $s}"); fi
  done
  echo "$name $best $rss $cpu"
}

# scale: both kinds of log at 100 MB, 500 MB and 2 GB; time per GB must
# stay flat (no superlinear step) and so should memory. ausearch --raw on
# the same file is the peer; the CPU time is the figure a loaded machine
# moves least.
scale() {
  printf "| %-13s | %6s | %9s | %9s | %9s | %8s | %9s | %13s | %8s | %9s | %13s | %9s |\n" log size processes "moved out" "tree s/GB" "tree MB" "scan s/GB" "scan CPU s/GB" "scan MB" "report MB" "ausearch s/GB" "× ausearch"
  printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n" "---------------" "--------" "-----------" "-----------" "-----------" "----------" "-----------" "---------------" "----------" "-----------" "---------------" "-----------"
  local log
  for log in busy-server pid-repeating; do
    for mb in 100 500 2000; do
      if [ "$log" = busy-server ]; then
        go run ./testdata/bench/genlog -src "$lab/benign-day/audit.log" -inject "$lab/webshell-classic/audit.log.gz" -size "$mb" -o "$work/big.log" 2>/dev/null
      else
        go run ./testdata/bench/genlog -src testdata/public/corpus/lab-nginx/audit.log -same-pids -size "$mb" -o "$work/big.log" 2>/dev/null
      fi
      local bytes; bytes=$(stat -c %s "$work/big.log")
      cat "$work/big.log" > /dev/null
      "$work/auditchain" tree --stats "$work/big.log" > "$work/stats" 2>/dev/null
      read -r _ tree rss _ < <(runc tree "$work/auditchain" tree --stats "$work/big.log")
      read -r _ raw _ _ < <(runc ausearch ausearch --raw -if "$work/big.log")
      read -r _ scan srss scpu < <(runc scan "$work/auditchain" scan --format json -o "$work/report.json" --fail-on none "$work/big.log")
      local rep; rep=$(stat -c %s "$work/report.json")
      rm -f "$work/report.json"
      awk -v lg="$log" -v b="$bytes" -v t="$tree" -v m="$rss" -v r="$raw" -v st="$scan" -v sm="$srss" -v sc="$scpu" -v rep="$rep" '
        $1=="processes"{p=$2} $1=="spilled"{s=$2}
        END{gb=b/1e9; printf "| %-13s | %6s | %9d | %9d | %9.2f | %8.0f | %9.2f | %13.2f | %8.0f | %9.0f | %13.2f | %9.2f |\n", lg, (b>=1e9 ? sprintf("%.1f GB", gb) : sprintf("%d MB", b/1e6)), p, s, t/gb, m/1024, st/gb, sc/gb, sm/1024, rep/1e6, r/gb, st/r}' "$work/stats"
    done
  done
}
if [ -n "$scale" ]; then scale; exit; fi

# hosts: one scan of two hosts' logs, as one stream and host by host; the
# reports must be the same but for the notes of detection's bounds, which
# one stream shares between hosts (cmd/auditchain/scanhosts.go). Three
# rounds, the two ways alternately; every run printed (wall, CPU user +
# system, peak RSS), for a loaded machine moves wall times most.
multihost() {
  go run ./testdata/bench/genlog -src "$lab/benign-day/audit.log" -inject "$lab/webshell-classic/audit.log.gz" -size "$size" -o "$work/base.log" 2>/dev/null
  sed 's/^/node=web01 /' "$work/base.log" > "$work/web01.log"
  sed 's/^/node=web02 /' "$work/base.log" > "$work/web02.log"
  rm -f "$work/base.log"
  local bytes; bytes=$(( $(stat -c %s "$work/web01.log") + $(stat -c %s "$work/web02.log") ))
  cat "$work/web01.log" "$work/web02.log" > /dev/null
  printf "\ntwo hosts (busy-server, node=web01 and node=web02): %s MB in all, %s cores\n\n" "$((bytes/1000000))" "$(nproc)"
  printf "| %-28s | %5s | %7s | %7s | %7s | %12s |\n" scan round "wall s" "CPU s" "peak MB" "load average"
  printf "|%s|%s|%s|%s|%s|%s|\n" "------------------------------" "-------" "---------" "---------" "---------" "--------------"
  local i way
  for i in 1 2 3; do
    for way in 1 2; do
      /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$work/auditchain" scan --format json --reproducible --fail-on none --jobs "$way" -o "$work/r$way.json" "$work/web01.log" "$work/web02.log" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
      read -r t m u s < "$work/t"
      awk -v w="$([ "$way" = 1 ] && echo "one stream (--jobs 1)" || echo "host by host (--jobs 2)")" -v i="$i" -v t="$t" -v m="$m" -v u="$u" -v s="$s" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN{printf "| %-28s | %5d | %7.2f | %7.2f | %7.0f | %12s |\n", w, i, t, u+s, m/1024, l}'
    done
  done
  python3 - "$work/r1.json" "$work/r2.json" <<'P'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b):
    d.pop("command_line")
    d["coverage"]["notes"] = [n for n in d["coverage"].get("notes", []) if not n.startswith("detection: ")]
print("\nreports:", "the same" if a == b else "DIFFERENT", "(the command line and detection's bound notes left out)")
P
}
if [ -n "$hosts" ]; then multihost; exit; fi

bench "busy-server (benign-day background + one injected attack)" -src "$lab/benign-day/audit.log" -inject "$lab/webshell-classic/audit.log.gz"
bench "attack-only (the classic attack capture repeated)" -src "$lab/webshell-classic/audit.log.gz"
bench "pid-repeating (the public lab-nginx capture repeated, pids as they were)" -src testdata/public/corpus/lab-nginx/audit.log -same-pids
