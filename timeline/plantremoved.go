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

// cleanupPlacement returns f re-placed as clean-up when it is such a
// rewrite; nil otherwise. fs are the findings, in time order.
func cleanupPlacement(f *detect.Finding, fs []*detect.Finding) *detect.Finding {
	ev := f.Event
	if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename ||
		!slices.Contains(unusedRules, f.RuleID) || f.Stage == detect.StageExfiltrationImpact {
		return nil
	}
	p, file := procOf(f), path.Clean(ev.Path)
	var plant, removal *detect.Finding
	for _, g := range fs {
		ge := g.Event
		if g == f || ge == nil || ge.Failed() || g.Host != f.Host {
			continue
		}
		switch {
		case plant == nil && g.Time.Before(f.Time) && procOf(g) != p && slices.Contains(unusedRules, g.RuleID) &&
			(ge.Kind == parser.KindFileWrite || ge.Kind == parser.KindRename) && path.Clean(ge.Path) == file:
			plant = g // the change it takes out: an earlier finding on the same file, by another process
		case removal == nil && procOf(g) == p && ge.Kind == parser.KindUnlink && ge.Path != "" && path.Clean(ge.Path) != file &&
			absDur(g.Time.Sub(f.Time)) <= cleanupWithin:
			removal = g
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
