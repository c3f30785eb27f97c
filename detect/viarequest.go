package detect

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Code run through a local service for a web request (server-side request
// forgery into an internal API). A page that fetches a URL its request
// names lets the requester reach what listens on the host's loopback: an
// ops agent's command endpoint, a cache's admin port. The command then
// runs below that service, often as root, and nothing in its ancestry
// leads back to the web server. The order of events does: the web
// server's own worker connects to a loopback port, the service there
// accepts within milliseconds, and at once (reqRunWithin) the accepting
// process, or a fork of it the log never shows, runs a program. That
// program runs for the web server's request (inferred, said by its
// placement reason) and is judged as a web server's child would be: what
// it runs decides its stage, and routine commands stay routine.
//
// Only the latest accept of a service speaks for its next command: an
// accept that no worker's connect preceded (the service's own dashboard,
// a cron check) takes the service back from the web server, so that a
// command run just after it is not the web's. A service that is itself a
// web server (nginx handing a request to php-fpm), or runs as a web
// account, is the site's own machinery, not a service reached through it.

const (
	reqRunWithin  = 2 * time.Second // the service's accept → the program it runs
	maxReqAccepts = 256
	maxLoopConns  = 64
)

// loopConn is a web server worker's connect to a loopback port
// (workerLoop) or its accept of a request on a UNIX socket (workerReqs).
type loopConn struct {
	host string
	at   time.Time
	web  *parser.Process
}

// reqAccept is the latest accept of a service; web is the web server
// whose worker's connect it followed, or nil.
type reqAccept struct {
	at  time.Time
	web *parser.Process
}

type procSeq struct {
	host string
	seq  uint32
}

// noteWorkerLoopback remembers a web server worker connecting to a port
// of its own host.
func (s *state) noteWorkerLoopback(ev *parser.Event, in *procInfo) {
	if !in.webSelf || ev.Failed() || ev.Proc == nil || !loopback(ev.Peer.IP) || s.servers.Serves(ev.Host, ev.Peer.Port) {
		// a connect to a port a learned server serves is the site's own
		// machinery (a front server handing a request to its upstream),
		// not a request to another service: on a busy site one comes
		// every few milliseconds, and an accept of any service would
		// follow one by chance
		return
	}
	addWorkerLoop(&s.workerLoop, loopConn{ev.Host, ev.Time, ev.Proc})
}

// addWorkerLoop adds an entry to a ring of workers' connects (workerLoop)
// or requests (workerReqs: its own ring, so that a busy site's requests
// never crowd a connect out); its worker is pinned until the ring lets it
// go.
func addWorkerLoop(ring *[]loopConn, c loopConn) {
	if len(*ring) >= maxLoopConns {
		(*ring)[0].web.Unpin()
		*ring = (*ring)[1:]
	}
	c.web.Pin()
	*ring = append(*ring, c)
}

// A service on a UNIX socket (an application's other vassal, a queue, a
// local agent) is reached with a connect no rule set audits: rules audit
// connect for the IP families, and accept for all. What the log shows is
// the web worker's accept of its request on its own UNIX socket and, a
// few milliseconds later, the service's accept of a local connection
// (plotbook-noticepreview: the web shell's worker sent one uwsgi packet to
// the treasurer's vassal, whose worker ran the command as plotcash). So a
// worker's accept of a request stands for the connect the request may
// make while it is served, for a service's UNIX accept alone, and only
// for a service of another account that is not root: root's daemons
// (init, the journal) accept from every process on the host, and a
// process of the worker's own account is the application's own.

// noteWorkerRequest remembers a web server worker taking a request on a
// UNIX socket.
func (s *state) noteWorkerRequest(ev *parser.Event) {
	if ev.Failed() || ev.Proc == nil || ev.Peer.Family != "unix" || !s.isWebServer(ev.Proc) {
		return
	}
	addWorkerLoop(&s.workerReqs, loopConn{ev.Host, ev.Time, ev.Proc})
}

// workerConnJustBefore returns the web server whose worker connected to
// a loopback port (took false) or took a request on a UNIX socket (took
// true) at most svcAcceptAfter before t, or nil.
func (s *state) workerConnJustBefore(host string, t time.Time, took bool) *parser.Process {
	ring := s.workerLoop
	if took {
		ring = s.workerReqs
	}
	for i := len(ring) - 1; i >= 0; i-- {
		c := ring[i]
		if d := t.Sub(c.at); c.host == host && d >= 0 && d <= svcAcceptAfter {
			return c.web
		}
	}
	return nil
}

// reqAcceptFrom returns the web server whose worker's loopback connect
// came just before a service's accept, and whether the accept is to be
// recorded at all: for that web server, or (web nil) to take back a
// service recorded before. Cheap: the accept's ancestry is asked only
// when it is recorded for a web server (noteReqAccept).
func (s *state) reqAcceptFrom(ev *parser.Event) (web *parser.Process, record bool) {
	p := ev.Proc
	if p == nil || ev.Failed() {
		return nil, false
	}
	switch {
	case ev.Peer.Family == "unix":
		if !ev.UID.Set || ev.UID.N == 0 || s.isWebServer(p) {
			return nil, false // root's daemons, or a server taking its own request
		}
		if web = s.workerConnJustBefore(ev.Host, ev.Time, true); web != nil && web.UID.Set && web.UID.N != ev.UID.N {
			return web, true
		}
	case !loopback(ev.Peer.IP):
		return nil, false
	default:
		if web = s.workerConnJustBefore(ev.Host, ev.Time, false); web != nil {
			return web, true
		}
	}
	_, known := s.reqAccepts[procSeq{ev.Host, p.Seq}]
	return nil, known
}

// noteReqAccept records a service's accept (reqAcceptFrom): for web, or
// for nobody when web is nil (its next command is not the web's).
func (s *state) noteReqAccept(ev *parser.Event, web *parser.Process, in *procInfo) {
	p := ev.Proc
	k := procSeq{ev.Host, p.Seq}
	if web == nil {
		if old, ok := s.reqAccepts[k]; ok {
			old.web.Unpin()
			s.reqAccepts[k] = reqAccept{ev.Time, nil} // taken back: its next command is not the web's
		}
		return
	}
	if s.isWebServer(p) || in.web != nil || in.channel != nil || s.servers.IsWebAccount(ev.Host, p.User, p.UID) {
		return // the site's own machinery, or already the intrusion's
	}
	if len(s.reqAccepts) >= maxReqAccepts {
		for _, a := range s.reqAccepts {
			a.web.Unpin()
		}
		clear(s.reqAccepts)
	}
	if old, ok := s.reqAccepts[k]; ok {
		old.web.Unpin()
	}
	web.Pin() // one pin per entry: adoptFor names it later
	s.reqAccepts[k] = reqAccept{ev.Time, web}
}

// adoptViaRequest adopts a program a service runs at once after accepting
// a web server worker's connection.
func (s *state) adoptViaRequest(ev *parser.Event) {
	p := ev.Proc
	if len(s.reqAccepts) == 0 || ev.Kind != parser.KindExec || p == nil || s.adopted[p] != nil {
		return
	}
	// the accepting process, or a fork of it the log never shows
	for q, n := p.Parent, 0; q != nil && n < 2; q, n = q.Parent, n+1 {
		a, ok := s.reqAccepts[procSeq{ev.Host, q.Seq}]
		if !ok {
			if q.Placeholder {
				continue
			}
			return
		}
		if d := ev.Time.Sub(a.at); a.web == nil || d < 0 || d > reqRunWithin {
			return
		}
		if p.Exe != "" && p.Exe == q.Exe {
			// the service re-executing itself for the connection (sshd -R):
			// its own code serves it — a login service authenticates the
			// client and what runs later is the login's (its audit
			// session), not a program run for the request
			return
		}
		s.adoptFor(p, a.web)
		s.markAdopted(p, adoptForRequest)
		return
	}
}
