package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/google/go-cmp/cmp"
)

// A scan whose trees spill makes the same report as one that keeps every
// process in memory: the engine and the timeline pin what they keep, and
// the chains read back what they draw. Limits this small move most
// processes out and back many times on every lab capture.
func TestScanSpilledSameReport(t *testing.T) {
	// plain or gzipped: a capture under ~1 MB is kept plain
	dirs, _ := filepath.Glob("../../testdata/lab/*/audit.log*")
	if len(dirs) == 0 {
		t.Fatal("lab captures missing")
	}
	for _, log := range dirs {
		dir := filepath.Dir(log)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			scan := func(limit string) string {
				code, out, stderr := runCLI(t, "", "scan", "--reproducible", "--fail-on", "none", "--format", "json", "--max-processes", limit, dir)
				if code != 0 {
					t.Fatalf("--max-processes %s: exit %d: %s", limit, code, stderr)
				}
				// the report names its command line: the one difference allowed
				return strings.Replace(out, `"--max-processes","`+limit+`"`, `"--max-processes","N"`, 1)
			}
			want := scan("0")
			for _, limit := range []string{"4", "64"} {
				if d := cmp.Diff(want, scan(limit)); d != "" {
					t.Fatalf("--max-processes %s: report differs (-memory +spilled):\n%s", limit, groundtruth.Withheld(dir, d))
				}
			}
		})
	}
}
