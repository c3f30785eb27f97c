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
		{"the app's own ssh peer, reached from the start", true, true, true, false, false},
		{"no hostile act on the host", false, false, true, false, false},
		{"no login follows the connect", false, true, false, false, false},
		{"an ssh client process (linkSSH's case)", false, true, true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			if c.early {
				s.connect(2, worker2, "127.0.0.1", 22)
				s.accept(2, sshD, "127.0.0.1", 40000)
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
