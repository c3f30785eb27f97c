package timeline

import (
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A file the intrusion planted code into, written again by a process that
// in the same moment removes files of its own, is the plant taken out:
// clean-up (T1070.004), not one more plant. The write alone cannot say so
// — the log has no content, and a web shell updated in place is a write
// of the same file too — but an act that rewrites the changed file and
// deletes the staging files beside it within a second is tidying up
// (plotbook-noticepreview: the root agent cut its patch out of the
// vendored module, removed its staging folder and touched the reload
// file, all in 16 ms; the rewrite was reported as persistence).

// cleanupWithin is how close the rewrite and a removal of the same
// process must be to be one act.
const cleanupWithin = 2 * time.Second

// cleanupIndex holds what cleanupPlacement asks of the findings, built
// once per Build: the script writes of each file and each process's
// removals, in time order, so that the pass stays linear however many
// scripts a long archive writes.
type cleanupIndex struct {
	writes   map[fileKey][]*detect.Finding
	removals map[*parser.Process][]*detect.Finding
}

func newCleanupIndex(fs []*detect.Finding) *cleanupIndex {
	x := &cleanupIndex{writes: map[fileKey][]*detect.Finding{}, removals: map[*parser.Process][]*detect.Finding{}}
	for _, g := range fs {
		ge := g.Event
		if ge == nil || ge.Failed() || ge.Path == "" {
			continue
		}
		switch {
		case ge.Kind == parser.KindUnlink:
			if p := procOf(g); p != nil {
				x.removals[p] = append(x.removals[p], g)
			}
		case (ge.Kind == parser.KindFileWrite || ge.Kind == parser.KindRename) && slices.Contains(unusedRules, g.RuleID):
			k := fileKey{g.Host, path.Clean(ge.Path)}
			x.writes[k] = append(x.writes[k], g)
		}
	}
	return x
}

// cleanupPlacement returns f re-placed as clean-up when it is such a
// rewrite; nil otherwise. index gives the findings' index, built on
// first need.
func cleanupPlacement(f *detect.Finding, index func() *cleanupIndex) *detect.Finding {
	ev := f.Event
	if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename ||
		!slices.Contains(unusedRules, f.RuleID) || f.Stage == detect.StageExfiltrationImpact {
		return nil
	}
	p, file := procOf(f), path.Clean(ev.Path)
	x := index()
	var plant, removal *detect.Finding
	for _, g := range x.writes[fileKey{f.Host, file}] {
		if g != f && g.Time.Before(f.Time) && procOf(g) != p {
			plant = g // the change it takes out: an earlier finding on the same file, by another process
			break
		}
	}
	for _, g := range x.removals[p] {
		if g.Host == f.Host && path.Clean(g.Event.Path) != file && absDur(g.Time.Sub(f.Time)) <= cleanupWithin {
			removal = g
			break
		}
	}
	if plant == nil || removal == nil {
		return nil
	}
	d := *f
	d.Stage = detect.StageExfiltrationImpact
	if d.Severity > detect.SeverityMedium {
		d.Severity = detect.SeverityMedium
	}
	d.Attack = []string{"T1070.004"}
	d.Title = "Planted Change Taken Out By The Intrusion"
	d.Reason = fmt.Sprintf("%s, which %s changed at %s (%s), was written again by %s, which removed %s within %s of it: the intrusion taking its plant out (clean-up, T1070.004), not a new plant (inferred: the log shows no content)",
		file, label(procOf(plant)), when(plant.Time), plant.Title, label(p), path.Clean(removal.Event.Path), max(absDur(removal.Time.Sub(f.Time)).Round(time.Millisecond), time.Millisecond))
	return &d
}
