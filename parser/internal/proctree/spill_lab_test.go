package proctree_test

import (
	"path/filepath"
	"testing"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/parser/internal/proctree"
	"github.com/google/go-cmp/cmp"
)

// A spilling tree is the same tree as one kept in memory, on the lab's
// real logs with a limit small enough that most processes move to the file
// and back many times.
func TestSpillSameTreeLab(t *testing.T) {
	// plain or gzipped: a capture under ~1 MB is kept plain
	logs, _ := filepath.Glob("../../../testdata/lab/*/audit.log*")
	if len(logs) == 0 {
		t.Fatal("no lab logs")
	}
	for _, log := range logs {
		t.Run(filepath.Base(filepath.Dir(log)), func(t *testing.T) {
			want, _ := readTree(t, log, 0)
			for _, limit := range []int{2, 16, 200} {
				got, st := readTree(t, log, limit)
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("limit %d: tree differs (-memory +spilled):\n%s", limit, groundtruth.Withheld(filepath.Dir(log), d))
				}
				if limit == 16 && (st.Spill.Spilled == 0 || st.Spill.Faults == 0) {
					t.Errorf("limit %d: spilled %d, read back %d: the test does not exercise the file", limit, st.Spill.Spilled, st.Spill.Faults)
				}
			}
		})
	}
}

func readTree(t *testing.T, path string, limit int) (string, parser.Stats) {
	t.Helper()
	ins, skipped := parser.Resolve([]string{path}, nil)
	if len(skipped) > 0 || len(ins) != 1 {
		t.Fatalf("resolve %s: %v", path, skipped)
	}
	r := parser.NewReader(ins, parser.Options{SpillLimit: limit, SpillDir: t.TempDir()})
	defer r.Close()
	if err := r.All(func(*parser.Event) {}); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	return proctree.SpillDump(r.Tree()), st
}
