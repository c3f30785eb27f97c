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
//   - the worker's end lies inside the second by orderLead from its start
//     and orderEdge from its end, no two ends near the second lie within
//     orderGap of each other (their lines may be written in either
//     order), and no worker's first accept in the log falls there (the
//     end of nothing seen);
//   - an end near one of the second's turns has its line stamped with
//     either second: it may count in this one or not. The line count
//     says how many did; when that fixes how many of those before the
//     run's end are in the second (none lie before it, or all or none of
//     them must be there for the count to hold), the rank does not
//     depend on them (benign-shop-promo at 07:38:48: a worker went back
//     to accept at .976, 24 ms before the next second, and the probe's
//     date, whose worker ended at .624, second of the second's ends, had
//     been left unnamed);
//   - every script line of the second had a small response and no 499 (a
//     big one goes out at the client's pace after the worker is free, a
//     client that left is logged whenever nginx notices), and no line of
//     the second is a 404 (php-fpm may have served it or not: a web shell
//     that answers 404, a front controller's page not found);
//   - the worker has no accept in the exec's own clock tick (the audit
//     clock ticks every few milliseconds: whether that accept came before
//     or after the exec it does not say, and the end taken may be a later
//     request's);
//   - the counts agree (the maybes aside): a request another backend served, a php-fpm
//     worker serving another site whose log is not read, a worker that
//     exited after its last request, or an accept past the kept bound
//     makes them differ, and nothing is named;
//   - no access log of the host was edited after the run (rule 8: a
//     dropped line shifts every rank);
//   - every other end of the second whose request another rule named
//     has that request's line at its own rank (knownEnds.agree, below).
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
	pool   uint32 // the kind of peer its pool's accepts come from (workerAccepts.peers)
}

// poolOf returns the kind of peer a worker's kept accepts come from (its
// pool's), false when none is kept.
func (w *workerAccepts) poolOf(k parser.ProcKey) (uint32, bool) {
	w.sort()
	ms := w.by[k]
	if len(ms) == 0 {
		return 0, false
	}
	return ms[0].peer, true
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
			w.ends = append(w.ends, fpmEnd{at: m.at, host: k.Host, worker: k, first: i == 0, pool: m.peer})
		}
	}
	slices.SortFunc(w.ends, func(a, b fpmEnd) int { return cmp.Compare(a.at, b.at) })
	return w.ends
}

// endOrder applies rule 5g to m: the request whose line has the rank of
// m's worker's end among the ends of its second, when it is one of m's
// requests in flight.
func (b *Builder) endOrder(m *rootMatch, reqs []*parser.Event, infos []reqInfo, known knownEnds) (int, string, bool) {
	if m.busyUntil.IsZero() || len(m.inFlight) < 2 || b.workerAccepts.dropped > 0 {
		return 0, "", false
	}
	if _, edited := b.editAfter(m.ex); edited {
		return 0, "", false
	}
	// an accept in the exec's own clock tick is ordered by its serial
	// (reqtick.go: busyUntil is it when it came after the exec)
	end := m.busyUntil
	if b.workerAccepts.tickOrder(m.root.Parent, m.ex) == tickUnknown {
		// before or after the exec the records do not say, and the end
		// taken may be the next one
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
	// only the ends of the workers of its pool: another pool's requests
	// (php-fpm's FastCGI port reached with no web server in front,
	// shop-cartcache's monitoring and intruder) are in no line of this
	// log, and counted they shift every rank
	pool, ok := b.workerAccepts.poolOf(m.root.Parent.Key)
	if !ok {
		return 0, "", false
	}
	ends, ok := b.windowEnds(host, sec, int64(pool))
	if !ok {
		return 0, "", false
	}
	me := slices.IndexFunc(ends, func(e windowEnd) bool { return e.worker == m.root.Parent.Key && e.at == end.UnixNano() })
	if me < 0 || ends[me].maybe {
		return 0, "", false
	}
	// the script lines the file logged in that second, in line order
	lines, front, ok := b.secondLines(reqs, infos, file, host, sec)
	if !ok {
		return 0, "", false
	}
	// the ends surely logged in the second, and those that may be (near a
	// turn), before the run's end and after
	var sure, before, after int
	for k, e := range ends {
		switch {
		case !e.maybe:
			sure++
		case k < me:
			before++
		default:
			after++
		}
	}
	// how many of the maybes before the run's end have their line in the
	// second: the line count must fix it
	extra := len(lines) - sure
	lo, hi := max(0, extra-after), min(before, extra)
	if extra < 0 || extra > before+after || lo != hi {
		return 0, "", false
	}
	rank := lo
	for _, e := range ends[:me] {
		if !e.maybe {
			rank++
		}
	}
	if !known.agree(ends, me, lo, lines, infos, sec) {
		return 0, "", false
	}
	i := lines[rank]
	if !slices.Contains(m.inFlight, i) {
		return 0, "", false
	}
	maybes := ""
	if before+after > 0 {
		maybes = fmt.Sprintf(" (and %d of the %d that may have their line in it, near a turn of the second, by the line count: %d before this one)", extra, before+after, lo)
	}
	return i, fmt.Sprintf("inferred: of %d requests in flight when the process started, the one php-fpm's order of ends gives it: worker pid %d went back to accept at %s, the %s of the %d ends of php-fpm's workers surely in that second%s, and the access log has %d script lines in it%s, each response small enough to leave in one write, so the lines are in the order the workers ended and the %s is this request's (line %d); rule 5g",
		len(m.inFlight), m.root.Parent.Key.PID, when(end), ordinal(rank+1-lo), sure, maybes, len(lines), front, ordinal(rank+1), posOf(infos[i].ev).Line), true
}

// The second's other ends whose request an earlier rule named (a
// parameter in the command line, the only request in flight) test the
// order: each such end surely in the second must have its request's line
// at its own rank among the second's script lines. A line written later
// than its worker's end breaks the order, and its known pair shows it:
// benign-export at 18:42:31, the reseller's POST /export.php, whose worker
// ran zip and ended at .838, second of the second's four ends, was logged
// after the contact form's POST that ended at .934, last of the four
// (nginx writes a line when it frees the request, which may wait on the
// client); without the test, the probe's date, whose worker ended third,
// was given the contact form's line. Such a second names nothing.

// endKey is one end of one php-fpm worker.
type endKey struct {
	worker parser.ProcKey
	at     int64
}

// knownEnds maps the ends whose request a rule named to that request
// (nil: two different requests, a contradiction), and back.
type knownEnds struct {
	req map[endKey]*parser.Event
	end map[*parser.Event]endKey
}

// knownEnds reads the named links of out: each one's worker's next pool
// accept after its exec is the end of its request.
func (b *Builder) knownEnds(out map[*parser.Process]RequestLink) knownEnds {
	k := knownEnds{req: map[endKey]*parser.Event{}, end: map[*parser.Event]endKey{}}
	for _, rl := range out {
		if rl.Request == nil || rl.Basis == BasisEndOrder || rl.Worker == nil || rl.Event == nil {
			continue
		}
		nxt, ok := b.workerAccepts.endAfter(rl.Worker, rl.Event)
		if !ok {
			continue
		}
		e := endKey{rl.Worker.Key, nxt.UnixNano()}
		if r, seen := k.req[e]; seen && r != rl.Request {
			k.req[e] = nil
			continue
		}
		k.req[e] = rl.Request
		if o, seen := k.end[rl.Request]; seen && o != e {
			k.end[rl.Request] = endKey{} // one request, two ends: a contradiction
			continue
		}
		k.end[rl.Request] = e
	}
	return k
}

// agree reports whether the known pairs of the second sec agree with the
// order rule 5g reads: ends is the window of the second (windowEnds), me
// the run's end in it, lo how many maybes before it are in the second,
// lines the second's script lines in line order.
func (k knownEnds) agree(ends []windowEnd, me, lo int, lines []int, infos []reqInfo, sec time.Time) bool {
	at := map[*parser.Event]int{} // line → its rank
	for n, i := range lines {
		at[infos[i].ev] = n
	}
	sure := 0
	for n, e := range ends {
		r, ok := k.req[endKey{e.worker, e.at}]
		if !e.maybe {
			sure++
		}
		if !ok {
			continue
		}
		if r == nil {
			return false // two requests named for one end
		}
		rank, in := at[r]
		if e.maybe {
			continue // its line in this second or the next: no rank to test
		}
		if !in {
			return false // surely logged in the second, and its line is elsewhere
		}
		// the end's own rank, when the maybes before it are fixed: none,
		// or those before the run's end, all in the second (lo of them)
		before := 0
		for _, f := range ends[:n] {
			if f.maybe {
				before++
			}
		}
		switch {
		case before == 0:
		case n > me && before == lo && lo == countMaybes(ends[:me]):
		default:
			continue
		}
		if rank != sure-1+before {
			return false
		}
	}
	// and a line of the second whose known end lies outside its window
	for _, i := range lines {
		e, ok := k.end[infos[i].ev]
		if !ok {
			continue
		}
		if e == (endKey{}) {
			return false
		}
		t := time.Unix(0, e.at)
		if t.Before(sec.Add(-orderEdge)) || !t.Before(sec.Add(time.Second+orderLead)) {
			return false
		}
	}
	return true
}

// countMaybes counts the maybes among ends.
func countMaybes(ends []windowEnd) int {
	n := 0
	for _, e := range ends {
		if e.maybe {
			n++
		}
	}
	return n
}

// windowEnd is an end of a php-fpm worker near a second: maybe when its
// line may lie in the second or outside it.
type windowEnd struct {
	fpmEnd
	maybe bool
}

// windowEnds returns, by time, the ends of php-fpm's workers on host (of
// the pool whose accepts come from peers of kind pool, or all for -1) whose
// line may lie in the second sec: those inside it, by orderLead from its
// start and orderEdge from its end, are surely there; those near its turns
// may be (their line may be stamped with either second). False when two
// lie within orderGap of each other (their lines may be written in either
// order) or one is a worker's first accept in the log (the end of a
// request begun before the log, or of nothing: a new worker's first wait;
// counting it as a maybe named 2 more right on shop-export, too few to
// weaken the rule for).
func (b *Builder) windowEnds(host string, sec time.Time, pool int64) ([]windowEnd, bool) {
	ends := b.workerAccepts.allEnds()
	lo := sort.Search(len(ends), func(i int) bool { return ends[i].at >= sec.Add(-orderEdge).UnixNano() })
	var in []windowEnd
	for _, e := range ends[lo:] {
		if e.at >= sec.Add(time.Second+orderLead).UnixNano() {
			break
		}
		if e.host != host || pool >= 0 && int64(e.pool) != pool {
			continue
		}
		t := time.Unix(0, e.at)
		if n := len(in); n > 0 && t.Sub(time.Unix(0, in[n-1].at)) < orderGap || e.first {
			return nil, false
		}
		in = append(in, windowEnd{e, t.Before(sec.Add(orderLead)) || !t.Before(sec.Add(time.Second-orderEdge))})
	}
	return in, true
}

// secondEnds returns the ends of php-fpm's workers on host in the second
// sec, by time; false when one may have its line outside the second, or
// windowEnds says false.
func (b *Builder) secondEnds(host string, sec time.Time) ([]fpmEnd, bool) {
	ends, ok := b.windowEnds(host, sec, -1)
	if !ok {
		return nil, false
	}
	var in []fpmEnd
	for _, e := range ends {
		if e.maybe {
			return nil, false
		}
		in = append(in, e.fpmEnd)
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
		if _, ok := front[frontKey{file, ri.ev.Host, frontPath(ri.route)}]; ok {
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
