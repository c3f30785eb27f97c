#!/usr/bin/env bash
# Runs every Go fuzz target of the module for a set time each, one after the
# other, and prints one line per target and a closing count.
#
#   testdata/fuzz/soak.sh            # the soak: 10 minutes per target
#   testdata/fuzz/soak.sh 10s        # what CI runs
#   testdata/fuzz/soak.sh 1m parser  # only the targets of a package and
#                                    # the packages beneath it (parser's
#                                    # rooms in parser/internal/…)
#
# What a target finds is written by go test into the package's own
# testdata/fuzz/FuzzX/ (the only place 'go test' reads it back): commit it
# with the fix. The script exits non-zero when any target fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
time_per_target=${1:-10m}
only=${2:-}
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  rel=./${dir#"$PWD"/}
  if [ -n "$only" ]; then
    case "$rel/" in "./${only%/}/"*) ;; *) continue ;; esac
  fi
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u)
  for t in $targets; do
    start=$(date +%s)
    corpus="$dir/testdata/fuzz/$t"
    before=$(ls "$corpus" 2>/dev/null | wc -l)
    if go test -run '^$' -fuzz "^${t}\$" -fuzztime "$time_per_target" "$rel" >"$log" 2>&1; then
      ok=1
    else
      ok=0
      # Go 1.26's fuzz coordinator can fail a target with a bare "context
      # deadline exceeded" at the -fuzztime boundary when its workers are
      # starved of CPU (go.dev/issue/75804, fixed in Go 1.27): no input
      # failed and none was written. Such a run is repeated once with a
      # count instead of a duration, which takes the deadline out.
      execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
      if grep -q 'context deadline exceeded' "$log" && [ "$(ls "$corpus" 2>/dev/null | wc -l)" = "$before" ] && [ -n "$execs" ] && [ "$execs" -gt 0 ]; then
        echo "     $rel $t: the deadline race of go.dev/issue/75804, no failing input; again for ${execs} executions"
        if go test -run '^$' -fuzz "^${t}\$" -fuzztime "${execs}x" "$rel" >"$log" 2>&1; then
          ok=1
        fi
      fi
    fi
    if [ "$ok" = 1 ]; then
      passed=$((passed + 1))
      execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1)
      echo "ok   $rel $t $(( $(date +%s) - start ))s ${execs:-}"
    else
      failed=$((failed + 1))
      echo "FAIL $rel $t"
      tail -40 "$log" | sed 's/^/     /'
    fi
  done
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
