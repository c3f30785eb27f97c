package timeline

import (
	"fmt"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Code inside a server can log in to another account without starting an
// ssh client: an ssh library loaded by a planted start-up file or used by
// an in-process web shell (Ruby's net-ssh, Python's paramiko, PHP's
// phpseclib) makes the server's own process connect to sshd. No command is
// logged on the client side, so neither the rules nor linkSSH (which
// follows a unit of work's ssh client) see it; what the log shows is the
// server's connect, sshd's accept and the login it opens. The order of
// three things makes it the intrusion's:
//  1. the host's first hostile act (as for serverPolls);
//  2. after it, the server's own process connects to an ssh port, at an
//     address its program (image and account, on that host) never reached
//     before that act: an application that logs in over ssh for its own
//     work (a deploy hook, an SFTP backup) does so from the start;
//  3. and that connection opens a login (matched as linkSSH matches one).
// Then the login is taken as the intrusion's lateral movement through code
// in the server (inferred, said so, T1021.004, stage 6, high), and the
// login's session joins its chain. An application that does log in there
// for its own work (shipnotes' deploy button: net-ssh to deploy, `bash -c
// deploy-release …`) makes the address no evidence; a login of it after
// the first hostile act whose session runs a command (its template) that
// none of its logins before that act ran is new work, at medium. An
// application that first logs in over ssh after an intrusion began, for
// its own reasons, is what this cannot tell apart, and the reason says
// what was inferred and why.

// RuleServerSSH is the id of the findings serverSSHLogins makes.
const RuleServerSSH = "web-server-ssh-login"

// serverSSHLogins returns the findings of web server processes opening an
// ssh login after the host's first hostile act: to an address their
// program first reached after it, or to one it logged in to before for a
// session whose command none of its earlier logins ran.
func (b *Builder) serverSSHLogins(all []*detect.Finding) []*detect.Finding {
	if len(b.logins) == 0 {
		return nil
	}
	first := b.firstHostile(all)
	if len(first) == 0 {
		return nil
	}
	known := map[serverProgram]bool{} // reached before the host's first hostile act
	var before, cands []*parser.Event
	for _, c := range b.connects {
		if c.Proc == nil || !b.opts.isWebServer(c.Proc) {
			continue
		}
		h, ok := first[c.Host]
		if !ok || c.Time.Before(h.Time) {
			known[programOf(c)] = true
			if b.isSSHPort(c.Peer.Port) {
				before = append(before, c)
			}
			continue
		}
		if b.isSSHPort(c.Peer.Port) && c.TextRetained() {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	m := newSSHMatcher(b)
	// what the server's logins ran before the intrusion: the
	// application's own ssh work (a deploy button's command)
	ran := map[sessionWork]bool{}
	for _, c := range before {
		if _, login, _ := m.loginOf(c); login != nil {
			if cmd := b.sessionCommand(login); cmd != "" {
				ran[sessionWork{programOf(c), cmd}] = true
			}
		}
	}
	var out []*detect.Finding
	opened := map[sessKey]bool{}
	for _, c := range cands {
		acc, login, how := m.loginOf(c)
		if login == nil || acc == nil {
			continue // without the accept, the login's port is not the server's
		}
		k := sessKey{login.Host, login.AUID.N, login.SES.N}
		if opened[k] {
			continue
		}
		h := first[c.Host]
		hostile := fmt.Sprintf("%s, the host's first hostile act (%s, %s)", when(h.Time), h.Title, label(procOf(h)))
		sev := detect.SeverityHigh
		basis := fmt.Sprintf("its program (%s as uid %d) reached that address no time before %s", c.Proc.Exe, programOf(c).uid, hostile)
		if known[programOf(c)] {
			// the application logs in there itself: only a session that
			// runs what none of its logins before the intrusion ran is
			// new work, and the address alone says nothing (medium)
			cmd := b.sessionCommand(login)
			if cmd == "" || ran[sessionWork{programOf(c), cmd}] {
				continue
			}
			sev = detect.SeverityMedium
			basis = fmt.Sprintf("its program (%s as uid %d) logs in there on its own, but no earlier login of it before %s ran the session's command (%s)", c.Proc.Exe, programOf(c).uid, hostile, cmd)
		}
		opened[k] = true
		out = append(out, &detect.Finding{
			RuleID: RuleServerSSH, RuleIDs: []string{RuleServerSSH},
			Title:    "Web Server Itself Opens An SSH Login Since The Intrusion",
			Why:      "The server's own process, with no ssh client started, connects to an ssh server and a login follows from that connection, since the intrusion's first act on the host: to an address its program never reached before (high), or to one it uses for its own work but for a session that runs what none of its earlier logins ran (medium). An ssh library inside the server (used by planted code or an in-process web shell) moves to another account this way; the audit log shows the connection and the login, not the code that made them.",
			Severity: sev,
			Attack:   []string{"T1021.004"},
			Stage:    detect.StageLateralMovement,
			Reason: fmt.Sprintf("observed: %s[%d], a web server process, opened session %d (%s) on %s: %s; %s; inferred: code inside the server logging in as another account (T1021.004)",
				c.Proc.Name(), c.Proc.Key.PID, login.SES.N, loginAccount(login), hostOr(login.Host), how, basis),
			Time:    c.Time,
			Host:    c.Host,
			Event:   c,
			Process: c.Proc,
			Related: []*parser.Event{acc, login},
			Source:  "correlation",
		})
	}
	return out
}

// sessionWork is what a server's ssh login ran: the server's program and
// the template of the session's first command.
type sessionWork struct {
	prog serverProgram
	cmd  string
}

// maxSessionCmds bounds the sessions whose first command is remembered.
const maxSessionCmds = 4096

// sessionCommand returns the template of the first command a login's
// session ran as its account, or "" (none seen, or past the bound).
func (b *Builder) sessionCommand(login *parser.Event) string {
	return b.sessionCmds[sessKey{login.Host, login.AUID.N, login.SES.N}]
}

func (b *Builder) isSSHPort(n int) bool {
	for _, p := range b.opts.SSHPorts {
		if n == p {
			return true
		}
	}
	return false
}

// linkServerSSH joins the login a server's own ssh connection opened (a
// web-server-ssh-login finding) to that finding, and the finding to the
// other correlations of the same server process (its beacon's poll):
// one process's planted code, one intrusion.
func (l *linker) linkServerSSH() {
	byProc := map[*parser.Process]int{}
	for i, f := range l.findings {
		if f.Source != "correlation" || (f.RuleID != RuleServerSSH && f.RuleID != RuleServerPoll && f.RuleID != RuleServerPlantFired) || f.Process == nil {
			continue
		}
		if j, ok := byProc[f.Process]; ok {
			l.union(findingKey(j), findingKey(i), f.Time, fmt.Sprintf("server process: %s's acts since the intrusion (its start, a poll, an ssh login) are the code planted in it", label(f.Process)))
		} else {
			byProc[f.Process] = i
		}
		if f.RuleID != RuleServerSSH || len(f.Related) < 2 || f.Related[1] == nil {
			continue
		}
		login := f.Related[1]
		s := sessKey{login.Host, login.AUID.N, login.SES.N}
		l.union(findingKey(i), s, f.Time, fmt.Sprintf("ssh: session %d (%s) on %s opened by %s, the web server's own process (inferred: code inside it)",
			login.SES.N, loginAccount(login), hostOr(login.Host), label(f.Process)))
	}
}
