package timeline

import (
	"slices"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestEarlyChildren: a server recognised only after its first children
// (its first accept, or its own first record, comes later) still gets
// them counted as its children: the routine test needs the runs the
// application made before the intrusion. A root process's or a shell's
// children are every job's and login's, and are not kept aside.
func TestEarlyChildren(t *testing.T) {
	set := detect.NewServerSet()
	s := newSim(t, Options{Servers: set})
	app := who{pid: 300, ppid: 1, uid: 2091, exe: "/usr/bin/perl", cwd: "/srv/app"}
	s.touch(0, app)
	worker := who{pid: 301, ppid: 300, uid: 2091, exe: "/usr/bin/perl", cwd: "/srv/app"}
	// the worker's first child comes before any record of the worker
	early := s.exec(1, who{pid: 310, ppid: 301, uid: 2091, cwd: "/srv/app"}, "/bin/sh", "/usr/local/bin/print", "--ticket", "7")
	rootKid := s.exec(1.5, who{pid: 320, ppid: 1, uid: 0}, "logrotate", "/etc/logrotate.conf")
	shell := who{pid: 330, ppid: 1, uid: 2091, exe: "/usr/bin/bash"}
	s.touch(1.6, shell)
	shellKid := s.exec(1.7, who{pid: 331, ppid: 330, uid: 2091}, "ls")
	for _, ev := range []*parser.Event{s.touch(2, worker)} {
		set.Observe(ev)
	}
	bind := s.proc(parser.KindBind, 2.1, app, "bind")
	bind.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 5091}
	set.Observe(s.feed(bind))
	for i := 0; i < 3; i++ {
		set.Observe(s.accept(3+float64(i), worker, "127.0.0.1", 40000+i))
	}
	if !s.b.opts.isWebServer(s.tree.ByPID("", 301)[0]) {
		t.Skip("the server set did not learn the worker: the scene needs updating")
	}
	for _, ev := range []*parser.Event{rootKid, shellKid} {
		if slices.Contains(s.b.unnamedParent, ev) || slices.Contains(s.b.earlyExecs, ev) {
			t.Errorf("%v kept aside as a server's possible child", ev.Args)
		}
	}
	s.b.laterWebExecs()
	if !slices.Contains(s.b.webExecs, early) {
		t.Errorf("the server's first child is not among its children: %v", s.b.webExecs)
	}
	for _, ev := range []*parser.Event{rootKid, shellKid} {
		if slices.Contains(s.b.webExecs, ev) {
			t.Errorf("%v taken for a server's child", ev.Args)
		}
	}
}
