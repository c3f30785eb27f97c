package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestServerSSHLogins: a web server's own process (no ssh client started)
// that connects to an ssh server after the host's first hostile act, to an
// address its program never reached before it, and opens a login there is
// code inside the server moving to another account: one finding on stage
// 6, in the chain of that login's commands. The application's own ssh
// peer (reached before anything hostile), a log with no hostile act, a
// connect that opens no login, and an ssh client process (linkSSH's case)
// make none.
func TestServerSSHLogins(t *testing.T) {
	for _, c := range []struct {
		name    string
		early   bool // the server's program reached sshd before the first hostile act
		hostile bool // a hostile act at 10
		login   bool // the connect opens deploy's login
		client  bool // an ssh client process connects, not the server
		want    bool
	}{
		{"code in the server logs in as deploy", false, true, true, false, true},
		{"the app's own ssh work, done from the start", true, true, true, false, false},
		{"no hostile act on the host", false, false, true, false, false},
		{"no login follows the connect", false, true, false, false, false},
		{"an ssh client process (linkSSH's case)", false, true, true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			if c.early { // the application's own login, running what the later one runs
				s.connect(2, worker2, "127.0.0.1", 22)
				s.accept(2.001, sshD, "127.0.0.1", 40000)
				s.touch(2.002, who{pid: 640, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"})
				s.login(2.1, "LOGIN", 640, 2003, 12, "deploy", "")
				s.login(2.11, "USER_START", 640, 2003, 12, "deploy", "127.0.0.1")
				s.exec(2.2, who{pid: 642, ppid: 640, uid: 2003, auid: parser.NewID(2003), ses: parser.NewID(12), user: "deploy", exe: "/usr/bin/bash"}, "bash", "-c", "id; hostname")
			}
			if c.hostile {
				shell := s.exec(10, shellOf(700, worker1, "/var/www/html"), "sh", "-c", "id")
				s.find(shell, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			}
			from := worker2
			if c.client {
				from = child(710, shellOf(709, worker1, "/var/www/html"))
				s.exec(59.9, from, "ssh", "deploy@127.0.0.1", "id")
			}
			conn := s.connect(60.008, from, "127.0.0.1", 22)
			s.accept(60.009, sshD, "127.0.0.1", 38388)
			var dep *detect.Finding
			if c.login {
				d1 := who{pid: 661, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
				s.touch(60.01, d1)
				s.login(60.18, "LOGIN", 661, 2003, 13, "deploy", "")
				s.login(60.19, "USER_START", 661, 2003, 13, "deploy", "127.0.0.1")
				deploy := who{pid: 663, ppid: 661, uid: 2003, auid: parser.NewID(2003), ses: parser.NewID(13), user: "deploy"}
				dep = s.find(s.exec(60.22, deploy, "bash", "-c", "id; hostname"), detect.StageCommandExecution, detect.SeverityMedium, "Shell")
			}
			r := s.build()
			f := oneOf(t, r, RuleServerSSH, c.want)
			if f == nil {
				return
			}
			if f.Event != conn || f.Stage != detect.StageLateralMovement || f.Source != "correlation" || f.Severity != detect.SeverityHigh {
				t.Errorf("finding on %v stage %v %v from %q, want the connect on stage 6 at high, a correlation", f.Event.Peer, f.Stage, f.Severity, f.Source)
			}
			if !strings.HasPrefix(f.Reason, "observed: ") || !strings.Contains(f.Reason, "inferred: ") || !strings.Contains(f.Reason, "deploy") {
				t.Errorf("reason %q: want what is observed (the login's account) and what is inferred said apart", f.Reason)
			}
			if len(f.Related) != 2 {
				t.Errorf("%d related events, want the accept and the login", len(f.Related))
			}
			ch := chainOf(r, f)
			if ch == nil || chainOf(r, dep) != ch {
				t.Errorf("the login's command is not in the chain of the server's ssh login")
			}
		})
	}
}

// TestServerSSHNovelSession: an application that logs in over ssh for its
// own work (a deploy button: deploy's `bash -c deploy-release …`) from the
// start of the log, and again during the intrusion, is not flagged; a login
// by the same server to the same account after the host's first hostile
// act whose session runs a command no earlier login of that server ran
// (`id; hostname; ls -la ~/.ssh`) is, at medium: the address is the
// application's, the session's work is not.
func TestServerSSHNovelSession(t *testing.T) {
	for _, c := range []struct {
		name string
		cmd  string // what the later session runs
		want bool
	}{
		{"the deploy button again", "deploy-release shop 4.2.1", false},
		{"a session that runs discovery", "id; hostname; ls -la ~/.ssh", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			login := func(at float64, pid int, ses uint32, cmd string) *parser.Event {
				conn := s.connect(at, worker2, "127.0.0.1", 22)
				s.accept(at+0.001, sshD, "127.0.0.1", 38000+pid)
				d := who{pid: pid, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
				s.touch(at+0.002, d)
				s.login(at+0.1, "LOGIN", pid, 2003, ses, "deploy", "")
				s.login(at+0.11, "USER_START", pid, 2003, ses, "deploy", "127.0.0.1")
				u := who{pid: pid + 2, ppid: pid, uid: 2003, auid: parser.NewID(2003), ses: parser.NewID(ses), user: "deploy", exe: "/usr/bin/bash"}
				s.exec(at+0.2, u, "bash", "-c", cmd)
				return conn
			}
			login(2, 600, 11, "deploy-release shop 4.1.9")
			shell := s.exec(10, shellOf(700, worker1, "/var/www/html"), "sh", "-c", "id")
			s.find(shell, detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			conn := login(60, 660, 13, c.cmd)
			r := s.build()
			f := oneOf(t, r, RuleServerSSH, c.want)
			if f == nil {
				return
			}
			if f.Event != conn || f.Stage != detect.StageLateralMovement || f.Severity != detect.SeverityMedium {
				t.Errorf("finding on %v stage %v %v, want the later connect on stage 6 at medium", f.Event.Peer, f.Stage, f.Severity)
			}
			if !strings.Contains(f.Reason, "no earlier login") {
				t.Errorf("reason %q does not say the session's command is new", f.Reason)
			}
		})
	}
}

// TestSSHLoginIsASessionOpening: two ssh connections in a row to one
// daemon; the first session closes (USER_END) after the second connection
// was accepted and before its LOGIN. The second connect opened the second
// session, not the first one's close (shipnotes-import: the app's deploy
// login and the intruder's net-ssh login 0.2 s apart).
func TestSSHLoginIsASessionOpening(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	d1 := who{pid: 600, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
	d2 := who{pid: 610, ppid: 60, uid: 0, exe: "/usr/sbin/sshd"}
	s.connect(10, worker2, "127.0.0.1", 22)
	s.accept(10.001, sshD, "127.0.0.1", 40001)
	s.touch(10.002, d1)
	s.login(10.1, "LOGIN", 600, 2003, 11, "deploy", "")
	s.login(10.11, "USER_START", 600, 2003, 11, "deploy", "127.0.0.1")
	second := s.connect(10.3, worker2, "127.0.0.1", 22)
	s.accept(10.301, sshD, "127.0.0.1", 40002)
	s.login(10.35, "USER_END", 600, 2003, 11, "deploy", "127.0.0.1")
	s.touch(10.36, d2)
	s.login(10.4, "LOGIN", 610, 2003, 12, "deploy", "")
	s.build()
	_, login, _ := newSSHMatcher(s.b).loginOf(second)
	if login == nil || login.SES.N != 12 {
		t.Fatalf("the second connect opened %v, want session 12", login)
	}
}
