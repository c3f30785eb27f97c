package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestServiceFileServer: `php -S` is a throw-away file server when the web
// shell starts it; started (and restarted) by a service manager as the web
// account it is the site's own server (kiln-photourl: supervisord, known
// by its records' comm, python's exe, before the log began).
func TestServiceFileServer(t *testing.T) {
	for _, c := range []struct {
		name   string
		parent func(s *synth) int
		want   bool
	}{
		{"from the web shell", func(s *synth) int { return 201 }, true},
		{"by supervisord, known by its comm", func(s *synth) int {
			s.tree.Observe(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: 50, PPID: 1,
				UID: parser.NewID(0), Exe: "/usr/bin/python3.11", Comm: "supervisord", Time: s.t})
			return 50
		}, false},
		{"by a renamed interpreter the web account runs", func(s *synth) int {
			s.tree.Observe(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: 70, PPID: 201,
				UID: parser.NewID(33), Exe: "/tmp/.x/supervisord", Comm: "supervisord", Time: s.t})
			return 70
		}, true},
		{"by systemd", func(s *synth) int {
			s.exec(60, 1, 0, "root", "/", "/usr/lib/systemd/systemd", "/usr/lib/systemd/systemd", "--user")
			return 60
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			par := c.parent(s)
			got := e.Observe(s.exec(300, par, 33, "www-data", "/srv/site", "/usr/bin/php8.2", "/usr/bin/php", "-S", "127.0.0.1:9210", "-t", "/srv/site/public"), s.tree)
			if f := findingOf(got, "exfil-side-channel-web"); (f != nil) != c.want {
				t.Errorf("exfil-side-channel-web: %v, want %v (%v)", f != nil, c.want, ids(got))
			}
		})
	}
}

// TestForkedWorkerIsTheServer: a worker a learned server forked (its
// image, no exec of its own) is the server; a child that execs another
// program is not.
func TestForkedWorkerIsTheServer(t *testing.T) {
	ss := NewServerSet()
	master := &parser.Process{Key: parser.ProcKey{PID: 10}, Exe: "/usr/bin/php8.2"}
	ss.servers[master.Key] = &Server{}
	worker := &parser.Process{Key: parser.ProcKey{PID: 11}, Exe: "/usr/bin/php8.2", Parent: master}
	shell := &parser.Process{Key: parser.ProcKey{PID: 12}, Exe: "/usr/bin/dash", Parent: worker, Execs: []parser.Exec{{Exe: "/usr/bin/dash"}}}
	reexec := &parser.Process{Key: parser.ProcKey{PID: 13}, Exe: "/usr/bin/php8.2", Parent: master, Execs: []parser.Exec{{Exe: "/usr/bin/php8.2"}}}
	for _, c := range []struct {
		p    *parser.Process
		want bool
	}{{worker, true}, {shell, false}, {reexec, false}} {
		if got := ss.IsServer(c.p); got != c.want {
			t.Errorf("IsServer(pid %d) = %v, want %v", c.p.Key.PID, got, c.want)
		}
	}
}
