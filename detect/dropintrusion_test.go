package detect

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestDropByIntrusionHands: a root implant the web side planted (its
// script written from the web shell, started later by root's cron) reads
// its tasks where no socket shows and leaves their output as pictures in
// the served tree for its operator to fetch (shop-accounts' banner PNGs):
// a new file there by a plant's process is the return leg of a channel
// (stage 7). Its scripts, touch, the server's own uploads and the site's
// data changed in place are other rules'.
func TestDropByIntrusionHands(t *testing.T) {
	scene := func(t *testing.T) (*Engine, *synth) {
		e, s := webShellScene(t)
		e.Observe(s.exec(202, 201, 33, "www-data", "/var/www/html/media/tmp", "/usr/bin/dash", "sh", "-c", "echo IyEvYmluL3NoCg== | base64 -d > /var/tmp/.thumbd"), s.tree)
		observeWrite(e, s, 202, 201, 33, "/usr/bin/dash", "/var/tmp/.thumbd", true)
		e.Observe(s.exec(300, 1, 0, "root", "/", "/usr/sbin/cron", "/usr/sbin/CRON", "-f"), s.tree)
		e.Observe(s.exec(301, 300, 0, "root", "/", "/usr/bin/dash", "/bin/sh", "/var/tmp/.thumbd"), s.tree)
		if !e.state.adoptedAbove(s.tree.ByPID("", 301)[0]).planted() {
			t.Fatal("the scene is not what it means to be: root's run of the web side's script is no plant started")
		}
		return e, s
	}
	for _, c := range []struct {
		name    string
		pid     int
		uid     uint32
		exe     string
		path    string
		created bool
		want    bool
	}{
		{"the plant leaves a task's output as a picture", 301, 0, "/usr/bin/dash", "/var/www/html/img/banners/b1.png", true, true},
		{"a script is webroot-script-write's", 301, 0, "/usr/bin/dash", "/var/www/html/img/x.php", true, false},
		{"the site's data changed in place is webroot-data-altered's", 301, 0, "/usr/bin/dash", "/var/www/html/data/orders.csv", false, false},
		{"the server stores an upload", 200, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/img/banners/b2.png", true, false},
		{"outside the served tree", 301, 0, "/usr/bin/dash", "/var/lib/thumbd/state", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := scene(t)
			f := findingOf(observeWrite(e, s, c.pid, 300, c.uid, c.exe, c.path, c.created), "webroot-drop-intrusion")
			if (f != nil) != c.want {
				t.Fatalf("webroot-drop-intrusion %v, want %v", f != nil, c.want)
			}
			if f != nil && f.Stage != StageCommandAndControl {
				t.Errorf("stage %s, want 7", f.Stage)
			}
		})
	}
}

// TestFilenameInjection: a file named with shell code, made by the web
// side's own command (shop-accounts' touch of an upload chunk named
// IMG_4471.jpg.$(sh .c).part, waiting for root's find -exec sh -c), is
// an injection laid for another account's script (stage 4); the same name
// on a visitor's upload, kept by the server and carried on by the
// application's workers, is the visitor's data.
func TestFilenameInjection(t *testing.T) {
	for _, c := range []struct {
		name string
		file string
		upl  bool // the server stored an upload of that name first
		want bool
	}{
		{"a command substitution", "/var/www/html/media/tmp/IMG_4471.jpg.$(sh .c).part", false, true},
		{"backticks", "/var/www/html/uploads/a`id`.png", false, true},
		{"a parameter expansion", "/var/www/html/uploads/x${IFS}y", false, true},
		{"a plain name", "/var/www/html/uploads/IMG_4471.jpg.3c9e.part", false, false},
		{"a visitor's upload carried on", "/var/www/html/var/imports/181343-list $(date).csv", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.upl {
				up := s.file(parser.KindFileWrite, 200, 1, 33, "/usr/sbin/php-fpm8.2", "/var/www/html/var/uploads/181343-list $(date).csv", true)
				up.Paths = []parser.PathRecord{{Name: up.Path, Nametype: "CREATE"}}
				if has(e.Observe(up, s.tree), "filename-injection-web") != nil {
					t.Fatal("the server's own upload of a visitor's name")
				}
			}
			s.exec(202, 201, 33, "www-data", "/var/www/html", "/usr/bin/touch", "touch", c.file)
			w := s.file(parser.KindFileWrite, 202, 201, 33, "/usr/bin/touch", c.file, true)
			w.Paths = []parser.PathRecord{{Name: c.file, Nametype: "CREATE"}}
			f := findingOf(e.Observe(w, s.tree), "filename-injection-web")
			if (f != nil) != c.want {
				t.Fatalf("filename-injection-web %v, want %v", f != nil, c.want)
			}
			if f != nil && f.Stage != StageSuspiciousSpawn {
				t.Errorf("stage %s, want 4", f.Stage)
			}
		})
	}
}

// TestSavedAsideIsNoPlant: cp -p of a library already in its folder to a
// name beside it (shop-packslip: the original kept before the
// replacement) puts no program of its own there: medium, said why. The
// same folder's new library copied in from elsewhere stays a plant.
func TestSavedAsideIsNoPlant(t *testing.T) {
	e, s := webShellScene(t)
	e.Observe(s.exec(210, 201, 33, "www-data", "/opt/app/lib", "/usr/bin/dash", "sh", "-c", "cp -p libc1.so.1 .libc1.so.1~ && cp /var/tmp/.x/lc.so .lc.tmp && mv -f .lc.tmp libc1.so.1"), s.tree)
	aside := findingOf(e.Observe(s.exec(211, 210, 33, "www-data", "/opt/app/lib", "/usr/bin/cp", "cp", "-p", "libc1.so.1", ".libc1.so.1~"), s.tree), RuleProgramPlanted)
	if aside == nil || aside.Severity != SeverityMedium || !strings.Contains(aside.Reason, "a file already in that folder") {
		t.Errorf("the copy saved aside: %+v", aside)
	}
	in := findingOf(e.Observe(s.exec(212, 210, 33, "www-data", "/opt/app/lib", "/usr/bin/cp", "cp", "/var/tmp/.x/lc.so", ".lc.tmp"), s.tree), RuleProgramPlanted)
	if in == nil || in.Severity < SeverityHigh {
		t.Errorf("the library copied in from elsewhere: %+v, want a high plant", in)
	}
}
