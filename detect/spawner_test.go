package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestSpawner: Passenger's core, root, below Apache, takes the front
// server's requests on a UNIX socket and serves them through the app
// processes it starts as the app's account. It is learned as a spawner:
// those processes are servers and their account a web account; the core
// itself, and what it runs as root, are not. A root process that is not
// below a front server (init, the journal) is never one, however its
// accepts line up.
func TestSpawner(t *testing.T) {
	const apache, agent = "/usr/sbin/apache2", "/usr/lib/passenger/support-binaries/PassengerAgent"
	for _, below := range []bool{true, false} {
		s, set := newSynth(), NewServerSet()
		parent := 1
		if below {
			set.Observe(s.exec(300, 1, 0, "root", "/", apache, "/usr/sbin/apache2", "-k", "start"))
			set.Observe(s.exec(310, 300, 0, "root", "/", agent, "PassengerAgent", "watchdog"))
			parent = 310
		}
		set.Observe(s.exec(320, parent, 0, "root", "/", agent, "PassengerAgent", "core"))
		for i := 0; i < upstreamProof; i++ {
			set.Observe(frontClient(s, 301, apache, i))
			set.Observe(unixAccept(s, 320, parent, 0, agent))
		}
		app := s.exec(330, 320, 2191, "app", "/srv/app", "/usr/bin/node", "nodejs", "/usr/share/passenger/helper-scripts/node-loader.js")
		set.Observe(app)
		own := s.exec(340, 320, 0, "root", "/", "/usr/bin/ps", "ps", "-o", "pid", "-p", "330")
		set.Observe(own)
		core := s.tree.ByPID("", 320)[0]
		if set.IsServer(core) {
			t.Errorf("below=%v: the core taken for a server (its own commands would be judged a server's children)", below)
		}
		if set.IsServer(own.Proc) {
			t.Errorf("below=%v: the core's own root command taken for a server", below)
		}
		got := set.IsServer(app.Proc) && set.IsServerShape(ShapeOf(app.Proc)) && set.IsWebAccount("", "app", parser.NewID(2191))
		if got != below {
			t.Errorf("below a front server %v: the app process a server with a web account: %v, want %v", below, got, below)
		}
		if below {
			found := false
			for _, sv := range set.Servers() {
				found = found || sv.Spawner && sv.Key == core.Key && sv.Describe() != ""
			}
			if !found {
				t.Error("the spawner is not listed among the servers with how it was learned")
			}
		}
	}
}
