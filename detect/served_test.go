package detect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

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

// TestCodeDirs: the folders a server's command line names as its code.
func TestCodeDirs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"/usr/bin/python3", "-m", "uvicorn", "berthplan:app", "--app-dir", "/srv/berthplan/app", "--port", "8160"}, []string{"/srv/berthplan/app"}},
		{[]string{"starman", "--listen", "127.0.0.1:5091", "--workers", "3", "/srv/scaleyard/app/app.psgi"}, []string{"/srv/scaleyard/app"}},
		{[]string{"gunicorn", "--chdir=/opt/netdiag", "app:app"}, []string{"/opt/netdiag"}},
		{[]string{"python3", "/srv/fieldbook/main.py"}, []string{"/srv/fieldbook"}},
		{[]string{"python3", "app.py"}, nil}, // relative to a cwd the log may not show
		{[]string{"nginx", "-g", "daemon off;"}, nil},
		{[]string{"--app-dir"}, nil},
	} {
		got := codeDirs(c.args)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("codeDirs(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestWebRootByRuleKey: a tree the audit rules watch under a web-root key
// is a web root wherever it lies (tallyhall-xslt: /srv/tallyhall/htdocs,
// key webroot_write, where the Twisted server itself wrote .rpy resource
// scripts); so is an Apache-style htdocs folder. The same write recorded
// under another key, outside any known root, is not.
func TestWebRootByRuleKey(t *testing.T) {
	for _, c := range []struct {
		name, path, key string
		want            bool
	}{
		{"a resource script under a web-root key", "/srv/tally/site/tools/x.rpy", "webroot_write", true},
		{"a key that says www", "/opt/app/pub/x.php", "www_changes", true},
		{"an htdocs folder", "/opt/app/htdocs/x.rpy", "", true},
		{"another key, no known root", "/srv/tally/site/tools/x.rpy", "app_files", false},
		{"not a script", "/srv/tally/site/tools/x.css", "webroot_write", false},
		// tar -C extracting through a directory descriptor: the name
		// alone says nothing of where it is
		{"a name relative to an unseen folder", "glossary/index.php", "webroot_write", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			s.exec(10, 1, 2121, "tallyweb", "/", "/usr/bin/python3.11", "/usr/bin/python3", "/usr/bin/twistd3", "-n", "-y", "/srv/tally/app/tally.tac")
			ev := &parser.Event{Kind: parser.KindFileWrite, Syscall: "openat", Success: true, PID: 10, PPID: 1, Key: c.key,
				UID: parser.NewID(2121), EUID: parser.NewID(2121), User: "tallyweb", Exe: "/usr/bin/python3.11", Path: c.path,
				Paths: []parser.PathRecord{{Name: c.path, Nametype: "CREATE"}}}
			fs := e.Observe(s.next(ev), s.tree)
			if got := has(fs, "webroot-script-write") != nil; got != c.want {
				t.Errorf("webroot-script-write: %v, want %v (%v)", got, c.want, ids(fs))
			}
		})
	}
	for k, want := range map[string]bool{"webroot_write": true, "WEB_ROOT": true, "htdocs": true, "web": true, "network_connect_4": false, "": false, "webhook": false} {
		if webRootKey(k) != want {
			t.Errorf("webRootKey(%q) = %v, want %v", k, !want, want)
		}
	}
}
