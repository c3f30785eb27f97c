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

// TestImplantWatchdog: inside the intrusion, the implant started again by
// a program of the intrusion's own (a script loop the web shell started)
// is kept running by it: persistence on stage 5, the earlier run cited.
// Started again by the intruder's own command (sh -c, inline) it is not.
func TestImplantWatchdog(t *testing.T) {
	for _, c := range []struct {
		name     string
		launcher []string // the argv of the process that starts it again
		want     bool
	}{
		{"a watchdog script", []string{"sh", "/var/tmp/.ICE-unix/.wd.sh"}, true},
		{"the intruder's command again", []string{"sh", "-c", "cd /dev/shm/.k && ./miner -o pool:3333"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			// a miner: its run is flagged at high, its pool connect below
			// that, and the two together make it an implant
			var high, net bool
			for _, f := range e.Observe(s.exec(210, 201, 33, "www-data", "/dev/shm/.k", "/dev/shm/.k/miner", "./miner", "-o", "pool:3333", "--cpu-max-threads-hint=30"), s.tree) {
				high = high || f.Severity >= SeverityHigh
			}
			for _, f := range e.Observe(s.connect(210, 201, 33, "/dev/shm/.k/miner", "203.0.113.9", 3333), s.tree) {
				net = net || f.Severity >= SeverityMedium
			}
			if !high || !net {
				t.Fatalf("the scene needs updating: the miner's run flagged high %v, its connect flagged %v", high, net)
			}
			s.t = s.t.Add(20 * time.Second)
			e.Observe(s.exec(220, 201, 33, "www-data", "/var/www", "/usr/bin/dash", c.launcher...), s.tree)
			fs := e.Observe(s.exec(230, 220, 33, "www-data", "/dev/shm/.k", "/usr/bin/nohup", "nohup", "./miner", "-o", "pool:3333", "--cpu-max-threads-hint=30"), s.tree)
			f := findingOf(fs, RuleImplantWatchdog)
			if got := f != nil; got != c.want {
				t.Fatalf("%s %v, want %v (%v)", RuleImplantWatchdog, got, c.want, ids(fs))
			}
			if findingOf(fs, RuleImplantRelaunched) != nil {
				t.Error("started inside the intrusion, told as started from outside it")
			}
			if f == nil {
				return
			}
			if f.Stage != StagePersistence || len(f.Related) != 1 || f.Related[0].PID != 210 || !strings.Contains(f.Reason, "pid 220 running /var/tmp/.ICE-unix/.wd.sh") || !strings.Contains(f.Reason, "inferred") {
				t.Errorf("stage %v, related %v, reason %q: want 5, the earlier run cited, the launcher named, said as inferred", f.Stage, f.Related, f.Reason)
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
		{"/usr/bin/nohup", "/dev/shm/.k", []string{"nohup", "./miner", "-o", "x"}, "/dev/shm/.k/miner"},
		{"/usr/bin/nohup", "/dev/shm/.k", []string{"nohup", "miner"}, ""},
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
