package timeline

import (
	"fmt"
	"slices"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Rule 9: one handler's commands. A handler that runs two programs for
// its request starts both as children of the server process serving it,
// one right after the other: groff … | ps2pdf for a PDF export (Go's
// os/exec starts the two ends of the pipe), a thumbnail's convert and
// the notification's sendmail for an attachment upload. Often only one
// of them carries the request in its command line (groff -dT='Invoice
// 1006' for GET /invoices/1006/pdf; ps2pdf reads its stdin), and in a
// busy second of a log to the second the other keeps every request in
// flight as a candidate.
//
// Which commands go together is the evidence's own history, as a route's
// is (rule 5): a command each of whose runs in the log (at least
// partnerMinRuns) was started by the same server process within
// partnerGap of a run of one other command, and of only that one at
// every run, has that command as its partner. A run of it that no rule
// decided takes the request of its partner's run when:
//   - the partner's run names a request (its parameter in the command
//     line, a CGI script's path, or an inference that says so: the link
//     says which, and is no stronger than it);
//   - the two runs pair one to one: no other run of either command by
//     that server process within partnerGap (two requests' pairs started
//     together are not told apart this way);
//   - that request is among the run's own candidates (in flight when it
//     started, not ruled out by its worker or its folder).
//
// The link is inferred and says so. A run whose partner is ambiguous
// itself, or whose candidates lack the partner's request, stays as it was.
//
// What the history cannot tell apart is two requests in step: a probe
// whose check runs right after every visitor's command is, by being near
// it, as much its partner as a handler's second program. The history
// holds only while some run of the one is far from every run of the
// other: tomcat-manager's health check ran df 84 ms after a visitor's
// thumbnail convert at many rounds, but some of its 22 runs had no
// convert within partnerGap; within 500 ms every one had, and its 42
// execs were given the thumbnails' requests. partnerGap is kept to the
// pipelines' own measure for that reason, not widened to reach slower
// handlers (desk-attachname's mail sent 1 to 2 s after a large
// attachment's convert stays ambiguous).

// partnerGap bounds how far apart one handler starts its commands.
// benign-ledger's PDF export started ps2pdf 0 to 68 ms after groff;
// benign-desk's attachment upload its convert up to 160 ms before its
// sendmail.
const partnerGap = 250 * time.Millisecond

// partnerMinRuns is how many runs a command needs before its partner is
// taken from its history (rule 5b's commonMinRuns).
const partnerMinRuns = commonMinRuns

// partnerRun is one root of a server process and when it started (its
// first exec).
type partnerRun struct {
	m     *rootMatch
	start time.Time
}

// nearRuns returns, for each root, the other roots its server process
// started within partnerGap of it, by their command's shape.
func nearRuns(ms []*rootMatch, started map[*parser.Process]time.Time) map[*rootMatch]map[string][]*rootMatch {
	bySrv := map[*parser.Process][]partnerRun{}
	for _, m := range ms {
		if m.root.Parent != nil {
			bySrv[m.root.Parent] = append(bySrv[m.root.Parent], partnerRun{m, started[m.root]})
		}
	}
	near := map[*rootMatch]map[string][]*rootMatch{}
	for _, runs := range bySrv {
		slices.SortStableFunc(runs, func(a, b partnerRun) int { return a.start.Compare(b.start) })
		for i, r := range runs {
			by := map[string][]*rootMatch{}
			for j := i - 1; j >= 0 && r.start.Sub(runs[j].start) <= partnerGap; j-- {
				by[runs[j].m.sig] = append(by[runs[j].m.sig], runs[j].m)
			}
			for j := i + 1; j < len(runs) && runs[j].start.Sub(r.start) <= partnerGap; j++ {
				by[runs[j].m.sig] = append(by[runs[j].m.sig], runs[j].m)
			}
			near[r.m] = by
		}
	}
	return near
}

// partnerCmd is a command's partner command by the history (see above),
// and how many runs of the command the history holds.
type partnerCmd struct {
	sig  string
	runs int
}

// partnerSigs returns each command's partner by the history.
func partnerSigs(ms []*rootMatch, near map[*rootMatch]map[string][]*rootMatch) map[string]partnerCmd {
	runs := map[string]int{}
	beside := map[string]map[string]int{} // command → other command → runs it was near
	for _, m := range ms {
		runs[m.sig]++
		if beside[m.sig] == nil {
			beside[m.sig] = map[string]int{}
		}
		for s := range near[m] {
			if s != m.sig {
				beside[m.sig][s]++
			}
		}
	}
	out := map[string]partnerCmd{}
	for sig, others := range beside {
		if runs[sig] < partnerMinRuns {
			continue
		}
		var always []string
		for s, n := range others {
			if n == runs[sig] {
				always = append(always, s)
			}
		}
		if len(always) == 1 {
			out[sig] = partnerCmd{always[0], runs[sig]}
		}
	}
	return out
}

// partnerRunOf is a run's partner run, and its command's history.
type partnerRunOf struct {
	run *rootMatch
	partnerCmd
}

// partnerOf returns, for each root whose command has a partner, its
// partner's run when the two pair one to one.
func partnerOf(ms []*rootMatch, started map[*parser.Process]time.Time) map[*rootMatch]partnerRunOf {
	near := nearRuns(ms, started)
	sigs := partnerSigs(ms, near)
	out := map[*rootMatch]partnerRunOf{}
	for _, m := range ms {
		pc, ok := sigs[m.sig]
		if !ok || len(near[m][pc.sig]) != 1 {
			continue
		}
		if p := near[m][pc.sig][0]; len(near[p][m.sig]) == 1 {
			out[m] = partnerRunOf{p, pc}
		}
	}
	return out
}

// partnerLinks names, for each root no rule decided, its partner's
// request (rule 9). Only links named before this pass are passed on: a
// partner's link is never itself a partner's.
func partnerLinks(ms []*rootMatch, started map[*parser.Process]time.Time, out map[*parser.Process]RequestLink) {
	partners := partnerOf(ms, started)
	named := map[*parser.Process]RequestLink{}
	for _, m := range ms {
		pr, ok := partners[m]
		if !ok {
			continue
		}
		p := pr.run
		rl, pl := out[m.root], out[p.root]
		if rl.Request != nil || rl.Basis != BasisAmbiguous || pl.Request == nil || pl.Basis == BasisAmbiguous || !slices.Contains(rl.Candidates, pl.Request) {
			continue
		}
		conf := ConfidenceMedium
		if pl.Confidence == ConfidenceLow {
			conf = ConfidenceLow
		}
		d := started[m.root].Sub(started[p.root])
		named[m.root] = RequestLink{Request: pl.Request, Process: m.root, Worker: m.root.Parent, Event: m.ex,
			Confidence: conf, Basis: BasisPartner, Inferred: true,
			Reason: fmt.Sprintf("inferred: of %d requests in flight when the process started, the one of %s (pid %d), which the same server process (pid %d) started %s %s it; each of the %d runs of %s in the log was started beside a run of %s, and this run and that one pair one to one: one handler's commands (that run's link: %s)",
				len(rl.Candidates), shortSig(p.sig), p.root.Key.PID, m.root.Parent.Key.PID, absDur(d).Round(time.Millisecond), beforeOrAfter(-d), pr.runs, shortSig(m.sig), shortSig(p.sig), pl.Reason)}
	}
	for root, rl := range named {
		out[root] = rl
	}
}

// beforeOrAfter words the sign of d, one start less another's.
func beforeOrAfter(d time.Duration) string {
	if d < 0 {
		return "before"
	}
	return "after"
}
