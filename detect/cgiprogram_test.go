package detect

import (
	"path"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestCGIProgram: a CGI host's program running one of the site's scripts
// is the application serving a request: its shell is no web server shell
// spawn and its connections no reverse shell. An application server that
// runs code in process (php-fpm) starting a script, a script the web
// account wrote during the log, and inline code are not CGI programs.
func TestCGIProgram(t *testing.T) {
	for _, c := range []struct {
		name, host string
		written    bool
		args       []string
		want       bool
	}{
		{"fcgiwrap runs the site's python script", "/usr/sbin/fcgiwrap", false, []string{"/usr/bin/python3", "/srv/app/cgi-bin/scan.cgi"}, true},
		{"fcgiwrap runs the site's shell script", "/usr/sbin/fcgiwrap", false, []string{"/bin/sh", "/srv/app/cgi-bin/index.cgi"}, true},
		{"php-fpm starts a script", "/usr/sbin/php-fpm8.2", false, []string{"/usr/bin/python3", "/srv/app/cgi-bin/scan.cgi"}, false},
		{"a script the web account wrote", "/usr/sbin/fcgiwrap", true, []string{"/usr/bin/python3", "/srv/app/cgi-bin/scan.cgi"}, false},
		{"inline code", "/usr/sbin/fcgiwrap", false, []string{"/usr/bin/python3", "-c", "import socket"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := newSynth()
			e.Observe(s.exec(100, 1, 33, "www-data", "/srv/app/cgi-bin", c.host, c.host), s.tree)
			// an earlier request's program: the folder is served
			e.Observe(s.exec(101, 100, 33, "www-data", "/srv/app/cgi-bin", "/usr/bin/dash", "/bin/sh", "/srv/app/cgi-bin/health.cgi"), s.tree)
			if c.written {
				e.Observe(s.file(parser.KindFileWrite, 102, 100, 33, "/usr/bin/dash", "/srv/app/cgi-bin/scan.cgi", true), s.tree)
			}
			ev := s.exec(110, 100, 33, "www-data", "/srv/app/cgi-bin", "/usr/bin/"+path.Base(c.args[0]), c.args...)
			e.Observe(ev, s.tree)
			if got := e.state.cgiProgram("", ev.Proc); got != c.want {
				t.Errorf("cgiProgram = %v, want %v", got, c.want)
			}
		})
	}
}
