package proctree_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/parser/internal/proctree"
	"github.com/google/go-cmp/cmp"
)

// The union of two hosts' trees, each built by a reader of its own (and
// spilling), is the tree one reader builds of both hosts' logs: the same
// processes in the same order, links, roots and pid lookups. Only the
// processes' Seq differs, a cache index counted per tree.
func TestUnionSameTree(t *testing.T) {
	dir := t.TempDir()
	var logs []string
	for _, c := range []struct{ host, src string }{
		{"web01", "../../../testdata/lab/webshell-classic/audit.log.gz"},
		{"db01", "../../../testdata/lab/benign-day/audit.log"},
	} {
		b, err := os.ReadFile(c.src)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(c.src) == ".gz" {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		for _, l := range bytes.SplitAfter(b, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				out.WriteString("node=" + c.host + " ")
				out.Write(l)
			}
		}
		p := filepath.Join(dir, c.host+".log")
		if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		logs = append(logs, p)
	}
	read := func(paths []string, limit int) *parser.Tree {
		ins, _ := parser.Resolve(paths, nil)
		r := parser.NewReader(ins, parser.Options{SpillLimit: limit, SpillDir: t.TempDir()})
		t.Cleanup(r.Close)
		if err := r.All(func(*parser.Event) {}); err != nil {
			t.Fatal(err)
		}
		return r.Tree()
	}
	one := read(logs, 0)
	ins, _ := parser.Resolve(logs, nil)
	var parts []*parser.Tree
	for _, in := range ins { // in reading order: one host each
		parts = append(parts, read([]string{in.Path}, 16))
	}
	u := parser.UnionTrees(parts)
	seq := regexp.MustCompile(`Seq:\d+ `)
	dump := func(tr *parser.Tree) string { return seq.ReplaceAllString(proctree.SpillDump(tr), "") }
	if d := cmp.Diff(dump(one), dump(u)); d != "" {
		t.Fatalf("the union differs from one tree (-one +union):\n%s", d)
	}
	if !slices.Equal(one.Hosts(), u.Hosts()) || len(u.Hosts()) != 2 {
		t.Errorf("hosts %v, want %v", u.Hosts(), one.Hosts())
	}
	for _, p := range one.Processes() {
		for _, host := range []string{"", p.Key.Host} {
			a, b := one.ByPID(host, p.Key.PID), u.ByPID(host, p.Key.PID)
			if len(a) != len(b) {
				t.Fatalf("ByPID(%q, %d): %d processes, want %d", host, p.Key.PID, len(b), len(a))
			}
			for i := range a {
				if a[i].Key != b[i].Key {
					t.Fatalf("ByPID(%q, %d)[%d]: %v, want %v", host, p.Key.PID, i, b[i].Key, a[i].Key)
				}
			}
		}
	}
	if u.SpillStats().Spilled == 0 {
		t.Error("the parts did not spill: the test does not exercise their files")
	}
}
