package timeline

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Rule 5g: the order php-fpm's workers finished in is the order the front
// server logged their requests in. A worker serves one request at a time
// and goes back to accept when it is done (reqworker.go); the front server
// writes the request's line when it has sent the response, and a small
// response leaves in one write, so each line follows its worker's end by
// milliseconds. Within one second of a log to the second, the lines of
// the requests php-fpm served are therefore in the order of the workers'
// ends: when the host's workers ended as many requests in that second as
// the log has script lines in it, the k-th end is the k-th line. A run
// whose worker's next accept was the k-th end of its second came from the
// k-th line (webshell-classic, benign-export: the status page's date and
// the product page fetched just before it, in the same second at every
// visitor round, were never told apart by the log alone; their workers'
// ends are 50 ms apart).
//
// It holds only where every step does, and names nothing otherwise:
//   - the log is read as end times to the second, with no trailing clock,
//     and all the candidates are its lines;
//   - the worker's end and every other end of the second lie inside it
//     by orderLead from its start and orderEdge from its end (a line near
//     a second's turn may be stamped with either), no two ends within
//     orderGap of each other (their lines may be written in either
//     order), and no worker's first accept in the log falls there (the
//     end of nothing seen);
//   - every script line of the second had a small response and no 499 (a
//     big one goes out at the client's pace after the worker is free, a
//     client that left is logged whenever nginx notices), and no line of
//     the second is a 404 (php-fpm may have served it or not: a web shell
//     that answers 404, a front controller's page not found);
//   - the worker has no accept in the exec's own clock tick (the audit
//     clock ticks every few milliseconds: whether that accept came before
//     or after the exec it does not say, and the end taken may be a later
//     request's);
//   - the counts are equal: a request another backend served, a php-fpm
//     worker serving another site whose log is not read, a worker that
//     exited after its last request, or an accept past the kept bound
//     makes them differ, and nothing is named;
//   - no access log of the host was edited after the run (rule 8: a
//     dropped line shifts every rank).
// What it cannot see is two faults in one second that cancel out: a line
// counted as a script that the front server served itself (a static
// GET /) and a php-fpm request of another site whose log is not read.
// The link is therefore low confidence, as rule 5b's: named for the
// reader, it joins no chain, which the chain rules build from its
// candidates.

// The front server's line follows the worker's accept by 2 to 17 ms on
// the container capture, whose log times are the runtime's nanoseconds
// (and include its own pipe to the log): an end orderLead or more into its
// second has its line in that second, one orderEdge or more before the
// next second's turn too, and two ends orderGap apart or more have their
// lines in their order.
const (
	orderLead = 20 * time.Millisecond
	orderEdge = 50 * time.Millisecond
	orderGap  = 20 * time.Millisecond
)

// fpmEnd is one pool accept of a php-fpm worker: the end of the request
// it served before, unless it is the worker's first in the log.
type fpmEnd struct {
	at     int64
	host   string
	worker parser.ProcKey
	first  bool
}

// allEnds returns every kept pool accept of every php-fpm worker, by time.
func (w *workerAccepts) allEnds() []fpmEnd {
	w.sort()
	if w.ends != nil {
		return w.ends
	}
	w.ends = []fpmEnd{}
	for k, ms := range w.by {
		for i, m := range ms {
			w.ends = append(w.ends, fpmEnd{at: m.at, host: k.Host, worker: k, first: i == 0})
		}
	}
	slices.SortFunc(w.ends, func(a, b fpmEnd) int { return cmp.Compare(a.at, b.at) })
	return w.ends
}

// endOrder applies rule 5g to m: the request whose line has the rank of
// m's worker's end among the ends of its second, when it is one of m's
// requests in flight.
func (b *Builder) endOrder(m *rootMatch, reqs []*parser.Event, infos []reqInfo) (int, string, bool) {
	if m.busyUntil.IsZero() || len(m.inFlight) < 2 || b.workerAccepts.dropped > 0 {
		return 0, "", false
	}
	if _, edited := b.editAfter(m.ex); edited {
		return 0, "", false
	}
	end := m.busyUntil
	if b.workerAccepts.acceptedAt(m.root.Parent, m.ex.Time) {
		// an accept in the exec's own clock tick: before or after it, the
		// audit clock does not say, and the end taken may be the next one
		return 0, "", false
	}
	sec := end.Truncate(time.Second)
	if end.Sub(sec) < orderLead || sec.Add(time.Second).Sub(end) < orderEdge {
		return 0, "", false
	}
	file := posOf(infos[m.inFlight[0]].ev).File
	for _, i := range m.inFlight {
		if posOf(infos[i].ev).File != file || infos[i].span.endExact {
			return 0, "", false
		}
	}
	if v := b.verdicts()[file]; v.at != loggedEnd || v.late > 0 {
		return 0, "", false
	}
	host := m.root.Key.Host
	in, ok := b.secondEnds(host, sec)
	if !ok {
		return 0, "", false
	}
	rank := slices.IndexFunc(in, func(e fpmEnd) bool { return e.worker == m.root.Parent.Key && e.at == end.UnixNano() })
	if rank < 0 {
		return 0, "", false
	}
	// the script lines the file logged in that second, in line order
	lines, front, ok := b.secondLines(reqs, infos, file, host, sec)
	if !ok {
		return 0, "", false
	}
	if len(lines) != len(in) {
		return 0, "", false
	}
	i := lines[rank]
	if !slices.Contains(m.inFlight, i) {
		return 0, "", false
	}
	return i, fmt.Sprintf("inferred: of %d requests in flight when the process started, the one php-fpm's order of ends gives it: worker pid %d went back to accept at %s, the %s of the %d ends of php-fpm's workers in that second, and the access log has %d script lines in it%s, each response small enough to leave in one write, so the lines are in the order the workers ended and the %s is this request's (line %d); rule 5g",
		len(m.inFlight), m.root.Parent.Key.PID, when(end), ordinal(rank+1), len(in), len(lines), front, ordinal(rank+1), posOf(infos[i].ev).Line), true
}

// secondEnds returns the ends of php-fpm's workers on host in the second
// sec, by time; false when one lies near the second's turns, two lie too
// close to tell their lines' order, or one is a worker's first accept in
// the log (the end of nothing seen).
func (b *Builder) secondEnds(host string, sec time.Time) ([]fpmEnd, bool) {
	ends := b.workerAccepts.allEnds()
	lo := sort.Search(len(ends), func(i int) bool { return ends[i].at >= sec.Add(-orderEdge).UnixNano() })
	var in []fpmEnd
	for _, e := range ends[lo:] {
		if e.at >= sec.Add(time.Second+orderLead).UnixNano() {
			break
		}
		if e.host != host {
			continue
		}
		t := time.Unix(0, e.at)
		if e.first || t.Before(sec.Add(orderLead)) || !t.Before(sec.Add(time.Second-orderEdge)) {
			return nil, false
		}
		if n := len(in); n > 0 && t.Sub(time.Unix(0, in[n-1].at)) < orderGap {
			return nil, false
		}
		in = append(in, e)
	}
	return in, true
}

// secondLines returns, in line order, the lines of file on host logged in
// the second sec that php-fpm may have served: eligible ones, less those of
// routes the front server answers itself (reqfront.go), and what it left
// out so ("" when nothing); false when a line of the second blurs the
// count or the order (a 404, a big response, a 499, an exact end).
func (b *Builder) secondLines(reqs []*parser.Event, infos []reqInfo, file, host string, sec time.Time) ([]int, string, bool) {
	front := b.frontRoutes(reqs, infos)
	first := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(sec) })
	var lines []int
	skipped := map[string]int{}
	var skippedHost string
	for i := first; i < len(reqs) && reqs[i].Time.Before(sec.Add(time.Second)); i++ {
		ri := &infos[i]
		if posOf(ri.ev).File != file || !sameHost(ri.ev.Host, host) {
			continue
		}
		if h := ri.ev.HTTP; h != nil && h.Status == 404 {
			return nil, "", false // a script may have answered it (a web shell hiding behind a 404, a front controller's): uncounted
		}
		if !ri.eligible {
			continue
		}
		if h := ri.ev.HTTP; h == nil || h.Bytes < 0 || h.Bytes > smallResponse || h.Status == 499 || ri.span.endExact {
			return nil, "", false
		}
		if _, ok := front[frontKey{file, ri.ev.Host, ri.route}]; ok {
			skipped[ri.route]++
			skippedHost = ri.ev.Host
			continue
		}
		lines = append(lines, i)
	}
	slices.SortStableFunc(lines, func(a, c int) int { return cmp.Compare(posOf(infos[a].ev).Line, posOf(infos[c].ev).Line) })
	note := ""
	for _, r := range slices.Sorted(maps.Keys(skipped)) {
		note += fmt.Sprintf(", not counting %s, which the front server answers itself (%s)", plural(skipped[r], "line of "+r, "lines of "+r), front.why(file, skippedHost, r))
	}
	return lines, note, true
}

// acceptedAt reports whether the worker has a pool accept stamped t
// exactly: the audit clock's tick (4 ms on many kernels) holds both.
func (w *workerAccepts) acceptedAt(worker *parser.Process, t time.Time) bool {
	w.sort()
	ms := w.by[worker.Key]
	_, found := slices.BinarySearchFunc(ms, t.UnixNano(), func(m acceptMark, at int64) int { return cmp.Compare(m.at, at) })
	return found
}

// ordinal words n as "1st", "2nd", "3rd", "4th".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
