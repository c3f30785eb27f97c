package timeline

import (
	"container/heap"
	"maps"
	"slices"
	"time"
)

// Rule 5d, one run per request. Rules 5b and 5c name the route a command
// belongs to; when two requests of that route were in flight at a run (a
// health check every 1.5 s in a log to the second with no duration: the
// window holds the next one too), the route does not say which. The counts
// can: when the route's requests in the log and the command's runs are as
// many, and they can be paired one to one with each run inside its
// request's life, the route ran the command once per request (no request
// of it went without a run, none ran two). A run that every such pairing
// gives the same request is that request's. Only the order in time is
// used, never a distance: a run two pairings place differently stays
// ambiguous, and so does every run of a command whose counts differ.
//
// pairedRequest returns the request (an index into spans) that run j
// (an index into runs) has in every one-to-one pairing of runs with
// spans, each run inside its request's life; false when the counts
// differ, no pairing exists, or two pairings differ for run j.
func pairedRequest(runs []time.Time, spans []reqSpan, j int) (int, bool) {
	if len(runs) != len(spans) || len(runs) == 0 || len(runs) > maxPairRuns {
		return 0, false
	}
	found, only := 0, -1
	for k := range spans {
		if !live(spans[k], runs[j]) {
			continue
		}
		if pairsAll(runs, spans, j, k) {
			found++
			only = k
			if found > 1 {
				return 0, false
			}
		}
	}
	return only, found == 1
}

// maxPairRuns bounds the runs of one command paired: each question costs a
// pass over them for each request in flight at the run, and every run of
// the command may ask, so a command's cost grows with the square of its
// runs (1024 runs: some 2·10^7 steps). A command run more often is left to
// the other rules.
const maxPairRuns = 1024

// pairsAll reports whether every run but skipRun pairs with its own
// request among spans but skipSpan, each run inside its request's life.
// Runs are taken in time order, each given the request in flight that
// ends first (the greedy choice is a largest pairing of points with
// intervals).
func pairsAll(runs []time.Time, spans []reqSpan, skipRun, skipSpan int) bool {
	ts := make([]time.Time, 0, len(runs))
	for i, t := range runs {
		if i != skipRun {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	ss := make([]reqSpan, 0, len(spans))
	for i, s := range spans {
		if i != skipSpan {
			ss = append(ss, s)
		}
	}
	slices.SortFunc(ss, func(a, b reqSpan) int { return a.start.Compare(b.start) })
	var open endHeap
	next := 0
	for _, t := range ts {
		for next < len(ss) && !ss[next].start.After(t.Add(spanSlack)) {
			heap.Push(&open, ss[next].end)
			next++
		}
		if open.Len() == 0 {
			return false // a run in no request left
		}
		if e := heap.Pop(&open).(time.Time); e.Before(t.Add(-spanSlack)) {
			return false // a request that ended with no run of its own
		}
	}
	return open.Len() == 0 && next == len(ss)
}

// The counts compare the log's requests with the command's runs over the
// time the log holds: a run before the life of its first line could
// begin, or after the last one ended, has its request (if any) outside
// the log (a rotated file not given, a log emptied or cut, lines not yet
// written when the capture stopped), so it pairs with nothing and says
// nothing about a route. Counted, it made every count differ:
// cuspid-labelfmt's access log holds nothing before the intruder's grep
// -v emptied it (its pattern ../ matches every line), and each PDF
// export's shell after it stayed ambiguous among its case page, the probe
// and its own request because hundreds of runs before it had no line.

// logSpan is the time the access logs hold: from the earliest start of a
// logged request's life to the latest end (spanSlack wide); ok is false
// when there is no request.
type logSpan struct {
	from, to time.Time
	ok       bool
}

func logSpanOf(infos []reqInfo) logSpan {
	var ls logSpan
	for i := range infos {
		sp := infos[i].span
		if !ls.ok || sp.start.Before(ls.from) {
			ls.from = sp.start
		}
		if !ls.ok || sp.end.After(ls.to) {
			ls.to = sp.end
		}
		ls.ok = true
	}
	return ls
}

// holds reports whether a run at t may be inside a logged request's life.
func (ls logSpan) holds(t time.Time) bool {
	return ls.ok && !t.Before(ls.from.Add(-spanSlack)) && !t.After(ls.to.Add(spanSlack))
}

// endHeap is a min-heap of request ends.
type endHeap []time.Time

func (h endHeap) Len() int           { return len(h) }
func (h endHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h endHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *endHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pairRuns returns rule 5d's question over ms: the request m's run has in
// every one-to-one pairing of the runs of its command with the requests
// of route (an index into infos), and how many each side counts.
func pairRuns(ms []*rootMatch, infos []reqInfo) func(m *rootMatch, route string) (int, int, bool) {
	type key struct{ sig, route string }
	type pairing struct {
		runs  []time.Time
		at    map[*rootMatch]int
		spans []reqSpan
		idx   []int
	}
	cache := map[key]*pairing{}
	var byRoute map[string][]int
	held := logSpanOf(infos)
	return func(m *rootMatch, route string) (int, int, bool) {
		k := key{m.sig, route}
		p := cache[k]
		if p == nil {
			if byRoute == nil {
				byRoute = map[string][]int{}
				for i := range infos {
					if infos[i].eligible {
						byRoute[infos[i].route] = append(byRoute[infos[i].route], i)
					}
				}
			}
			p = &pairing{at: map[*rootMatch]int{}}
			for _, o := range ms {
				if o.sig == m.sig && o.ex != nil && held.holds(o.ex.Time) {
					p.at[o] = len(p.runs)
					p.runs = append(p.runs, o.ex.Time)
				}
			}
			for _, i := range byRoute[route] {
				p.spans = append(p.spans, infos[i].span)
				p.idx = append(p.idx, i)
			}
			cache[k] = p
		}
		j, ok := p.at[m]
		if !ok {
			return 0, 0, false
		}
		s, ok := pairedRequest(p.runs, p.spans, j)
		if !ok {
			return 0, 0, false
		}
		return p.idx[s], len(p.runs), true
	}
}

// Rule 5e, several routes one command. A command two routes run (mail
// from a subscribe form and from a comment form) has no route at every
// run, so rule 5b names none. The routes each of whose requests in the log
// held a run of the command (rule 5c's test, route by route) are the ones
// that may run it; when together they have as many requests as the
// command has runs, and these pair one to one in time (rule 5d), each
// route ran it once per request, and a run that every pairing gives the
// same request is that request's. A request of theirs that ran nothing, a
// run no such request was in flight at, or another route whose every
// request held a run by coincidence, breaks the count: nothing is named.

// unionPairs returns rule 5e's question over ms: the request (an index
// into infos) m's run has in every one-to-one pairing of the runs of its
// command with the requests of the routes each of whose requests held a
// run, and those routes.
func unionPairs(ms []*rootMatch, infos []reqInfo) func(m *rootMatch) (int, []string, bool) {
	type pairing struct {
		runs   []time.Time
		at     map[*rootMatch]int
		spans  []reqSpan
		idx    []int
		routes []string
	}
	cache := map[string]*pairing{}
	var byRoute map[string][]int
	held := logSpanOf(infos)
	build := func(sig string) *pairing {
		if byRoute == nil {
			byRoute = map[string][]int{}
			for i := range infos {
				if infos[i].eligible {
					byRoute[infos[i].route] = append(byRoute[infos[i].route], i)
				}
			}
		}
		p := &pairing{at: map[*rootMatch]int{}}
		near := map[string]bool{} // the routes in flight at some run
		for _, o := range ms {
			if o.sig != sig || o.ex == nil || !held.holds(o.ex.Time) {
				continue
			}
			p.at[o] = len(p.runs)
			p.runs = append(p.runs, o.ex.Time)
			for _, i := range o.around {
				near[infos[i].route] = true
			}
		}
		if len(p.runs) < commonMinRuns {
			return p
		}
		sorted := slices.Clone(p.runs)
		slices.SortFunc(sorted, func(a, b time.Time) int { return a.Compare(b) })
		for _, r := range slices.Sorted(maps.Keys(near)) {
			reqs := byRoute[r]
			if len(reqs) < commonMinRuns {
				continue
			}
			every := true
			for _, i := range reqs {
				sp := infos[i].span
				k, _ := slices.BinarySearchFunc(sorted, sp.start.Add(-spanSlack), func(a, b time.Time) int { return a.Compare(b) })
				if k >= len(sorted) || !live(sp, sorted[k]) {
					every = false
					break
				}
			}
			if !every {
				continue
			}
			p.routes = append(p.routes, r)
			for _, i := range reqs {
				p.spans = append(p.spans, infos[i].span)
				p.idx = append(p.idx, i)
			}
		}
		return p
	}
	return func(m *rootMatch) (int, []string, bool) {
		p := cache[m.sig]
		if p == nil {
			p = build(m.sig)
			cache[m.sig] = p
		}
		j, ok := p.at[m]
		if !ok || len(p.routes) < 2 {
			return 0, nil, false // one route is rule 5b's, 5c's and 5d's
		}
		s, ok := pairedRequest(p.runs, p.spans, j)
		if !ok {
			return 0, nil, false
		}
		return p.idx[s], p.routes, true
	}
}
