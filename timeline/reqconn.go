package timeline

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A request came on a connection, and a server can serve nothing of a
// connection before it has accepted it. When an access line names the
// client's port (uvicorn's "127.0.0.1:36382", Caddy's remote_port, a JSON
// remote_port) and the audit log holds the server's accept of that peer
// address and port, the request's life is bounded by an observed fact
// where the log otherwise gives an assumption or an application's own
// timer:
//   - the request began no earlier than that accept (an audit record is
//     stamped when its syscall began, which is no later than the
//     connection's acceptance): a request whose connection was accepted
//     after a process started was not its cause (berthplan-rules: a web
//     shell's GET /page/tide-notice, logged a second after the probe's
//     df ran and without a duration, was taken for its only cause; its
//     connection was accepted 948 ms after the exec);
//   - when the line is the only one of its connection (no other line of
//     the same client address and port ended between the accept and it),
//     the server held the request from the accept to its end: its life
//     is [accept, end], observed, however long it lasted and whatever an
//     application's middleware timed (berthplan-rules: the app's JSON log
//     times its handler only, which began 6 ms after the health check's
//     df; uvicorn had accepted the check's connection in the same
//     millisecond as the exec).
//
// The accept paired with a line is the latest accept of its client
// address and port by a web-server process on the line's host at or
// before the line's end, no further back than maxConnLife: a port is
// reused, and an older connection of the same port says nothing. Only
// accepts a server made count: a client's port is its own, but another
// program (sshd) may accept the same number from another connection.

// maxConnLife bounds how long before a line's end its connection's
// accept is looked for (contentWindow: a request held open while its
// command ran is logged that much later).
const maxConnLife = contentWindow

// maxConnAccepts bounds the accepts kept for connection bounds (16
// bytes each plus the map's keys: a busy log has one per connection).
const maxConnAccepts = 1 << 20

// connKey names a connection's peer on a host.
type connKey struct {
	host, ip string
	port     int
}

// connAccept is one accept of a peer: when, and by which process — not
// the *Process, which would keep alive every process the spilling tree
// moved out (58 000 of them, 45 MB, on the 2 GB pid-repeating log), but
// what the web-server question reads of it as it was at the accept
// (detect.ServerShape): who is -1 for a process whose names say it
// serves (nginx's, php-fpm's workers: nothing more is kept), else the
// index of its shape in connAccepts.shapes, one per process, as at its
// latest accept.
type connAccept struct {
	at  int64
	who int32
}

// connAccepts keeps the inet accepts of every process by peer address
// and port (Observe, through workerAccepts.see).
type connAccepts struct {
	by       map[connKey][]connAccept
	shapes   []detect.ServerShape
	names    []string // the program of each shape's process, "name[pid]" (localservice.go)
	shapeIdx map[parser.ProcKey]int32
	n        int
	dropped  int
	sorted   bool
}

// shape returns the who of an accept by p (connAccept), named name.
func (c *connAccepts) shape(sh detect.ServerShape, name string) int32 {
	if sh.Named {
		return -1
	}
	if i, ok := c.shapeIdx[sh.Key]; ok {
		c.shapes[i] = sh // as at its latest accept
		c.names[i] = name
		return i
	}
	if c.shapeIdx == nil {
		c.shapeIdx = map[parser.ProcKey]int32{}
	}
	i := int32(len(c.shapes))
	c.shapes = append(c.shapes, sh)
	c.names = append(c.names, name)
	c.shapeIdx[sh.Key] = i
	return i
}

// see records a successful accept from an inet peer with a port.
func (c *connAccepts) see(ev *parser.Event, o *Options) {
	if ev.Proc == nil || ev.Failed() || ev.Peer.Port == 0 || ev.Peer.IP == "" || ev.Peer.Family != "inet" && ev.Peer.Family != "inet6" {
		return
	}
	if c.n >= maxConnAccepts {
		c.dropped++
		return
	}
	if c.by == nil {
		c.by = map[connKey][]connAccept{}
	}
	k := connKey{ev.Host, ev.Peer.IP, ev.Peer.Port}
	c.by[k] = append(c.by[k], connAccept{at: ev.Time.UnixNano(), who: c.shape(o.serverShape(ev.Proc), ev.Proc.Name()+"["+strconv.Itoa(ev.Proc.Key.PID)+"]")})
	c.n++
	c.sorted = false
}

// absorb adds another host's accepts (their keys name their host).
func (c *connAccepts) absorb(o *connAccepts) {
	c.dropped += o.dropped
	for k, as := range o.by {
		if c.by == nil {
			c.by = map[connKey][]connAccept{}
		}
		for _, a := range as {
			if a.who >= 0 {
				a.who = c.shape(o.shapes[a.who], o.names[a.who])
			}
			c.by[k] = append(c.by[k], a)
		}
		c.n += len(as)
	}
	c.sorted = false
}

// accepted returns the latest accept of the peer ip:port on host at or
// before end (and after end − maxConnLife) by a process server says is a
// web server.
func (c *connAccepts) accepted(host, ip string, port int, end time.Time, server func(detect.ServerShape) bool) (time.Time, bool) {
	if port == 0 || c.by == nil {
		return time.Time{}, false
	}
	if !c.sorted {
		for _, as := range c.by {
			slices.SortStableFunc(as, func(a, b connAccept) int { return cmp.Compare(a.at, b.at) })
		}
		c.sorted = true
	}
	as := c.by[connKey{host, ip, port}]
	top, low := end.Add(spanSlack).UnixNano(), end.Add(-maxConnLife).UnixNano()
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		if a.at > top {
			continue
		}
		if a.at < low {
			break
		}
		if a.who < 0 || server(c.shapes[a.who]) {
			return time.Unix(0, a.at).UTC(), true
		}
	}
	return time.Time{}, false
}

// connBound bounds the spans of infos by their connections' accepts (see
// above); ports holds each request's client port, from its own line or
// from the other log's line of the same request (dedupeLogged).
func (b *Builder) connBound(infos []reqInfo, ports map[*parser.Event]int) {
	conns := &b.workerAccepts.conns
	if conns.by == nil {
		return
	}
	type line struct {
		i   int
		acc time.Time
	}
	byConn := map[connKey][]line{}
	for i := range infos {
		r := infos[i].ev
		port := ports[r]
		if r.HTTP == nil || port == 0 || r.HTTP.Client == "" {
			continue
		}
		k := connKey{r.Host, r.HTTP.Client, port}
		if a, ok := conns.accepted(k.host, k.ip, k.port, infos[i].span.end, b.opts.isWebServerShape); ok {
			byConn[k] = append(byConn[k], line{i, a})
		}
	}
	for _, ls := range byConn {
		for _, l := range ls {
			// alone on its connection: no other line of it ended after
			// the accept and before this one
			alone := true
			for _, o := range ls {
				if o.i != l.i && o.acc.Equal(l.acc) && !infos[o.i].span.end.After(infos[l.i].span.end) {
					alone = false
				}
			}
			infos[l.i].span = boundByAccept(infos[l.i].span, l.acc, alone)
		}
	}
}

// boundByAccept is span s of a request whose connection was accepted at
// acc: it began no earlier, and when it was the connection's only
// request, it lived from acc to its end.
func boundByAccept(s reqSpan, acc time.Time, alone bool) reqSpan {
	if acc.After(s.end) {
		return s // the clocks disagree: the accept is no bound
	}
	s.acceptAt = acc
	switch {
	case alone:
		s.start, s.durKnown = acc, true
		s.endBasis += "; start from its connection's accept at " + when(acc) + " (its only request)"
	case s.start.Before(acc):
		s.start = acc
		s.endBasis += "; began after its connection's accept at " + when(acc)
	}
	return s
}
