#!/usr/bin/env bash
# Checks that two builds write the same reports, byte for byte
# (scan --format json --reproducible): on every lab capture that has a
# ground-truth.json or a known-high.json, and on logs of several hosts made
# from them (each capture's audit log behind node=NAME, one file per host;
# plus a gzipped host, a host without node= named by --node-name, and a file
# gathering two hosts) read at once, where the new build reads each host apart
# (--jobs 2).
#
#   testdata/bench/same-reports.sh OLD_BINARY NEW_BINARY [NEW_ARGS…]
#
# NEW_ARGS are added to the new build's scans (e.g. --jobs 1). Exit 1 on the
# first difference, with its diff's head.
set -euo pipefail
cd "$(dirname "$0")/../.."
old=$1 new=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
extra=("$@")
# same NAME ARGS…: both builds on ARGS. The command line is in the report:
# the new build's own flags are not part of what is compared.
same() {
  local name=$1; shift
  "$old" scan --format json --reproducible --fail-on none "$@" > "$work/old.json" 2>"$work/old.err" || true
  "$new" scan --format json --reproducible --fail-on none "${extra[@]}" "$@" > "$work/new.json" 2>"$work/new.err" || true
  if [ ${#extra[@]} -eq 0 ] && [ -z "${ORDER_OK:-}" ] && cmp -s "$work/old.json" "$work/new.json"; then
    n=$((n+1)); return
  fi
  if ! python3 - "$work/old.json" "$work/new.json" <<'P'
import json, os, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("command_line", None); b.pop("command_line", None)
if os.environ.get("ORDER_OK"):  # the inputs' list may be in another order
    for d in (a, b):
        d["inputs"].sort(key=lambda i: i["path"])
sys.exit(a != b or not a.get("findings"))
P
  then
    echo "DIFFERENT (or no findings): $name" >&2
    diff <(python3 -m json.tool "$work/old.json") <(python3 -m json.tool "$work/new.json") | head -20 >&2
    exit 1
  fi
  n=$((n+1))
}
for d in testdata/lab/*/; do
  [ -f "$d/ground-truth.json" ] || [ -f "$d/known-high.json" ] || continue
  same "$d" "$d"
done
# several hosts, from the captures' audit logs: the new build reads them
# host by host (--jobs 2; its default on 2 cores is one stream)
extra+=(--jobs 2)
hosts=()
for c in webshell-classic benign-day benign-busy cgi-backdoor; do
  src=testdata/lab/$c/audit.log
  [ -f "$src" ] || src=$src.gz
  [ -f "$src" ] || continue
  (if [ "${src%.gz}" != "$src" ]; then gzip -dc "$src"; else cat "$src"; fi) | sed "s/^/node=$c /" > "$work/$c.log"
  hosts+=("$work/$c.log")
done
same "two hosts" "${hosts[0]}" "${hosts[1]}"
same "two hosts, other order" "${hosts[1]}" "${hosts[0]}"
same "all hosts" "${hosts[@]}"
gzip -c "${hosts[2]}" > "$work/gz-host.log.gz"
same "a gzipped host" "${hosts[0]}" "$work/gz-host.log.gz" "${hosts[1]}"
sed 's/^node=[^ ]* //' "${hosts[3]}" > "$work/unnamed.log"
same "a host named by --node-name" --node-name lab "${hosts[0]}" "$work/unnamed.log"
{ head -n 2000 "${hosts[1]}"; cat "${hosts[2]}"; } > "$work/gathered.log"
same "a file gathering two hosts" "${hosts[0]}" "$work/gathered.log"
sed "s/^node=[^ ]* /node=webshell-classic /" "${hosts[3]}" > "$work/again.log"
# the new build reads a host's inputs together: the report's list of
# inputs is in that order, and nothing else may change
ORDER_OK=1 same "one host's files apart (the inputs listed host by host)" "${hosts[0]}" "${hosts[1]}" "$work/again.log"
# hosts whose rotated logs cover the same hours: read host by host (the
# inputs' order, parser/paths.go), so the new build's one stream and its
# host partitions must agree; the old build read them interleaved by time
for h in web01 web02; do
  total=$(wc -l < "${hosts[1]}")
  head -n $((total/2)) "${hosts[1]}" | sed "s/^node=[^ ]* /node=$h /" > "$work/$h.log.1"
  tail -n +$((total/2+1)) "${hosts[1]}" | sed "s/^node=[^ ]* /node=$h /" > "$work/$h.log"
done
for way in 2 1; do
  "$new" scan --format json --reproducible --fail-on none --jobs $way "$work"/web0*.log* > "$work/jobs$way.json" 2>/dev/null || true
done
python3 - "$work/jobs1.json" "$work/jobs2.json" <<'P' || { echo "DIFFERENT: rotated logs of two hosts, --jobs 1 and 2" >&2; exit 1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("command_line"); b.pop("command_line")
sys.exit(a != b or not a.get("findings"))
P
n=$((n+2))
"$old" scan --format json --reproducible --fail-on none "$work"/web0*.log* > "$work/old.json" 2>/dev/null || true
python3 - "$work/old.json" "$work/jobs1.json" <<'P'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("command_line"); b.pop("command_line")
if a == b:
    print("rotated logs of two hosts: the old build's report is the same")
else:
    for d in (a, b):
        d["inputs"].sort(key=lambda i: i["path"])
    print("rotated logs of two hosts: the old build read the hosts interleaved;",
          "its report is the same but for the order of the inputs listed" if a == b else "ITS REPORT DIFFERS")
P
echo "same reports: $n scans"
