package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestConfigPlants: a server that starts a program none of its processes
// started before, after a persistence write of the configuration its
// command line names, is the configuration's plant firing; a program it
// started before the write (its usual piped logger) or a write of another
// file is not.
func TestConfigPlants(t *testing.T) {
	s := newSim(t, Options{WebServers: []string{"apache2"}})
	apache := who{pid: 100, ppid: 1, uid: 0, cwd: "/"}
	s.exec(0, apache, "/usr/sbin/apache2", "-f", "/etc/apache2/site.conf", "-DFOREGROUND")
	s.exec(1, child(110, apache), "/usr/bin/rotatelogs", "/var/log/apache2/access.%Y", "86400")
	admin := who{pid: 200, ppid: 1, uid: 0, exe: "/usr/bin/dash", cwd: "/root"}
	s.find(s.write(4, admin, parser.KindFileWrite, "/etc/cron.d/other"), detect.StagePersistence, detect.SeverityMedium, "Persistence File Written")
	conf := s.find(s.write(5, admin, parser.KindFileWrite, "/etc/apache2/site.conf"), detect.StagePersistence, detect.SeverityMedium, "Persistence File Written")
	s.exec(10, child(120, apache), "/usr/bin/rotatelogs", "/var/log/apache2/access.%Y", "86400")
	bot := s.exec(10.1, child(121, apache), "/usr/bin/perl", "/usr/local/sbin/yard-logstat")
	s.find(s.connect(10.2, child(121, apache), "198.51.100.9", 6667), detect.StageCommandAndControl, detect.SeverityHigh, "Reverse Shell Connection")
	// an administrator's new helper the same reload starts, doing nothing flagged
	helper := s.exec(10.3, child(122, apache), "/usr/bin/cronolog", "/var/log/apache2/%Y/access.log")
	r := s.build()
	var got []*detect.Finding
	for _, f := range r.Findings {
		if f.RuleID == RuleConfigPlantFired {
			got = append(got, f)
		}
	}
	if len(got) != 2 {
		dumpChains(t, r)
		t.Fatalf("%d config plant findings, want 2", len(got))
	}
	if h := got[1]; h.Event != helper || h.Severity != detect.SeverityMedium {
		t.Errorf("the helper's finding: %v at %s, want cronolog's start at medium", h.Event.Args, h.Severity)
	}
	f := got[0]
	if f.Event != bot || f.Stage != detect.StagePersistence || len(f.Related) != 1 || f.Related[0] != conf.Event {
		t.Errorf("finding on %v, stage %d, related %v: want the bot's start, stage 5, the site.conf write", f.Event.Args, f.Stage, f.Related)
	}
	if f.Severity != detect.SeverityHigh {
		t.Errorf("severity %s, want high: the bot then connected out", f.Severity)
	}
}
