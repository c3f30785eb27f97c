package timeline

import (
	"fmt"
	"sort"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Several CGI programs of one script, several requests to it in flight
// (a log to the second cannot tell them apart by time alone). What still
// tells them apart, each a fact of the evidence:
//   - one request runs one CGI program, so a request another program is
//     tied to is no candidate here;
//   - the log is written when a request ends, line after line: a request
//     logged on an earlier line ended no later than one logged after it;
//   - a request started before its program (end − %D ≤ the program's exec)
//     and ended after the program's last child started.
// Every pairing of programs to distinct candidates is tried against these
// (a small group only: maxCGIGroup programs, maxCGIPairings pairings); a
// program left with one request in every pairing that holds is tied to it
// (inferred, said so); otherwise it keeps the candidates that some pairing
// gives it, and stays ambiguous. When no pairing holds (a request missing
// from the log), nothing is narrowed.

const (
	maxCGIGroup    = 8     // programs solved together
	maxCGIPairings = 20000 // pairings tried per group
)

// solveCGI narrows each program's options.
func solveCGI(cs []*cgiMatch, reqs []*parser.Event, infos []reqInfo, bound time.Duration) {
	byReq := map[int][]int{}
	for k, c := range cs {
		for _, i := range c.options {
			byReq[i] = append(byReq[i], k)
		}
	}
	done := make([]bool, len(cs))
	for k := range cs {
		if done[k] || len(cs[k].options) == 0 {
			continue
		}
		// the group: programs that share a candidate, transitively
		group := []int{k}
		done[k] = true
		for g := 0; g < len(group); g++ {
			for _, i := range cs[group[g]].options {
				for _, o := range byReq[i] {
					if !done[o] {
						done[o] = true
						group = append(group, o)
					}
				}
			}
		}
		if len(group) == 1 && len(cs[k].options) == 1 || len(group) > maxCGIGroup {
			continue
		}
		solveGroup(cs, group, reqs, infos, bound)
	}
}

func solveGroup(cs []*cgiMatch, group []int, reqs []*parser.Event, infos []reqInfo, bound time.Duration) {
	var all []int
	seen := map[int]bool{}
	for _, k := range group {
		for _, i := range cs[k].options {
			if !seen[i] {
				seen[i] = true
				all = append(all, i)
			}
		}
	}
	// log order: by file, then line
	sort.Slice(all, func(a, b int) bool {
		pa, pb := reqs[all[a]].FirstEvidence().Pos, reqs[all[b]].FirstEvidence().Pos
		if pa.File != pb.File {
			return pa.File < pb.File
		}
		return pa.Line < pb.Line
	})
	got := make([]map[int]bool, len(group))
	for j := range got {
		got[j] = map[int]bool{}
	}
	assign := make([]int, len(group))
	used := map[int]bool{}
	tried, holds := 0, 0
	var try func(j int)
	try = func(j int) {
		if tried > maxCGIPairings {
			return
		}
		if j == len(group) {
			tried++
			if pairingHolds(cs, group, assign, all, reqs, infos, bound) {
				holds++
				for g, i := range assign {
					got[g][i] = true
				}
			}
			return
		}
		for _, i := range cs[group[j]].options {
			if used[i] {
				continue
			}
			used[i], assign[j] = true, i
			try(j + 1)
			used[i] = false
		}
	}
	try(0)
	if tried > maxCGIPairings || holds == 0 {
		return
	}
	for j, k := range group {
		c := cs[k]
		var opts []int
		for _, i := range c.options {
			if got[j][i] {
				opts = append(opts, i)
			}
		}
		if len(opts) < len(c.options) {
			c.options = opts
			if len(opts) == 1 {
				c.solvedBy = fmt.Sprintf("once each request runs one CGI program and the access log's line order and durations hold (%d programs and %d requests weighed together)", len(group), len(all))
			}
		}
	}
}

// pairingHolds checks one pairing (assign[j] is group[j]'s request) against
// the requests' ends: each in its logged second (or at its exact end),
// after its program's last child started, no later than its program's
// exec plus its duration, and in the log's line order.
func pairingHolds(cs []*cgiMatch, group, assign, ordered []int, reqs []*parser.Event, infos []reqInfo, bound time.Duration) bool {
	prog := map[int]*cgiMatch{}
	for j, i := range assign {
		prog[i] = cs[group[j]]
	}
	var prev time.Time
	prevFile := ""
	for n, i := range ordered {
		sp := infos[i].span
		// the logged second bounds the end from below; a trailing
		// clock's lag (sp.late) only moves the upper bound
		lo, hi := sp.end.Add(-sp.late).Truncate(time.Second), sp.end
		if sp.endExact {
			lo, hi = sp.end.Add(-sp.late).Add(-spanSlack), sp.end.Add(spanSlack)
		}
		if c := prog[i]; c != nil {
			dur := bound
			if h := reqs[i].HTTP; sp.durKnown {
				dur = h.Duration
			}
			if t := c.last.Add(-spanSlack); t.After(lo) {
				lo = t
			}
			if t := c.ex.Time.Add(dur + spanSlack); t.Before(hi) {
				hi = t
			}
		}
		if f := reqs[i].FirstEvidence().Pos.File; n > 0 && f == prevFile && prev.After(lo) {
			lo = prev
		}
		if lo.After(hi) {
			return false
		}
		prev, prevFile = lo, reqs[i].FirstEvidence().Pos.File
	}
	return true
}
