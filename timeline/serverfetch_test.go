package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestServerFetches: a web server's own connection to the address the
// intrusion's high findings use is a finding of its own — a fetch for the
// intruder before the address's first use, the server's own traffic with
// it after; an address only a medium download uses (a cron job's) makes
// none, nor does the server's connection to its database.
func TestServerFetches(t *testing.T) {
	for _, c := range []struct {
		name      string
		sev       detect.Severity
		serverAt  float64
		wantStage detect.Stage // 0: no finding
	}{
		{"fetched before the implant beacons", detect.SeverityHigh, 5, detect.StageSuspiciousSpawn},
		{"the server talks to it after", detect.SeverityHigh, 20, detect.StageCommandAndControl},
		{"only a medium download uses the address", detect.SeverityMedium, 5, 0},
		// cuspid-labelfmt: the application's own backend (its job queue),
		// reached again and again before the intrusion began, is not the
		// intruder's server because the intruder reached it too
		{"the servers' routine backend", detect.SeverityHigh, -1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.connect(1, worker2, "127.0.0.1", 3306) // its database
			at := c.serverAt
			if at < 0 {
				s.connect(2, worker1, "203.0.113.9", 8447)
				s.connect(3, worker2, "203.0.113.9", 8447)
				at = 20
			}
			fetch := s.connect(at, worker1, "203.0.113.9", 8447)
			implant := who{pid: 700, ppid: 1, uid: 33, exe: "/var/www/.cache/gc"}
			beacon := s.connect(10, implant, "203.0.113.9", 8447)
			s.find(beacon, detect.StageCommandAndControl, c.sev, "Beacon")
			r := s.build()
			var got []*detect.Finding
			for _, f := range r.Findings {
				if f.RuleID == RuleServerFetch {
					got = append(got, f)
				}
			}
			if c.wantStage == 0 {
				if len(got) != 0 {
					t.Fatalf("%d findings, want none: %s", len(got), got[0].Reason)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d findings of the server's connections, want 1", len(got))
			}
			f := got[0]
			if f.Event != fetch || f.Stage != c.wantStage || f.Severity != detect.SeverityHigh {
				t.Errorf("finding on %v stage %v %v, want the server's connect on %v, high", f.Event.Peer, f.Stage, f.Severity, c.wantStage)
			}
			if !strings.HasPrefix(f.Reason, "observed: php-fpm8.2[101], a web server process, connected to 203.0.113.9:8447") || !strings.Contains(f.Reason, "inferred: ") {
				t.Errorf("reason %q: want what is observed and what is inferred said apart", f.Reason)
			}
			if len(f.Related) != 1 || f.Related[0] != beacon {
				t.Errorf("related %v, want the beacon's connect", f.Related)
			}
		})
	}
}

// TestServerFetchOfCheckFork: a module's constructor forks in the
// background while a server's configuration check loads it (shop-avatar:
// php-fpm8.2 -t run by the admin's sudo); the fork, which the tree hangs
// under the check, reaches the intruder's server. No request made it
// fetch anything: it is the planted module firing, persistence (5).
func TestServerFetchOfCheckFork(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	check := who{pid: 900, ppid: 899, uid: 0, exe: "/usr/sbin/php-fpm8.2"}
	s.exec(4, check, "/usr/sbin/php-fpm8.2", "-t")
	fork := who{pid: 902, ppid: 1, uid: 0, exe: "/usr/sbin/php-fpm8.2"}
	c := s.connect(4.1, fork, "203.0.113.9", 4123)
	implant := who{pid: 700, ppid: 1, uid: 33, exe: "/var/www/.cache/gc"}
	s.find(s.connect(10, implant, "203.0.113.9", 4123), detect.StageCommandAndControl, detect.SeverityHigh, "Beacon")
	r := s.build()
	for _, f := range r.Findings {
		if f.RuleID != RuleServerFetch {
			continue
		}
		if f.Event != c || f.Stage != detect.StagePersistence || !strings.Contains(f.Reason, "configuration check") {
			t.Errorf("finding on %v, stage %v, reason %q: want the fork's connect, persistence, said why", f.Event.Peer, f.Stage, f.Reason)
		}
		return
	}
	t.Fatal("no finding of the check's fork reaching the intruder's server")
}
