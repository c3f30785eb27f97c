package detect

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Code run through a local service. An intruder holding a database's
// credentials (read from the site's configuration) has the database
// server run commands for it: PostgreSQL's COPY … FROM PROGRAM, a MySQL
// UDF, a Redis module — the command runs as the service's account, below
// the service's own process, and nothing in its ancestry leads back to the
// web server. What ties it to the intrusion is the order of events: the
// intrusion's client (a psql or mysql its shell runs) connects, the
// service accepts that connection within milliseconds, and moments later
// a process of the service's account, under the service or under a fork
// the log never shows, runs a command. Such a process is adopted for the
// intrusion's web server (inferred, said by its placement reason), and its
// commands are lateral movement: the intruder acting as another account
// (T1210). Only the intrusion's clients count (a process below a web
// server or in its channel, not the server itself: the application's own
// database calls are no intrusion), and only a service that is not the
// web server, running as an account of its own: not root (whose daemons
// run everything), not a web account.

const (
	svcAcceptAfter = 100 * time.Millisecond // connect → the service's accept
	svcRunWithin   = 10 * time.Second       // accept → the command it runs
	maxSvcConns    = 64
	maxSvcAccepts  = 256
)

type svcConn struct {
	host string
	at   time.Time
	web  *parser.Process
}

type svcAccept struct {
	host string
	at   time.Time
	web  *parser.Process
	srv  *parser.Process
}

// noteSvcConnect remembers a connect by the intrusion's client.
func (s *state) noteSvcConnect(ev *parser.Event, in *procInfo) {
	if ev.Failed() || !inet(ev.Peer) || in.webSelf || (in.web == nil && in.channel == nil) {
		return
	}
	web := in.web
	if web == nil && in.channel.opener != nil {
		web = in.channel.opener
	}
	if len(s.svcConns) >= maxSvcConns {
		s.svcConns = s.svcConns[1:]
	}
	s.svcConns = append(s.svcConns, svcConn{ev.Host, ev.Time, web})
}

// noteSvcAccept remembers a service accepting, just after, a connection
// the intrusion's client made.
func (s *state) noteSvcAccept(ev *parser.Event, in *procInfo) {
	p := ev.Proc
	// a service of its own account: root's daemons (sshd, cron) serve
	// everyone and run everything; a database runs as its own account,
	// which runs nothing else
	if len(s.svcConns) == 0 || p == nil || ev.Failed() || !inet(ev.Peer) || !ev.UID.Set || ev.UID.N == 0 ||
		s.isWebServer(p) || in.web != nil || in.channel != nil || s.servers.IsWebAccount(ev.Host, p.User, p.UID) {
		return
	}
	for i := len(s.svcConns) - 1; i >= 0; i-- {
		c := s.svcConns[i]
		if d := ev.Time.Sub(c.at); c.host != ev.Host || d < 0 || d > svcAcceptAfter {
			continue
		}
		if len(s.svcAccepts) >= maxSvcAccepts {
			clear(s.svcAccepts)
		}
		s.svcAccepts[hostUID{ev.Host, ev.UID.N}] = svcAccept{ev.Host, ev.Time, c.web, p}
		return
	}
}

// adoptViaService adopts an exec the service runs just after accepting the
// intrusion's connection.
func (s *state) adoptViaService(ev *parser.Event) {
	p := ev.Proc
	if len(s.svcAccepts) == 0 || ev.Kind != parser.KindExec || p == nil || !ev.UID.Set || s.adopted[p] != nil {
		return
	}
	a, ok := s.svcAccepts[hostUID{ev.Host, ev.UID.N}]
	if !ok || a.web == nil {
		return
	}
	if d := ev.Time.Sub(a.at); d < 0 || d > svcRunWithin {
		return
	}
	// under the service, or under a fork of it the log never shows (a
	// database backend forks per connection and never execs)
	par := p.Parent
	underService := false
	for q, n := par, 0; q != nil && n < 4; q, n = q.Parent, n+1 {
		if q == a.srv {
			underService = true
			break
		}
	}
	if !underService && par != nil && !par.Placeholder {
		return
	}
	s.adoptFor(p, a.web)
	s.markAdopted(p, adoptForClient)
}
