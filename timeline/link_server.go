package timeline

import (
	"fmt"
	"path"
	"slices"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A server's own acts have no unit of work: the server serves benign and
// hostile requests alike, so its process is no anchor (linker.anchor) and
// its findings joined no chain by ancestry. Two of them name, as their
// own premise, an act of a chain:
//   - a poll the timeline judged the intrusion's plant firing inside the
//     restarted server (web-server-polls-new-address) joins the chains of
//     the persistence acts at high within the gap before the server
//     started (the restart was their chance to run), inferred as the
//     finding's reason says;
//   - a removal of a file whose write was a finding (own-file-removed) made
//     by the server itself (an in-process web shell deleting itself)
//     removes that chain's file: it joins the chain of the write, observed
//     by the path.
func (l *linker) linkServerActs() {
	var writes map[fileKey]int // a flagged file's latest write finding
	for i, f := range l.findings {
		p := procOf(f)
		if p == nil || l.anchor(p) != nil || f.Event == nil {
			continue
		}
		switch {
		case (f.RuleID == RuleServerPoll || f.RuleID == RuleServerPlantFired) && f.Source == "correlation":
			// the plants that may have fired: the persistence acts at high
			// within the gap before the server's start (the restart was
			// their chance to run); which one did, the log does not say
			start := startOf(p)
			for j, g := range l.findings {
				if g.Stage != detect.StagePersistence || g.Severity < detect.SeverityHigh || g.Source == "correlation" ||
					g.Host != f.Host || g.Time.After(start) || start.Sub(g.Time) > l.o.Gap {
					continue
				}
				l.union(findingKey(i), findingKey(j), f.Time, fmt.Sprintf(
					"plant (inferred): %s polls an address new since the intrusion; it started at %s, %s after the persistence act of %s (%s)",
					label(p), when(start), roundDur(start.Sub(g.Time)), label(procOf(g)), g.Title))
			}
			// and what the timeline placed as the beacon's tasks: its
			// children's acts on stage 7 (placeBeaconTasks, which leaves
			// the commands the server's program ran before the intrusion
			// to the application)
			for j, g := range l.findings {
				if g.Stage != detect.StageCommandAndControl || j == i || !descendsFrom(procOf(g), p, beaconMaxDepth) {
					continue
				}
				l.union(findingKey(i), findingKey(j), g.Time, fmt.Sprintf(
					"beacon (inferred): %s ran %s while it polled, a command its program had not run before the intrusion",
					label(p), label(procOf(g))))
			}
		case slices.Contains(f.RuleIDs, "own-file-removed") && f.Event.Kind == parser.KindUnlink && f.Event.Path != "":
			if writes == nil {
				writes = l.flaggedWriteFindings()
			}
			k := fileKey{f.Event.Host, path.Clean(f.Event.Path)}
			j, ok := writes[k]
			if !ok || l.findings[j].Time.After(f.Time) {
				continue
			}
			w := l.findings[j]
			l.union(findingKey(i), findingKey(j), f.Time, fmt.Sprintf(
				"file: %s removed %s at %s, written by %s at %s (%s)",
				label(p), k.path, when(f.Time), label(procOf(w)), when(w.Time), w.Title))
		}
	}
}

// flaggedWriteFindings returns, per file, the index of the last finding on
// a write of it (the findings are in time order).
func (l *linker) flaggedWriteFindings() map[fileKey]int {
	out := map[fileKey]int{}
	for i, f := range l.findings {
		ev := f.Event
		if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename ||
			f.Severity < detect.SeverityMedium {
			continue
		}
		out[fileKey{ev.Host, path.Clean(ev.Path)}] = i
	}
	return out
}

// descendsFrom reports whether a is among p's ancestors, at most depth
// generations up.
func descendsFrom(p, a *parser.Process, depth int) bool {
	if p == nil {
		return false
	}
	for q, n := p.Parent, 0; q != nil && n < depth; q, n = q.Parent, n+1 {
		if q == a {
			return true
		}
	}
	return false
}
