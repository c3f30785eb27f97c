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
			if c.want && !hasLink(cw, "code (inferred): ", "started by pid 500") {
				t.Errorf("links %q: the link must say it is inferred and why", cw.Links)
			}
		})
	}
}

// TestLoadedModuleSpawner: the intrusion's shell below an application
// server's process writes a route module into the app's folder; the
// spawner (Passenger's root core, of another image) starts a new app
// process after, and a shell below that one runs a recon command. The
// module is the web shell it came through (stage 2, inferred), and the
// recon joins its chain. A copy set aside in tmp/cache loads nowhere.
func TestLoadedModuleSpawner(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       bool
	}{
		{"a route module", "/srv/app/widgets/sync.js", true},
		{"a copy set aside in the app's cache", "/srv/app/tmp/cache/.x/u.js", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{WebServers: []string{"node"}})
			core := who{pid: 310, ppid: 300, uid: 0, exe: "/usr/lib/passenger/PassengerAgent"}
			s.exec(0, core, core.exe, "core")
			app1 := who{pid: 500, ppid: 310, uid: 2191, cwd: "/srv/app", user: "board"}
			s.exec(1, app1, "/usr/bin/node", "node-loader.js")
			sh := who{pid: 501, ppid: 500, uid: 2191, cwd: "/srv/app", user: "board"}
			s.exec(10, sh, "sh", "-c", "echo x | base64 -d > "+c.file)
			sh.exe = "/usr/bin/dash"
			w := s.find(s.write(10.1, sh, parser.KindFileWrite, c.file), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root By Web Server")
			w.RuleID, w.RuleIDs = "webroot-script-write", []string{"webroot-script-write"}
			app2 := who{pid: 520, ppid: 310, uid: 2191, cwd: "/srv/app", user: "board"}
			s.exec(12, app2, "/usr/bin/node", "node-loader.js")
			recon := s.find(s.exec(20, who{pid: 530, ppid: 520, uid: 2191, cwd: "/srv/app", user: "board"}, "sh", "-c", "id; sudo -n -l"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			r := s.build()
			cw := chainOf(r, w)
			if got := cw != nil && chainOf(r, recon) == cw; got != c.want {
				dumpChains(t, r)
				t.Fatalf("joined %v, want %v", got, c.want)
			}
			if c.want && !hasLink(cw, "code (inferred): ", "started by pid 310") {
				t.Errorf("links %q: the link must say it is inferred and why", cw.Links)
			}
		})
	}
}
