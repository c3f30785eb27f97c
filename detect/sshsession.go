package detect

import (
	"net"
	"path"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A login the intruder's own ssh opened on this host. The web account's
// ssh to another local account (a key found on the host, ssh
// deploy@127.0.0.1) starts a login session whose processes have no web
// server among their ancestors: sshd forks them, and sudo, a setsid -f or
// a daemonising tool can take them further still (shop-reviews: deploy's
// sudo tar ran a script as root, which left socat under init with a root
// shell on it). What the session's processes share is the audit session:
// the LOGIN record gives the sshd session process a new ses, which every
// process of the session keeps through sudo, su and fork. So a login on
// this host that follows an ssh connect of a process acting for the web
// server (or inside its channel) — to a loopback address, or to an
// address this host's sshd then accepted a connection from — within
// sessionWindow, is taken as that ssh's session (inferred: the log ties a
// connect to an accept by address and time only): its processes run in the
// intruder's login: placed as lateral movement (the other account's
// commands), unless a channel opens inside it (socat's shell: command and
// control) or the act is an effect, whichever account and parent they have.

// sessionWindow bounds the time from the ssh client's connect to the
// LOGIN record of the session it opened (key exchange and authentication).
const sessionWindow = 3 * time.Second

// maxSSHOuts and maxSessions bound what is remembered.
const (
	maxSSHOuts  = 64
	maxSessions = 256
)

type sshOut struct {
	host     string
	ip       string
	at       time.Time
	accepted bool // this host's sshd accepted a connection from ip just after
	ch       *channel
}

type hostSes struct {
	host string
	ses  uint32
}

// noteSSHOut remembers a connect to an ssh port by a process acting for
// the web server or inside its channel. Its process is pinned while the
// connect, or the login it opened, is listed (the session's findings name
// it).
func (s *state) noteSSHOut(ev *parser.Event, in *procInfo) {
	if ev.Peer.Port != 22 || (in.web == nil && in.channel == nil) || ev.Proc == nil {
		return
	}
	if len(s.sshOuts) >= maxSSHOuts {
		s.sshOuts[0].ch.release() // tied to no login: the table lets it go
		s.sshOuts = s.sshOuts[1:]
	}
	ev.Retain(parser.KeepText) // the session's findings cite it (a pin: release)
	ev.Proc.Pin()              // the table's own (release)
	s.sshOuts = append(s.sshOuts, sshOut{host: ev.Host, ip: ev.Peer.IP, at: ev.Time,
		ch: &channel{opener: ev.Proc, peer: ev.Peer.String(), ev: ev, session: true}})
}

// noteSSHAccept marks the ssh connects whose address this host's sshd
// accepted a connection from just after: the connect came here.
func (s *state) noteSSHAccept(ev *parser.Event) {
	if ev.Proc == nil || path.Base(ev.Proc.Exe) != "sshd" {
		return
	}
	for i := range s.sshOuts {
		o := &s.sshOuts[i]
		if d := ev.Time.Sub(o.at); o.host == ev.Host && o.ip == ev.Peer.IP && d >= 0 && d <= sessionWindow {
			o.accepted = true
		}
	}
}

// noteLogin takes the session a LOGIN record opens for the oldest pending
// ssh connect of the intruder to this host that it can belong to.
func (s *state) noteLogin(ev *parser.Event) {
	if ev.RecordType != "LOGIN" || !ev.SES.Set || ev.Proc == nil || path.Base(ev.Proc.Exe) != "sshd" {
		return
	}
	for i, o := range s.sshOuts {
		d := ev.Time.Sub(o.at)
		if o.host != ev.Host || d < 0 || d > sessionWindow || !(o.accepted || loopback(o.ip)) {
			continue
		}
		if s.sessions == nil {
			s.sessions = map[hostSes]*channel{}
		}
		if len(s.sessions) >= maxSessions {
			for _, ch := range s.sessions {
				ch.release()
			}
			clear(s.sessions)
		}
		k := hostSes{ev.Host, ev.SES.N}
		if old := s.sessions[k]; old != nil {
			// the session number came round again (a reboot, a long
			// archive): the older login's entry goes, and its pins with
			// it. Kept, one ssh process and its ancestors a session
			// stayed in memory for good (the pid-repeating log: one per
			// copy, 46 000 pinned ancestors at 2 GB).
			old.release()
		}
		s.sessions[k] = o.ch
		s.sshOuts = append(s.sshOuts[:i], s.sshOuts[i+1:]...)
		s.anc.gen++ // the session's processes now run in the channel
		return
	}
}

// release takes back the two pins noteSSHOut took for an ssh connect's
// channel (its Retain and its Pin) when the table that lists it lets it
// go; the findings that cite it pinned it themselves (pinFinding).
func (ch *channel) release() {
	ch.opener.Unpin()
	ch.opener.Unpin()
}

// sessionChannel returns the intruder's channel p runs in by its audit
// session, or nil.
func (s *state) sessionChannel(p *parser.Process) *channel {
	if len(s.sessions) == 0 || p == nil || !p.SES.Set {
		return nil
	}
	ch := s.sessions[hostSes{p.Key.Host, p.SES.N}]
	if ch == nil {
		return nil
	}
	// sshd's own work for the login (the message of the day, PAM's
	// scripts) runs as root right under sshd, before any of the
	// account's processes: not the account's commands
	for a, n := p, 0; a != nil && n < maxAncestry; a, n = a.Parent, n+1 {
		if !a.UID.Set || a.UID.N != 0 {
			break // a process of the account: the session's own
		}
		if path.Base(a.Exe) == "sshd" {
			return nil
		}
	}
	return ch
}

func loopback(ip string) bool {
	a := net.ParseIP(ip)
	return a != nil && a.IsLoopback()
}
