package detect

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A web server's worker can itself be the reverse shell: PHP's
// fsockopen/stream_socket_client opens the socket in the worker and
// proc_open runs each line read from it with the socket as its output
// (pentestmonkey's php-reverse-shell, shop-export's .mt.php). The first
// network record is then the worker's own connect, no shell or relay
// connects, and the commands are the worker's children, as a page's
// commands are. What tells them apart is how the request goes on: a page
// calls a service and is done in milliseconds, a shell's request stays
// open while its peer types, and its worker runs varied commands for
// seconds without going back to accept. A worker that connected out to a
// peer no other request of the site connected to, and then, still serving
// the same request (no accept of its own since), runs a second, different
// command at least workerShellAfter after that connect, holds a channel to
// that peer from then until it accepts again (inferred, and said so by the
// placement reason of what runs in it). A peer the site calls again and
// again (a payment API, a database, a cache) is a service it uses, never
// a shell's other end.

const (
	workerShellAfter = 3 * time.Second
	maxWorkerConns   = 4096 // workers with a pending outbound connect
	maxPeerUses      = 8192 // peers whose use by the site's workers is counted
)

// workerConn is a worker's last outbound connect while serving a request.
type workerConn struct {
	ev    *parser.Event
	sigs  []string // the distinct commands its children ran since, at most 2
	first time.Time
}

type peerKey struct{ host, peer string }

// noteWorkerNet records a web worker's outbound connects and accepts.
func (s *state) noteWorkerNet(ev *parser.Event) {
	p := ev.Proc
	if p == nil || (ev.Kind != parser.KindConnect && ev.Kind != parser.KindAccept) || !s.isWebServer(p) {
		return
	}
	if ev.Kind == parser.KindAccept {
		// back to wait: the request that opened the socket is over
		s.dropWorkerConn(p)
		if ch := s.channels[p]; ch != nil && ch.worker {
			delete(s.channels, p)
			s.anc.gen++
		}
		return
	}
	if !inet(ev.Peer) || ev.Failed() {
		return
	}
	k := peerKey{ev.Host, ev.Peer.String()}
	if len(s.peerUses) >= maxPeerUses {
		clear(s.peerUses)
	}
	s.peerUses[k]++
	if s.peerUses[k] > 1 {
		// a service the site uses: no shell's other end, and the
		// pending connect of this worker (if any) is no longer the
		// one its children could be reading from
		s.dropWorkerConn(p)
		return
	}
	if len(s.workerConns) >= maxWorkerConns {
		for w := range s.workerConns {
			s.dropWorkerConn(w)
		}
	}
	s.dropWorkerConn(p) // its earlier connect, replaced
	// kept past Observe (the channel cites it): only a first use of a
	// peer is, so a busy site's database calls keep nothing
	ev.Retain(parser.KeepText)
	s.workerConns[p] = workerConn{ev: ev}
}

// workerShell opens the worker's channel when an exec of its child shows
// the request has become a shell (see above).
func (s *state) workerShell(ev *parser.Event) {
	if ev.Kind != parser.KindExec || ev.Proc == nil || ev.Proc.Parent == nil || len(s.workerConns) == 0 {
		return
	}
	w := ev.Proc.Parent
	wc, ok := s.workerConns[w]
	if !ok || s.channels[w] != nil {
		return
	}
	sig := commandShape(ev.Args)
	if len(wc.sigs) == 0 {
		wc.first = ev.Time
	}
	if len(wc.sigs) < 2 && (len(wc.sigs) == 0 || wc.sigs[0] != sig) {
		wc.sigs = append(wc.sigs, sig)
	}
	s.workerConns[w] = wc
	if len(wc.sigs) < 2 || ev.Time.Sub(wc.ev.Time) < workerShellAfter ||
		s.peerUses[peerKey{wc.ev.Host, wc.ev.Peer.String()}] > 1 {
		return
	}
	ch := s.addChannel(wc.ev)
	ch.worker = true
	s.dropWorkerConn(w) // the channel pinned the connect itself
}

// dropWorkerConn forgets a worker's pending connect and the pin its
// Retain took: kept, every first use of a peer by a worker pinned the
// worker to the end of the scan.
func (s *state) dropWorkerConn(w *parser.Process) {
	if wc, ok := s.workerConns[w]; ok {
		delete(s.workerConns, w)
		if wc.ev != nil && wc.ev.Proc != nil {
			wc.ev.Proc.Unpin()
		}
	}
}

// commandShape is a command's program and first word of a shell's -c, the
// digits folded: two runs of one command with other numbers are one.
func commandShape(args []string) string {
	if len(args) == 0 {
		return ""
	}
	s := args[0]
	if len(args) > 2 && args[1] == "-c" {
		s += " " + args[2]
	} else if len(args) > 1 {
		s += " " + args[1]
	}
	return digitTemplate(s)
}
