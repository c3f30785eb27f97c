package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
	"github.com/google/go-cmp/cmp"
)

// The tree command's output does not depend on whether its tree spilled:
// the whole forest, and the tree around each pid, drawn from a tree that
// moved most of its processes to disk and one that kept them in memory.
func TestTreeSpilledSameOutput(t *testing.T) {
	// plain or gzipped: a capture under ~1 MB is kept plain
	logs, _ := filepath.Glob("../testdata/lab/*/audit.log*")
	if len(logs) == 0 {
		t.Fatal("no lab logs")
	}
	for _, log := range logs {
		t.Run(filepath.Base(filepath.Dir(log)), func(t *testing.T) {
			mem := readLabTree(t, log, 0)
			// every 97th process, at most maxSpillPIDs of them spread over
			// the tree: each is a fresh read of the whole log (a busy
			// capture's hundred re-reads made this the suite's slowest
			// test, minutes under -race)
			ps := mem.Processes()
			step := max(97, len(ps)/maxSpillPIDs+1)
			var pids []int
			for i := 0; i < len(ps); i += step {
				pids = append(pids, ps[i].Key.PID)
			}
			for _, pid := range append([]int{0}, pids...) {
				o := TreeOptions{PID: pid}
				// a fresh spilled tree each time: --pid must find its way
				// back without a whole-tree load having happened before
				sp := readLabTree(t, log, 8)
				if sp.SpillStats().Spilled == 0 {
					t.Fatal("nothing spilled")
				}
				want, got := drawTree(t, mem, o), drawTree(t, sp, o)
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("pid %d: output differs (-memory +spilled):\n%s", pid, groundtruth.Withheld(filepath.Dir(log), d))
				}
			}
		})
	}
}

// maxSpillPIDs bounds the --pid views compared per capture.
const maxSpillPIDs = 8

func readLabTree(t *testing.T, path string, limit int) *parser.Tree {
	t.Helper()
	ins, _ := parser.Resolve([]string{path}, nil)
	r := parser.NewReader(ins, parser.Options{SpillLimit: limit, SpillDir: t.TempDir()})
	t.Cleanup(r.Close)
	if err := r.All(func(*parser.Event) {}); err != nil {
		t.Fatal(err)
	}
	return r.Tree()
}

func drawTree(t *testing.T, tr *parser.Tree, o TreeOptions) string {
	t.Helper()
	forest := SelectTree(tr, o)
	var b bytes.Buffer
	if err := WriteTreeText(&b, tr, forest, o); err != nil {
		t.Fatal(err)
	}
	if err := WriteTreeJSON(&b, tr, forest); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
