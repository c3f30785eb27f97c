package timeline

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A php-fpm worker serves one request at a time (the FastCGI process
// manager runs no threads in a worker): it accepts a connection from the
// front server, runs the script, and only when the script is done does it
// call accept again. An audit record carries the time its syscall began,
// so a worker's accept is stamped when it went back to wait, not when the
// next connection came. A child the worker started while serving request
// R therefore has R ended by the worker's first accept after the child's
// exec — whichever connection the child came from, since R began before
// the fork. (The accept before the exec says nothing of when R began at
// the front server: R may have waited there for a free worker.) The
// front server writes R's access line when it has sent the response; a
// small response is handed to the kernel in one write, so that line
// follows the worker's end within milliseconds. A request whose
// response was small and which was logged more than acceptSlack after the
// worker's next accept was therefore not this child's: it is no candidate
// (rule 1c of reqlink.go).
//
// The bound is kept narrow on purpose:
//   - only php-fpm workers (by their program): Apache's event MPM, a JVM,
//     node or nginx serve many requests per process at once, and for them
//     an accept says nothing of the other requests' ends;
//   - only accepts of the kind the worker takes from its pool (a unix
//     socket, or the front server's address): a bind shell the script
//     itself opens (socket_accept inside the request) is not a new request;
//   - only requests whose response was at most smallResponse bytes: a big
//     one goes out at the client's pace after the worker was freed, and
//     its line may be written long after;
//   - a log that times requests by their receipt (Apache's %t) or that may
//     be read either way is not bounded (the end is not the logged time).
//
// A worker whose accepts the log does not record (no accept rule), or one
// past maxWorkerAccepts, is not bounded: fewer accepts only ever make the
// bound later, never a request wrongly excluded.

const (
	acceptSlack = time.Second
	// a response of at most smallResponse bytes goes to the kernel in one
	// write: below the socket's first send buffer (tcp_wmem's 16 KiB
	// default, which an established connection only widens), with room
	// for the headers, which $body_bytes_sent leaves out
	smallResponse    = 12 << 10
	maxWorkerAccepts = 1 << 20 // accept times kept in all (16 bytes each)
	maxAcceptPeers   = 4096    // kinds of peer told apart; an accept from any further one is not kept
)

// acceptMark is one accept of a worker: when (Unix nanoseconds), from
// what kind of peer (an index into workerAccepts.peers), and the low 32
// bits of its record's serial (zero: none), which orders it among records
// of the same clock tick (reqtick.go). 16 bytes: a busy log has one per
// request a worker served.
type acceptMark struct {
	at     int64
	peer   uint32
	serial uint32
}

// workerAccepts keeps the accepts of php-fpm workers (Observe).
type workerAccepts struct {
	by      map[parser.ProcKey][]acceptMark
	peers   []string          // "unix", or an inet peer's address without its port
	peerIdx map[string]uint32 // index of each in peers (at most maxAcceptPeers)
	n       int
	dropped int
	sorted  bool
	// conns: every server's accepts by peer address and port, which
	// bound the requests whose lines name their client's port
	// (reqconn.go)
	conns connAccepts
	// ends: every kept accept by time, built when asked (reqorder.go)
	ends []fpmEnd
}

// isFPMWorker reports whether p is a php-fpm process (a pool's worker or
// its master, which never calls accept).
func isFPMWorker(p *parser.Process) bool {
	if p == nil {
		return false
	}
	return strings.HasPrefix(path.Base(p.Exe), "php-fpm") || strings.HasPrefix(p.Comm, "php-fpm")
}

// see records a successful accept of a php-fpm worker.
func (w *workerAccepts) see(ev *parser.Event, o *Options) {
	w.conns.see(ev, o)
	if ev.Proc == nil || ev.Failed() || !isFPMWorker(ev.Proc) {
		return
	}
	if w.n >= maxWorkerAccepts {
		w.dropped++
		return
	}
	if w.by == nil {
		w.by = map[parser.ProcKey][]acceptMark{}
		w.peerIdx = map[string]uint32{}
	}
	peer := "unix"
	if ev.Peer.Family == "inet" || ev.Peer.Family == "inet6" {
		peer = ev.Peer.IP
	}
	i, ok := w.peerIdx[peer]
	if !ok {
		if len(w.peers) >= maxAcceptPeers {
			w.dropped++ // a scan of accepts from many clients: no pool's
			return
		}
		i = uint32(len(w.peers))
		w.peers = append(w.peers, peer)
		w.peerIdx[peer] = i
	}
	w.by[ev.Proc.Key] = append(w.by[ev.Proc.Key], acceptMark{at: ev.Time.UnixNano(), peer: i, serial: uint32(ev.Serial)})
	w.n++
	w.sorted = false
}

// sort orders each worker's accepts by time and keeps only those from the
// kind of peer most of them came from (its pool's).
func (w *workerAccepts) sort() {
	if w.sorted {
		return
	}
	w.sorted = true
	w.ends = nil
	for k, ms := range w.by {
		slices.SortStableFunc(ms, func(a, b acceptMark) int { return cmp.Compare(a.at, b.at) })
		count := map[uint32]int{}
		pool, best := uint32(0), 0
		for _, m := range ms {
			count[m.peer]++
			if c := count[m.peer]; c > best || c == best && w.peers[m.peer] < w.peers[pool] {
				pool, best = m.peer, c
			}
		}
		kept := ms[:0]
		for _, m := range ms {
			if m.peer == pool {
				kept = append(kept, m)
			}
		}
		w.by[k] = kept
	}
}

// next returns the worker's first pool accept after t.
func (w *workerAccepts) next(worker *parser.Process, t time.Time) (time.Time, bool) {
	if worker == nil || !isFPMWorker(worker) {
		return time.Time{}, false
	}
	w.sort()
	ms := w.by[worker.Key]
	at := t.UnixNano()
	i, _ := slices.BinarySearchFunc(ms, at, func(m acceptMark, at int64) int {
		if m.at > at {
			return 1
		}
		return -1
	})
	if i >= len(ms) {
		return time.Time{}, false
	}
	return time.Unix(0, ms[i].at).UTC(), true
}

// earliestEnd is the earliest instant request r may have ended, or false
// when its logged time does not bound its end from below.
func earliestEnd(s reqSpan, at loggedAt) (time.Time, bool) {
	switch {
	case s.endExact:
		return s.end.Add(-s.late), true
	case at == loggedEnd:
		return s.end.Add(-s.late).Add(-time.Second + time.Nanosecond), true
	}
	return time.Time{}, false
}

// servedByNext drops from m's requests in flight those its worker cannot
// have been serving (see above), and says why when it dropped any.
func (b *Builder) servedByNext(m *rootMatch, infos []reqInfo) {
	if len(m.inFlight) == 0 {
		return
	}
	nxt, ok := b.workerAccepts.endAfter(m.root.Parent, m.ex)
	if !ok {
		return
	}
	m.busyUntil = nxt
	dropped := m.drop(func(i int) bool { return b.endedPast(&infos[i], nxt) })
	if dropped > 0 {
		what := othersInFlight(dropped, "was", "were")
		m.workerNote = fmt.Sprintf("; %s logged more than %s after worker pid %d went back to accept its next connection at %s (a php-fpm worker serves one request at a time), so it was no longer serving them",
			what, acceptSlack, m.root.Parent.Key.PID, when(nxt))
	}
}

// endedPast reports whether request ri surely ended after busy, when the
// worker went back to accept, by more than the line's lag: a small
// response is logged as its request ends, so it was not the one the worker
// was serving before that accept.
func (b *Builder) endedPast(ri *reqInfo, busy time.Time) bool {
	h := ri.ev.HTTP
	e, ok := earliestEnd(ri.span, b.loggedOf(ri.ev))
	return ok && h != nil && h.Bytes >= 0 && h.Bytes <= smallResponse && e.After(busy.Add(acceptSlack))
}

// The same accept says when the worker finished: it went back to accept
// right after the request it was serving ended, and the front server
// logged that request then. A request a time rule would name (the only
// one in flight, the only one to a known route) that surely ended before
// the worker went back to accept was therefore not the one it was
// serving: the cause lasted longer than the window assumed
// (desk-attachname: a web shell's GET held 4.7 s while its ssh set up a
// SOCKS pivot, and a visitor's GET / was the only request left in the
// 2 s window). The link is vetoed, never moved to another request: a
// script that sends its response early (fastcgi_finish_request) or a
// client that left (499) also ends before its worker does, so the early
// end may only take a named link away, not give one.

// servedLonger reports, with the sentence that says so, whether request
// ri surely ended well before m's worker went back to accept.
func (b *Builder) servedLonger(m *rootMatch, ri *reqInfo) (string, bool) {
	h := ri.ev.HTTP
	if m.busyUntil.IsZero() || h == nil || h.Status == 499 {
		return "", false
	}
	if !ri.span.endExact && b.loggedOf(ri.ev) != loggedEnd {
		return "", false // the logged time is not the end
	}
	// no slack beyond the clocks' rounding: the request the worker served
	// is logged when the worker accepts again or later, so its logged
	// second cannot end before that accept
	if !ri.span.end.Before(m.busyUntil.Add(-spanSlack)) {
		return "", false
	}
	return fmt.Sprintf("no request named: the only candidate, %s %s, ended before worker pid %d went back to accept at %s, %s later (a php-fpm worker serves one request at a time and accepts again when it ends): the cause is a request the window did not reach, one that lasted longer than the assumed %s",
		describeRequest(ri.ev), endText(ri.span), m.root.Parent.Key.PID, when(m.busyUntil), roundDur(m.busyUntil.Sub(ri.span.end)), b.opts.RequestWindow), true
}

// stillServing returns the requests other than i in m's candidates that
// the worker's next accept does not rule out. When the time rules' pick
// is vetoed, the cause is often one of them rather than a request the
// window missed (benign-shop-invoices: a GET and a POST of one URL a
// second apart, both carrying the order; the GET logged in the second
// before the worker accepted again). They are offered, not named: a
// script that sent its response early leaves the vetoed pick possible.
func (b *Builder) stillServing(m *rootMatch, i int, infos []reqInfo) []int {
	var out []int
	for _, j := range m.inFlight {
		if j == i {
			continue
		}
		if _, gone := b.servedLonger(m, &infos[j]); !gone {
			out = append(out, j)
		}
	}
	return out
}

// vetoAmong says why no request is named when the vetoed pick ri leaves
// others in flight that the worker's busy time allows.
func vetoAmong(m *rootMatch, ri *reqInfo, others []int, infos []reqInfo) string {
	var names []string
	for _, j := range others {
		names = append(names, describeRequest(infos[j].ev)+" "+endText(infos[j].span))
	}
	return fmt.Sprintf("ambiguous: the time rules' pick, %s %s, ended before worker pid %d went back to accept at %s (a php-fpm worker serves one request at a time and accepts again when it ends), which %s in flight still fits: %s; the pick stays a candidate, since a script that sends its response early (fastcgi_finish_request) ends before its worker does",
		describeRequest(ri.ev), endText(ri.span), m.root.Parent.Key.PID, when(m.busyUntil), plural(len(others), "other request", "other requests"), strings.Join(names, "; "))
}

// The same accept widens the candidates when the log gives no duration.
// The window's bound (Options.RequestWindow) is an assumption; the
// worker's next accept is a fact: the request its child came from was
// still being served at the exec and ended before the worker accepted
// again, its line following within acceptSlack. A request logged from
// the exec to then may have been that request however long it lasted, so
// it is a candidate too (rule 1b of reqlink.go). Left out, a web shell's
// POST held 17 s while its commands ran was no candidate of its own
// commands, and the list named only visitors' pages of the window
// (shop-export, shop-import): a list without the cause. With
// fastcgi_keep_conn the worker accepts less often, which only makes the
// bound later: the request still ended before it.

// servingUntil reports whether request ri, whose line the window did not
// reach, may still have been served at exec by a worker that went back
// to accept at busy.
func (b *Builder) servingUntil(ri *reqInfo, exec, busy time.Time) bool {
	if ri.span.durKnown || ri.ev.HTTP == nil {
		return false // a logged duration says when it started: the window decided
	}
	if !ri.span.acceptAt.IsZero() && ri.span.acceptAt.After(exec.Add(spanSlack)) {
		return false // its connection was accepted after the exec (reqconn.go)
	}
	e, ok := earliestEnd(ri.span, b.loggedOf(ri.ev))
	if !ok {
		return false // a receive time: the logged second is no end
	}
	return !ri.span.end.Before(exec.Add(-spanSlack)) && !e.After(busy.Add(acceptSlack))
}
