package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestServerPolls: a server process started after the intrusion's
// persistence act that polls an address its program never reached before
// the host's first hostile act is a beacon inside it; the application's
// own poll of a peer it reached from the start, a poll by a process that
// was running before the plant, a poll too short or too small, and any
// poll on a log without a persistence act are not.
func TestServerPolls(t *testing.T) {
	for _, c := range []struct {
		name     string
		peerPort int     // the port the restarted worker polls
		early    bool    // the program reached the peer before the first hostile act
		started  float64 // when the polling worker starts
		polls    int     // its connects, 3 s apart
		plant    bool    // a persistence act at 20
		want     bool
	}{
		{"the plant fires in the restarted server", 8451, false, 30, 6, true, true},
		{"the app's own feed, reached from the start", 8452, true, 30, 6, true, false},
		{"a worker running since before the plant", 8451, false, 0, 6, true, false},
		{"four connects are no loop", 8451, false, 30, 4, true, false},
		{"no persistence act on the host", 8451, false, 30, 6, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			if c.early {
				s.connect(2, worker2, "127.0.0.1", c.peerPort)
			}
			shell := s.exec(10, shellOf(700, worker1, "/var/www/html"), "sh", "-c", "id")
			s.find(shell, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			if c.plant {
				p := s.exec(20, shellOf(701, worker1, "/var/www/html"), "touch", "-d", "2021-01-01", "/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb")
				s.find(p, detect.StagePersistence, detect.SeverityHigh, "Time Of A Persistence File Reset For The Web Server")
			}
			restarted := worker2
			if c.started > 0 {
				restarted = who{pid: 800, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
				s.exec(c.started, restarted, "/usr/sbin/php-fpm8.2")
			}
			var first = s.connect(31, restarted, "127.0.0.1", c.peerPort)
			for i := 1; i < c.polls; i++ {
				s.connect(31+3*float64(i), restarted, "127.0.0.1", c.peerPort)
			}
			r := s.build()
			var got []*detect.Finding
			for _, f := range r.Findings {
				if f.RuleID == RuleServerPoll {
					got = append(got, f)
				}
			}
			if !c.want {
				if len(got) != 0 {
					t.Fatalf("%d findings, want none: %s", len(got), got[0].Reason)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			f := got[0]
			if f.Event != first || f.Stage != detect.StageCommandAndControl || f.Source != "correlation" {
				t.Errorf("finding on %v stage %v from %q, want the poll's first connect on stage 7, a correlation", f.Event.Peer, f.Stage, f.Source)
			}
			if !strings.HasPrefix(f.Reason, "observed: ") || !strings.Contains(f.Reason, "inferred: ") || !strings.Contains(f.Reason, "connected to 127.0.0.1:8451 6 times") {
				t.Errorf("reason %q: want what is observed and what is inferred said apart", f.Reason)
			}
		})
	}
}
