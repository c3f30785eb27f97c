package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
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
			var plantF *detect.Finding
			if c.plant {
				p := s.exec(20, shellOf(701, worker1, "/var/www/html"), "touch", "-d", "2021-01-01", "/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb")
				plantF = s.find(p, detect.StagePersistence, detect.SeverityHigh, "Time Of A Persistence File Reset For The Web Server")
			}
			var start *parser.Event
			restarted := worker2
			if c.started > 0 {
				restarted = who{pid: 800, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
				start = s.exec(c.started, restarted, "/usr/sbin/php-fpm8.2")
			}
			var first = s.connect(31, restarted, "127.0.0.1", c.peerPort)
			for i := 1; i < c.polls; i++ {
				s.connect(31+3*float64(i), restarted, "127.0.0.1", c.peerPort)
			}
			r := s.build()
			f := oneOf(t, r, RuleServerPoll, c.want)
			if f == nil {
				return
			}
			if f.Event != first || f.Stage != detect.StageCommandAndControl || f.Source != "correlation" {
				t.Errorf("finding on %v stage %v from %q, want the poll's first connect on stage 7, a correlation", f.Event.Peer, f.Stage, f.Source)
			}
			if !strings.HasPrefix(f.Reason, "observed: ") || !strings.Contains(f.Reason, "inferred: ") || !strings.Contains(f.Reason, "connected to 127.0.0.1:8451 6 times") {
				t.Errorf("reason %q: want what is observed and what is inferred said apart", f.Reason)
			}
			// the restart is where the plant fired: stage 5, on its exec,
			// in the poll's chain
			fired := oneOf(t, r, RuleServerPlantFired, true)
			if fired.Event != start || fired.Stage != detect.StagePersistence || !strings.Contains(fired.Reason, "inferred: ") {
				t.Fatalf("the restart: %+v, want a plant-fired finding on the server's exec, stage 5, its inference said", fired)
			}
			if chainOf(r, fired) != chainOf(r, f) {
				t.Error("the plant's firing and its poll are in two chains")
			}
			// the poll was judged by the plant: it stands in the plant's chain
			if ch := chainOf(r, f); ch == nil || chainOf(r, plantF) != ch || !hasLink(ch, "plant (inferred): ", "persistence act") {
				t.Errorf("the poll is not in the chain of the persistence act it was judged by")
			}
		})
	}
}

// TestServerPollTasks: what a server that polls a new address runs is the
// beacon's task (stage 7) only when its program never ran that command
// before the host's first hostile act: the staff's reindex button, pressed
// before the intrusion and again while the plant polls, stays the
// application's act on its own stage.
func TestServerPollTasks(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	early := shellOf(690, worker1, "/var/www/html")
	s.exec(5, early, "sudo", "-n", "/usr/bin/php", "/srv/app/bin/reindex")
	shell := s.exec(10, shellOf(700, worker1, "/var/www/html"), "sh", "-c", "id")
	s.find(shell, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
	plant := s.exec(20, shellOf(701, worker1, "/var/www/html"), "touch", "-d", "2021-01-01", "/usr/lib/ruby/vendor_ruby/rubygems/defaults/operating_system.rb")
	s.find(plant, detect.StagePersistence, detect.SeverityHigh, "Time Of A Persistence File Reset For The Web Server")
	restarted := who{pid: 800, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	s.exec(30, restarted, "/usr/sbin/php-fpm8.2")
	for i := 0; i < 8; i++ {
		s.connect(31+3*float64(i), restarted, "127.0.0.1", 8451)
	}
	button := s.find(s.exec(40, who{pid: 810, ppid: 800, uid: 33, cwd: "/var/www/html"}, "sudo", "-n", "/usr/bin/php", "/srv/app/bin/reindex"),
		detect.StageSuspiciousSpawn, detect.SeverityMedium, "Command Run Through sudo By Web Server Account")
	task := s.find(s.exec(43, who{pid: 811, ppid: 800, uid: 33, cwd: "/var/www/html"}, "sh", "-c", "ss -tn | head -n 8"),
		detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn")
	r := s.build()
	stageOf := func(f *detect.Finding) detect.Stage {
		for _, g := range r.Findings {
			if g.Event == f.Event && g.RuleID == f.RuleID {
				return g.Stage
			}
		}
		t.Fatalf("%s not in the result", f.Title)
		return 0
	}
	if got := stageOf(task); got != detect.StageCommandAndControl {
		t.Errorf("the new command under the polling server: stage %v, want 7 (the beacon's task)", got)
	}
	if got := stageOf(button); got != detect.StageSuspiciousSpawn {
		t.Errorf("the reindex the application ran before the intrusion: stage %v, want 4 as the rule placed it", got)
	}
	poll := oneOf(t, r, RuleServerPoll, true)
	if ch := chainOf(r, poll); ch == nil || chainOf(r, task) != ch || !hasLink(ch, "beacon (inferred): ", "pid 811") {
		t.Error("the beacon's task is not in the poll's chain")
	}
	if chainOf(r, button) == chainOf(r, poll) {
		t.Error("the application's reindex joined the poll's chain")
	}
}

// TestServerRemovesFlaggedFile: a web shell that deletes itself from
// inside the server (PHP's unlink, Ruby's File.delete) is the server's own
// act, with no unit of work; it removes the chain's file and joins the
// chain of that file's write. A removal of a file nobody flagged joins
// nothing.
func TestServerRemovesFlaggedFile(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	w := s.find(s.write(10, child(301, shellOf(300, worker1, "/var/www/html/uploads")), parser.KindFileWrite, "/var/www/html/uploads/x.php"),
		detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
	rm := s.find(s.write(40, worker2, parser.KindUnlink, "/var/www/html/uploads/x.php"), detect.StageExfiltrationImpact, detect.SeverityMedium, "File Written In The Intrusion Removed")
	rm.RuleID, rm.RuleIDs = "own-file-removed", []string{"own-file-removed"}
	other := s.find(s.write(41, worker2, parser.KindUnlink, "/var/www/html/uploads/old.png"), detect.StageExfiltrationImpact, detect.SeverityMedium, "File Written In The Intrusion Removed")
	other.RuleID, other.RuleIDs = "own-file-removed", []string{"own-file-removed"}
	r := s.build()
	ch := chainOf(r, w)
	if ch == nil || chainOf(r, rm) != ch || !hasLink(ch, "file: ", "removed /var/www/html/uploads/x.php") {
		dumpChains(t, r)
		t.Fatal("the server's removal of the web shell is not in the chain that wrote it")
	}
	if chainOf(r, other) == ch {
		t.Error("a removal of a file no finding wrote joined the chain")
	}
}
