package detect

import (
	"strings"
	"testing"
	"time"
)

// TestImplantRelaunched: a program the intrusion ran, whose process a rule
// flagged (it opened a channel of its own), started again later from
// outside the intrusion (root's cron) is persistence fired: adopted, on
// stage 5, the earlier run cited. A program something outside the
// intrusion ran first, and a system program, are nobody's implant.
func TestImplantRelaunched(t *testing.T) {
	for _, c := range []struct {
		name, prog string
		ranBefore  bool // cron ran the program before the intrusion did
		want       bool
	}{
		{"the agent started again by cron", "/var/lib/node-update/update-check.js", false, true},
		{"the host's own job, which the intruder also ran", "/var/lib/node-update/update-check.js", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.ranBefore {
				e.Observe(s.exec(290, 1, 0, "root", "/", "/usr/bin/node", "/usr/bin/node", c.prog), s.tree)
			}
			run := s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/node", "/usr/bin/node", c.prog)
			e.Observe(run, s.tree)
			var flagged bool
			for _, f := range e.Observe(s.connect(210, 201, 33, "/usr/bin/node", "203.0.113.9", 443), s.tree) {
				flagged = flagged || f.Severity >= SeverityHigh
			}
			if !flagged {
				t.Fatal("the scene needs updating: the implant's connect out is not flagged at high")
			}
			s.t = s.t.Add(3 * time.Minute)
			e.Observe(s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f"), s.tree)
			fs := e.Observe(s.exec(301, 300, 0, "root", "/", "/usr/bin/setsid", "/usr/bin/setsid", "/usr/bin/node", c.prog), s.tree)
			f := findingOf(fs, RuleImplantRelaunched)
			if got := f != nil; got != c.want {
				t.Fatalf("%s %v, want %v (%v)", RuleImplantRelaunched, got, c.want, ids(fs))
			}
			if f == nil {
				return
			}
			if f.Stage != StagePersistence || len(f.Related) != 1 || f.Related[0].PID != 210 || !strings.Contains(f.Reason, "inferred") {
				t.Errorf("stage %v, related %v, reason %q: want 5, the earlier run cited, said as inferred", f.Stage, f.Related, f.Reason)
			}
			// what the relaunched agent does is the intrusion's
			if in := e.state.info(s.tree.ByPID("", 301)[0]); in.web == nil {
				t.Error("the relaunch is not adopted for the intrusion's web server")
			}
		})
	}
}

func TestProgramOf(t *testing.T) {
	for _, c := range []struct {
		exe, cwd string
		args     []string
		want     string
	}{
		{"/usr/bin/node", "/", []string{"/usr/bin/node", "/var/lib/x/a.js"}, "/var/lib/x/a.js"},
		{"/usr/bin/setsid", "/", []string{"setsid", "/usr/bin/node", "/var/lib/x/a.js"}, "/var/lib/x/a.js"},
		{"/usr/bin/python3.11", "/srv/app", []string{"python3", "-u", "tool.py"}, "/srv/app/tool.py"},
		{"/dev/shm/.k", "/", []string{"/dev/shm/.k", "-d"}, "/dev/shm/.k"},
		{"/usr/bin/curl", "/", []string{"curl", "http://x"}, ""},
		{"/usr/bin/python3", "/", []string{"python3", "-c", "print(1)"}, ""},
	} {
		if got := programOf(c.exe, c.cwd, c.args); got != c.want {
			t.Errorf("programOf(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestProgramOfHostile: a program name longer than any file's is kept
// nowhere (the programs seen are a bounded table of names).
func TestProgramOfHostile(t *testing.T) {
	long := "/var/lib/" + strings.Repeat("a", 1<<20)
	if got := programOf("/usr/bin/node", "/", []string{"node", long}); got != "" {
		t.Errorf("a 1 MiB script name kept (%d bytes)", len(got))
	}
}
