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
// (stage 7), with the reason, never another finding; and an upload of
// its to that server, judged data going out before the repetition showed,
// is the beacon's reply (an archive or a dump stays exfiltration).
func (b *Builder) placePolls(all, chainable []*detect.Finding, tree *parser.Tree) []*detect.Finding {
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		p := procOf(f)
		if ev == nil || p == nil || f.Stage == detect.StageCommandAndControl || f.Tampering ||
			ev.Kind != parser.KindExec && ev.Kind != parser.KindConnect {
			continue
		}
		if len(p.Execs) == 0 || !detect.Fetches(p) && ev.Kind != parser.KindConnect && f.RuleID != "exfil-upload" {
			continue // neither a fetch nor an upload: nothing to poll
		}
		if tree != nil && p.Parent != nil {
			tree.LoadChildren(p.Parent)
		}
		if (f.RuleID == "exfil-upload" || ev.Kind == parser.KindConnect && f.Stage == detect.StageExfiltrationImpact) && detect.PollReply(p) {
			// the beacon's reply before the repetition showed: a task's
			// output going back, not files taken out (an archive or a
			// dump named for upload stays exfiltration: PollReply)
			d := *f
			d.Stage = detect.StageCommandAndControl
			if f.RuleID == "exfil-upload" {
				d.Title = "Task Output Returned On The Channel"
				d.Attack = []string{"T1071.001"}
				d.Why = ""
			}
			d.Reason = fmt.Sprintf("an upload to the server its parent polls, seen over the whole log: the beacon's reply with a task's output (T1071.001), not data staged and sent (was stage %d, %s: %s)", f.Stage, f.Title, f.Reason)
			repl[f] = &d
			continue
		}
		if f.Stage == detect.StageExfiltrationImpact || !detect.PollsPeer(p) {
			continue
		}
		d := *f
		d.Stage = detect.StageCommandAndControl
		d.Reason = fmt.Sprintf("a fetch its parent repeats, of the same server again and again, seen over the whole log: a beacon polling for tasks (T1071.001), not a one-off download (was stage %d: %s)", f.Stage, f.Reason)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}
