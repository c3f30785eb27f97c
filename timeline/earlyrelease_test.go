package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestEarlyRelease: an exec kept aside for a parent that may be
// recognised as a server later is let go, with its two pins, once the log
// names both pids again and the parent can no longer become a server; a
// parent that bound a port (a proxy's connect may still name it) keeps
// its exec aside for Build. The bound counts the exec let go.
func TestEarlyRelease(t *testing.T) {
	for _, bound := range []bool{false, true} {
		set := detect.NewServerSet()
		s := newSim(t, Options{Servers: set, PackKept: true})
		app := who{pid: 300, ppid: 1, uid: 2091, exe: "/usr/bin/perl", cwd: "/srv/app"}
		set.Observe(s.touch(0, app))
		if bound {
			b := s.proc(parser.KindBind, 0.5, app, "bind")
			b.Peer = parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 5091}
			set.Observe(s.feed(b))
		}
		kid := who{pid: 310, ppid: 300, uid: 2091, cwd: "/srv/app"}
		ev := s.exec(1, kid, "/usr/local/bin/print", "--ticket", "7")
		set.Observe(ev)
		child, parent := ev.Proc, ev.Proc.Parent
		if s.b.heldLen(&s.b.earlyExecs) != 1 || !parser.Pinned(child) || !parser.Pinned(parent) {
			t.Fatalf("the exec is not kept aside with its pins: held %d", s.b.heldLen(&s.b.earlyExecs))
		}
		// the same pids, new processes: a later copy of the same host
		s.exit(2, kid)
		s.exit(2.1, app)
		set.Observe(s.touch(3600, who{pid: 300, ppid: 1, uid: 0, exe: "/usr/sbin/cron"}))
		s.touch(3601, who{pid: 310, ppid: 300, uid: 0, exe: "/usr/bin/true"})
		if got := s.tree.ByPID("", 300); len(got) < 2 || got[len(got)-1] == parent {
			t.Skip("the tree took the new pid 300 for the old process: the scene needs updating")
		}
		es := *s.b.heldList(&s.b.earlyExecs)
		if gone := es[0].gone; gone == bound {
			t.Errorf("bound=%v: the exec let go is %v, want %v", bound, gone, !bound)
		}
		if parser.Pinned(child) == !bound || parser.Pinned(parent) == !bound {
			t.Errorf("bound=%v: pins child %v parent %v", bound, parser.Pinned(child), parser.Pinned(parent))
		}
		if s.b.heldLen(&s.b.earlyExecs) != 1 {
			t.Errorf("bound=%v: the list's bound no longer counts the exec (%d)", bound, s.b.heldLen(&s.b.earlyExecs))
		}
		s.b.unpackLists()
		if n := len(s.b.earlyExecs); n != map[bool]int{false: 0, true: 1}[bound] {
			t.Errorf("bound=%v: %d execs kept aside reach Build", bound, n)
		}
	}
}
