package timeline

import (
	"fmt"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// placePolls re-places the first fetches of a beacon whose loop is in a
// script. The engine knows a poll from the third fetch of one server by
// one parent (detect/poll.go), as events come; at the end of the input
// the parent's whole family is known, so its earlier fetches of that
// server, and their connections, are the same poll: command and control
// (stage 7), with the reason, never another finding. Uploads keep their
// own judgement (the engine's reply test), and so does a fixed stage.
func (b *Builder) placePolls(all, chainable []*detect.Finding, tree *parser.Tree) []*detect.Finding {
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		p := procOf(f)
		if ev == nil || p == nil || f.Stage == detect.StageCommandAndControl || f.Stage == detect.StageExfiltrationImpact ||
			ev.Kind != parser.KindExec && ev.Kind != parser.KindConnect || f.Tampering {
			continue
		}
		if tree != nil && p.Parent != nil {
			tree.LoadChildren(p.Parent)
		}
		if !detect.PollsPeer(p) {
			continue
		}
		d := *f
		d.Stage = detect.StageCommandAndControl
		d.Reason = fmt.Sprintf("a fetch its parent repeats, of the same server again and again, seen over the whole log: a beacon polling for tasks (T1071.001), not a one-off download (was stage %d: %s)", f.Stage, f.Reason)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}
