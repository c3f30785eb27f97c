package detect

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestHelperInjectionProbe: a wait or a constant printed by a program the
// web server ran, whose command does not name it, came from the data the
// helper processed (shop-reviews: a photo caption's $(sleep 3) evaluated
// by the shop's image helper). A helper that names its own sleep, a
// dropped script's loop, the server's own child and a remote shell's sleep
// are not such a probe.
func TestHelperInjectionProbe(t *testing.T) {
	const helper = "/usr/local/bin/shop-photo"
	for _, c := range []struct {
		name   string
		chain  [][]string // exe, args… from the web server's child down to the probe's parent
		probe  []string   // exe, args…
		want   bool
		reason string
	}{
		{"a sleep from a caption", [][]string{{"/usr/bin/dash", "sh", "-c", helper + " '/var/www/u/r-1.png'"}, {"/usr/bin/dash", "/bin/sh", helper, "/var/www/u/r-1.png"}},
			[]string{"/usr/bin/sleep", "sleep", "3"}, true, ""},
		{"an arithmetic marker", [][]string{{"/usr/bin/dash", "sh", "-c", helper + " x.png"}, {"/usr/bin/dash", "/bin/sh", helper, "x.png"}},
			[]string{"/usr/bin/expr", "expr", "6", "*", "7"}, true, ""},
		{"the helper's own wait", [][]string{{"/usr/bin/dash", "sh", "-c", "retry --sleep 2 " + helper}, {"/usr/bin/dash", "/bin/sh", helper, "x.png"}},
			[]string{"/usr/bin/sleep", "sleep", "2"}, false, "its command names sleep"},
		{"a dropped script's loop", [][]string{{"/usr/bin/dash", "sh", "-c", "nohup sh /var/tmp/.wd.sh &"}, {"/usr/bin/dash", "sh", "/var/tmp/.wd.sh"}},
			[]string{"/usr/bin/sleep", "sleep", "30"}, false, "the script is no installed program"},
		{"the server's own child", nil,
			[]string{"/usr/bin/sleep", "sleep", "3"}, false, "a direct child is judged by the shell rules"},
		{"a sleep doing work", [][]string{{"/usr/bin/dash", "sh", "-c", helper + " x.png"}},
			[]string{"/usr/bin/sleep", "sleep", "3", "&&", "id"}, false, "not only a wait"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(200, 1, 33, "www-data", "/var/www", "/usr/sbin/php-fpm8.2", "php-fpm: pool www")
			parent := 200
			for i, a := range c.chain {
				e.Observe(s.exec(201+i, parent, 33, "www-data", "/var/www", a[0], a[1:]...), s.tree)
				parent = 201 + i
			}
			fs := e.Observe(s.exec(299, parent, 33, "www-data", "/var/www", c.probe[0], c.probe[1:]...), s.tree)
			got := findingOf(fs, "web-helper-injection-probe")
			switch {
			case c.want && got == nil:
				t.Fatalf("no probe finding; got %v", ids(fs))
			case !c.want && got != nil:
				t.Fatalf("probe finding (%s), want none: %s", got.Title, c.reason)
			case got != nil && (got.Stage != StageInitialAccess || got.Severity != SeverityMedium):
				t.Errorf("stage %v, severity %v; want 1, medium", got.Stage, got.Severity)
			}
		})
	}
}

// TestSudoShellEscape: what a sudo rule lets the web account run, told to
// run a command of its own, is a root shell (shop-reviews: sudo tar
// --checkpoint-action=exec); the archive it seems to make stages nothing.
// A plain sudo use stays medium.
func TestSudoShellEscape(t *testing.T) {
	for _, c := range []struct {
		args  []string
		title string
		sev   Severity
	}{
		{[]string{"sudo", "-n", "/usr/bin/tar", "-cf", "/dev/null", "/dev/null", "--checkpoint=1", "--checkpoint-action=exec=sh /dev/shm/.r"}, "Shell Escape Through sudo By Web Server Account", SeverityHigh},
		{[]string{"sudo", "find", "/var/www", "-exec", "/bin/sh", "-p", ";", "-quit"}, "Shell Escape Through sudo By Web Server Account", SeverityHigh},
		{[]string{"sudo", "-n", "/usr/sbin/service", "php8.2-fpm", "reload"}, "Command Run Through sudo By Web Server Account", SeverityMedium},
		// tcpdump's post-rotate program (shop-wishlist: -z a script, -Z
		// root); a compressor is its documented use
		{[]string{"sudo", "-n", "/usr/bin/tcpdump", "-ln", "-i", "lo", "-w", "/dev/null", "-W", "1", "-G", "1", "-z", "/var/tmp/.wl/r.sh", "-Z", "root"}, "Shell Escape Through sudo By Web Server Account", SeverityHigh},
		{[]string{"sudo", "-n", "/usr/bin/tcpdump", "-i", "eth0", "-w", "/srv/pcap/t", "-C", "100", "-z", "gzip"}, "Command Run Through sudo By Web Server Account", SeverityMedium},
	} {
		fs := execAs(t, 33, "/var/www", "/usr/bin/sudo", c.args...)
		f := findingOf(fs, "privilege-search-web")
		if f == nil || f.Title != c.title || f.Severity != c.sev || f.Stage != StageSuspiciousSpawn {
			t.Errorf("%q: %+v, want %q %v on stage 4", c.args, f, c.title, c.sev)
		}
		if findingOf(fs, "archive-staging") != nil {
			t.Errorf("%q: staged as an archive", c.args)
		}
	}
	// the root tar the escape runs is no staging either
	if f := findingOf(execAs(t, 33, "/var/www", "/usr/bin/tar", "-cf", "/dev/null", "/dev/null", "--checkpoint=1", "--checkpoint-action=exec=sh /dev/shm/.r"), "archive-staging"); f != nil {
		t.Errorf("tar's shell escape staged as an archive: %s", f.Title)
	}
}

// TestSudoListIsSudos: asking sudo what it may run is sudo's own -l among
// its options; an option of the command it runs (find's -delete) is not,
// and the command's use of sudo is judged as such (medium alone).
func TestSudoListIsSudos(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool // the search (sudo -l) is what matched
	}{
		{[]string{"sudo", "-l"}, true},
		{[]string{"sudo", "-n", "-l"}, true},
		{[]string{"sudo", "-nl"}, true},
		{[]string{"/usr/bin/sudo", "-u", "root", "-l"}, true},
		{[]string{"sudo", "--list"}, true},
		{[]string{"sudo", "-ll"}, true},
		{[]string{"sudo", "-n", "/usr/bin/find", "/srv/kb/www/cache", "-type", "f", "-mmin", "+2", "-delete"}, false},
		{[]string{"sudo", "-u", "lp", "lpstat", "-l"}, false},
		{[]string{"sudo", "ls", "-l", "/root"}, false},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			fs := execAs(t, 33, "/var/www/html", "/usr/bin/sudo", c.args...)
			f := findingOf(fs, "privilege-search-web")
			if f == nil {
				t.Fatalf("privilege-search-web did not fire: %v", ids(fs))
			}
			search := f.Title == "Search For A Way To Root By Web Server Account"
			if search != c.want {
				t.Errorf("title %q (severity %s): the search is %v, want %v", f.Title, f.Severity, search, c.want)
			}
			if !search && f.Severity > SeverityMedium {
				t.Errorf("severity %s for sudo's use alone, want medium", f.Severity)
			}
		})
	}
}

// TestPkexecByWebAccount: pkexec run by the web account is a privilege
// escalation attempt (PwnKit runs it with no argument at all).
func TestPkexecByWebAccount(t *testing.T) {
	for _, args := range [][]string{{}, {"pkexec", "/bin/sh"}} {
		f := findingOf(execAs(t, 33, "/tmp", "/usr/bin/pkexec", args...), "privilege-search-web")
		if f == nil || f.Severity < SeverityHigh || f.Stage != StageSuspiciousSpawn {
			t.Errorf("pkexec %q: %v, want privilege-search-web high on stage 4", args, f)
		}
	}
}

// TestSudoShellEscapeByService: a process in no one's login (a mail
// delivery's pipe, a queue worker) running a GTFOBins escape through sudo
// is the way to root (shop-wishlist: opsmon's ~/.forward pipe running sudo
// tcpdump -z its script -Z root under exim); in a person's login, or with
// tcpdump's documented compressor, it is not this rule's.
func TestSudoShellEscapeByService(t *testing.T) {
	escape := []string{"sudo", "-n", "/usr/bin/tcpdump", "-ln", "-i", "lo", "-w", "/dev/null", "-W", "1", "-G", "1", "-z", "/home/opsmon/.local/bin/.digest-rotate", "-Z", "root"}
	for _, c := range []struct {
		name   string
		args   []string
		person bool
		want   bool
	}{
		{"a mail pipe's sudo escape", escape, false, true},
		{"the same in a person's login", escape, true, false},
		{"a compressor", []string{"sudo", "-n", "/usr/bin/tcpdump", "-i", "lo", "-w", "/srv/pcap/t", "-C", "10", "-z", "gzip"}, false, false},
		{"find -exec sh", []string{"sudo", "-n", "/usr/bin/find", "/var/lib/x", "-maxdepth", "0", "-exec", "/bin/sh", "/home/opsmon/r.sh", "{}", "+"}, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(400, 1, 108, "Debian-exim", "/", "/usr/sbin/exim4", "/usr/sbin/exim4", "-Mc", "1xaPV5")
			s.exec(401, 400, 2241, "opsmon", "/home/opsmon", "/usr/bin/dash", "/bin/sh", "/home/opsmon/.local/bin/alert-digest")
			ev := s.exec(402, 401, 2241, "opsmon", "/home/opsmon", "/usr/bin/sudo", c.args...)
			if c.person {
				ev.AUID = parser.NewID(2002)
			}
			f := findingOf(e.Observe(ev, s.tree), "sudo-shell-escape-service")
			if got := f != nil; got != c.want {
				t.Fatalf("sudo-shell-escape-service %v, want %v", got, c.want)
			}
			if f != nil && (f.Stage != StageSuspiciousSpawn || f.Severity != SeverityHigh) {
				t.Errorf("stage %v, %s; want 4, high", f.Stage, f.Severity)
			}
		})
	}
}

// TestSudoEscapeAgainIsKept: the same account escaping through the same
// program sudo runs a second time was root that way before: the access
// kept (stage 5), as a planted script's later runs are; another account's
// first escape is still the privilege gained (4).
func TestSudoEscapeAgainIsKept(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	s.exec(400, 1, 108, "Debian-exim", "/", "/usr/sbin/exim4", "/usr/sbin/exim4", "-Mc", "1xaPV5")
	esc := func(pid int, uid uint32, user, script string) *Finding {
		s.exec(pid, 400, uid, user, "/", "/usr/bin/dash", "/bin/sh", "/home/"+user+"/.local/bin/alert-digest")
		return findingOf(e.Observe(s.exec(pid+1, pid, uid, user, "/", "/usr/bin/sudo", "sudo", "-n", "/usr/bin/tcpdump", "-i", "lo", "-w", "/dev/null", "-W", "1", "-G", "1", "-z", script, "-Z", "root"), s.tree), RuleSudoEscapeService)
	}
	for i, c := range []struct {
		uid   uint32
		user  string
		stage Stage
	}{{2241, "opsmon", StageSuspiciousSpawn}, {2241, "opsmon", StagePersistence}, {2242, "backup", StageSuspiciousSpawn}} {
		f := esc(410+10*i, c.uid, c.user, "/home/"+c.user+"/.r.sh")
		if f == nil || f.Stage != c.stage {
			t.Errorf("escape %d by %s: %+v, want stage %v", i+1, c.user, f, c.stage)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sudo", "-n", "-u", "root", "/usr/bin/tcpdump", "-z", "x"}, "/usr/bin/tcpdump"},
		{[]string{"sudo", "--", "find", "."}, "find"},
		{[]string{"sudo", "-l"}, ""},
	} {
		if got := sudoProgram(c.args); got != c.want {
			t.Errorf("sudoProgram(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
