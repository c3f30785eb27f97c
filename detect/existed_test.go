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
