package timeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
	"github.com/auditchain/auditchain/timeline"
)

// TestPackKeptSameReport: on every lab capture, a Builder that keeps its
// lists packed while the log is read (PackKept, as scan runs it, with the
// reader recycling every event nobody retained) gives the same report,
// byte for byte, as one that keeps the events as fed — at the default
// bounds, and at bounds so low that thin lets go of packed events.
func TestPackKeptSameReport(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/lab/*/audit.log*")
	if len(dirs) < 10 {
		t.Fatalf("lab captures missing: %v", dirs)
	}
	seen := map[string]bool{}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		for _, o := range []timeline.Options{{}, {MaxRepeats: 2, MaxLinkEvents: 16}} {
			want := packedRun(t, dir, o, false)
			got := packedRun(t, dir, o, true)
			if !bytes.Equal(got, want) {
				t.Errorf("%s (repeats %d, link events %d): the report differs with the lists packed", dir, o.MaxRepeats, o.MaxLinkEvents)
			}
		}
	}
}

func packedRun(t *testing.T, dir string, o timeline.Options, pack bool) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "audit.log*"))
	if logs, _ := filepath.Glob(filepath.Join(dir, "*access*.log")); len(logs) > 0 {
		files = append(files, logs...)
	}
	ins, _ := parser.Resolve(files, nil)
	engine, err := detect.New(detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o.Servers = engine.Servers()
	if rules := filepath.Join(dir, "audit.rules"); fileExists(rules) {
		o.AuditRules = rules
	}
	o.PackKept = pack
	b, err := timeline.NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	r := parser.NewReader(ins, parser.Options{PoisonRecycled: true})
	defer r.Close()
	var found []*detect.Finding
	err = r.All(func(ev *parser.Event) {
		b.Observe(ev)
		found = append(found, engine.Observe(ev, r.Tree())...)
		if ev.Retained() {
			r.Compact(ev)
		}
		r.Recycle(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	found = append(found, engine.Finish()...)
	res := b.Build(found, r.Tree())
	c := &report.Case{Findings: res.Findings, Chains: res.Chains, Coverage: res.Coverage, Routine: res.Routine,
		Tree: r.Tree(), Hosts: r.Tree().Hosts(), Logins: b.Logins(), Accepts: b.Accepts()}
	for _, n := range append(engine.Dropped(), b.Dropped()...) {
		c.Coverage.Notes = append(c.Coverage.Notes, n)
	}
	w, err := report.NewWriter("json", report.Options{Reproducible: true})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := w.Write(&out, c); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
