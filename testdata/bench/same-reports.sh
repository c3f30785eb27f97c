#!/usr/bin/env bash
# Checks that two builds write the same reports, byte for byte
# (scan --format json --reproducible): on every lab capture that has a
# ground-truth.json or a known-high.json, and on logs of several hosts made
# from them (each capture's audit log behind node=NAME, one file per host;
# plus a gzipped host, a host without node= named by --node-name, and a file
# gathering two hosts) read at once, where a build may read each host apart.
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
  if [ ${#extra[@]} -eq 0 ] && cmp -s "$work/old.json" "$work/new.json"; then
    n=$((n+1)); return
  fi
  if ! python3 - "$work/old.json" "$work/new.json" <<'P'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("command_line", None); b.pop("command_line", None)
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
# several hosts, from the captures' audit logs
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
same "one host's files apart" "${hosts[0]}" "${hosts[1]}" "$work/again.log"
echo "same reports: $n scans"
