package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestScriptChangedIsPersistence: a script that lands new under the web
// root is an upload (stage 2); one that was there and is changed — code
// appended with echo >>, a page copied over, an in-place sed -i (a rename
// replacing its target, as the kernel logs cgi-backdoor's sed -i of
// ~/.profile: DELETE of the temp name and of the target, CREATE of the
// target) — is a backdoor in the site's own code: persistence, stage 5.
func TestScriptChangedIsPersistence(t *testing.T) {
	paths := func(items ...string) []parser.PathRecord {
		var out []parser.PathRecord
		for i := 0; i+1 < len(items); i += 2 {
			out = append(out, parser.PathRecord{Name: items[i], Nametype: items[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		kind  parser.Kind
		sys   string
		path  string
		items []parser.PathRecord
		rule  string
		stage Stage
	}{
		{"upload lands new", parser.KindRename, "rename", "/var/www/html/uploads/a.php",
			paths("/var/www/html/uploads/", "PARENT", "/tmp/", "PARENT", "/tmp/phpX", "DELETE", "/var/www/html/uploads/a.php", "CREATE"),
			"webroot-script-write", StageWebshellUpload},
		{"new file opened with O_CREAT", parser.KindFileWrite, "openat", "/var/www/html/x.php",
			paths("/var/www/html/", "PARENT", "/var/www/html/x.php", "CREATE"), "webroot-script-write", StageWebshellUpload},
		{"a page written into a templates folder (Jinja2, Django: .html)", parser.KindFileWrite, "openat", "/var/www/html/templates/pages/notice.html",
			paths("/var/www/html/templates/pages/", "PARENT", "/var/www/html/templates/pages/notice.html", "CREATE"), "webroot-script-write", StageWebshellUpload},
		{"echo >> an existing page", parser.KindFileWrite, "openat", "/var/www/html/footer.php",
			paths("/var/www/html/footer.php", "NORMAL"), "webroot-script-modified", StagePersistence},
		{"sed -i replaces the page", parser.KindRename, "rename", "/var/www/html/index.php",
			paths("/var/www/html/", "PARENT", "/var/www/html/", "PARENT", "/var/www/html/sedAV0ZCd", "DELETE", "/var/www/html/index.php", "DELETE", "/var/www/html/index.php", "CREATE"),
			"webroot-script-modified", StagePersistence},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm")
			ev := &parser.Event{Kind: tc.kind, Syscall: tc.sys, Success: true, PID: 10, PPID: 1,
				UID: parser.NewID(33), EUID: parser.NewID(33), User: "www-data", Exe: "/usr/sbin/php-fpm8.2", Path: tc.path, Paths: tc.items}
			fs := e.Observe(s.next(ev), s.tree)
			f := has(fs, tc.rule)
			if f == nil {
				t.Fatalf("no %s: %v", tc.rule, ids(fs))
			}
			if f.Stage != tc.stage {
				t.Errorf("stage %v, want %v", f.Stage, tc.stage)
			}
			other := "webroot-script-write"
			if tc.rule == other {
				other = "webroot-script-modified"
			}
			if has(fs, other) != nil {
				t.Errorf("both rules matched: %v", ids(fs))
			}
		})
	}
}

// TestOwnScriptRewritten: a script the web side made in the log, written
// again (three workers winning an upload race each wrote the dropped
// shell, shop-returns), is the same landing, not a change of a script the
// site already served; once another account rewrote it, a change by the
// web side is one again.
func TestOwnScriptRewritten(t *testing.T) {
	for _, rootBetween := range []bool{false, true} {
		e, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := newSynth()
		s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm")
		s.exec(11, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm")
		const shell = "/var/www/html/lang/nl.php"
		write := func(pid int, uid uint32, exe, nametype string) []*Finding {
			ev := &parser.Event{Kind: parser.KindFileWrite, Syscall: "openat", Success: true, PID: pid, PPID: 1,
				UID: parser.NewID(uid), EUID: parser.NewID(uid), Exe: exe, Path: shell,
				Paths: []parser.PathRecord{{Name: shell, Nametype: nametype}}}
			return e.Observe(s.next(ev), s.tree)
		}
		if has(write(10, 33, "/usr/sbin/php-fpm8.2", "CREATE"), "webroot-script-write") == nil {
			t.Fatal("the dropped script's creation is no webroot-script-write")
		}
		if rootBetween {
			s.exec(20, 1, 0, "root", "/", "/usr/bin/cp", "cp", "/srv/site/nl.php", shell)
			write(20, 0, "/usr/bin/cp", "NORMAL")
		}
		fs := write(11, 33, "/usr/sbin/php-fpm8.2", "NORMAL")
		if got := has(fs, "webroot-script-modified") != nil; got != rootBetween {
			t.Errorf("root rewrote it between: %v; webroot-script-modified %v (%v)", rootBetween, got, ids(fs))
		}
	}
}

// TestScriptChangedFromTheWebAsRoot: an account reached from the web
// server changes the site's code too: the web shell's sudo to root, then
// sed -i of the login page (shop-accounts: a root implant's task patching
// login.php to harvest passwords). The touch that backdates the page
// after it opens the file to set its times, which timestomp-web reports;
// it changes no code. sed's rename over the page replaced a file, so a
// later append by the web server changes a script the site already
// served, not one the intrusion landed.
func TestScriptChangedFromTheWebAsRoot(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSynth()
	const page = "/var/www/html/account/login.php"
	for _, ev := range []*parser.Event{
		s.exec(10, 1, 33, "www-data", "/", "/usr/sbin/php-fpm8.2", "php-fpm"),
		s.exec(20, 10, 33, "www-data", "/var/www/html/img", "/usr/bin/dash", "sh", "-c", "sudo -n /usr/local/bin/fix"),
		s.exec(21, 20, 0, "root", "/var/www/html/img", "/usr/bin/sed", "sed", "-i", "/password_verify/r /run/.p", page),
	} {
		e.Observe(ev, s.tree)
	}
	write := func(pid, ppid int, uid uint32, user, exe, kind string, items ...string) []*Finding {
		ev := &parser.Event{Kind: parser.KindFileWrite, Syscall: "openat", Success: true, PID: pid, PPID: ppid,
			UID: parser.NewID(uid), EUID: parser.NewID(uid), User: user, Exe: exe, Path: page}
		if kind == "rename" {
			ev.Kind, ev.Syscall = parser.KindRename, "rename"
		}
		for i := 0; i+1 < len(items); i += 2 {
			ev.Paths = append(ev.Paths, parser.PathRecord{Name: items[i], Nametype: items[i+1]})
		}
		return e.Observe(s.next(ev), s.tree)
	}
	fs := write(21, 20, 0, "root", "/usr/bin/sed", "rename", "/var/www/html/account/", "PARENT", "/var/www/html/account/sed8Gl3DR", "DELETE", page, "DELETE", page, "CREATE")
	if f := has(fs, "webroot-script-modified"); f == nil || f.Stage != StagePersistence {
		t.Fatalf("root's sed -i below the web server: %v, want webroot-script-modified on stage 5", ids(fs))
	}
	e.Observe(s.exec(22, 20, 0, "root", "/var/www/html/img", "/usr/bin/touch", "touch", "-d", "2026-11-20 09:14:07", page), s.tree)
	if fs := write(22, 20, 0, "root", "/usr/bin/touch", "open", page, "NORMAL"); has(fs, "webroot-script-modified") != nil || has(fs, "webroot-script-write") != nil {
		t.Errorf("touch's open of the page: %v, want no script change", ids(fs))
	}
	fs = write(10, 1, 33, "www-data", "/usr/sbin/php-fpm8.2", "open", page, "NORMAL")
	if has(fs, "webroot-script-modified") == nil || has(fs, "webroot-script-write") != nil {
		t.Errorf("the server's append after the sed: %v, want webroot-script-modified alone", ids(fs))
	}
}
