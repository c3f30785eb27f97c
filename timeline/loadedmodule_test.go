package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestLoadedModule: a worker of a prefork app server changes a module of
// the app's code (a line appended to a vendored package); a worker the
// same master starts after the change runs a recon shell. The change is
// the web shell the shell came through (stage 2, said as inferred), and
// the shell joins its chain. A worker started before the change, or a
// page loaded per request (.php), gives no such tie.
func TestLoadedModule(t *testing.T) {
	master := who{pid: 500, ppid: 1, uid: 2181, exe: "/usr/bin/uwsgi", user: "app"}
	for _, c := range []struct {
		name   string
		file   string
		wStart float64 // when the later worker is first seen
		want   bool
	}{
		{"a module, a worker started after", "/srv/app/vendor/pkg/__init__.py", 12, true},
		{"a worker started before the change", "/srv/app/vendor/pkg/__init__.py", 5, false},
		{"a page loaded per request", "/srv/app/www/footer.php", 12, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.touch(0, master)
			wa := who{pid: 501, ppid: 500, uid: 2181, exe: "/usr/bin/uwsgi", cwd: "/srv/app", user: "app"}
			s.touch(0, wa)
			wb := who{pid: 510, ppid: 500, uid: 2181, exe: "/usr/bin/uwsgi", cwd: "/srv/app", user: "app"}
			s.touch(c.wStart, wb)
			w := s.find(s.write(10, wa, parser.KindFileWrite, c.file), detect.StagePersistence, detect.SeverityHigh, "Existing Script In Web Root Changed By Web Server")
			w.RuleID, w.RuleIDs = "webroot-script-modified", []string{"webroot-script-modified"}
			sh := who{pid: 520, ppid: 510, uid: 2181, cwd: "/srv/app", user: "app"}
			recon := s.find(s.exec(20, sh, "sh", "-c", "uname -a; sudo -n -l"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			r := s.build()
			cw := chainOf(r, w)
			if got := cw != nil && chainOf(r, recon) == cw; got != c.want {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.want)
			}
			var placed *detect.Finding
			for _, f := range r.Findings {
				if f.Event == w.Event {
					placed = f
				}
			}
			if placed == nil {
				t.Fatal("the write's finding is not in the result")
			}
			if (placed.Stage == detect.StageWebshellUpload) != c.want {
				t.Errorf("the change placed on %d (%s), want 2 only when a later worker used it", placed.Stage, placed.Reason)
			}
			if c.want && !hasLink(cw, "code (inferred): ", "a worker started at") {
				t.Errorf("links %q: the link must say it is inferred and why", cw.Links)
			}
		})
	}
}
