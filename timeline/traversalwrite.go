package timeline

import (
	"fmt"
	"path"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A web server that itself creates or writes a file at the path a request
// in flight names by climbing out with ../ (a receipt upload's
// name=../../conf/.w) was made to write outside the folder meant for it:
// a path traversal (CWE-22), the way in, observed from two records — the
// server's write and the request's line — though no rule flags the file
// (ledger-receipt: the probe file in the service's settings folder, by
// the Go service itself, no process). placeInclusions moves a finding on
// such a file to stage 1; traversalWrites makes one where there is none.
// The write's record text is kept for the quote when the server writes
// (maxServerWrites of them: a server's uploads into a watched folder are
// the many); a write past the bound cannot be quoted and makes no finding.

// maxServerWrites bounds the server's own writes whose text is kept.
const maxServerWrites = 2048

// RuleTraversalWrite is the id of the findings traversalWrites makes.
const RuleTraversalWrite = "web-server-traversal-write"

func (b *Builder) keepServerWrite(ev *parser.Event) {
	if ev.Proc == nil || b.serverWrites >= maxServerWrites || !b.opts.isWebServer(ev.Proc) {
		return
	}
	b.serverWrites++
	ev.Retain(parser.KeepText)
}

// traversalWrites returns a finding for each of the server's own writes
// that a traversal request in flight names and no finding covers.
func (b *Builder) traversalWrites(all []*detect.Finding) []*detect.Finding {
	if b.serverWrites == 0 {
		return nil
	}
	reqs := b.traversalRequests()
	if len(reqs) == 0 {
		return nil
	}
	flagged := map[*parser.Event]bool{}
	for _, f := range all {
		flagged[f.Event] = true
	}
	var out []*detect.Finding
	for _, w := range b.fileOps {
		if w.Proc == nil || flagged[w] || !w.TextRetained() || !b.opts.isWebServer(w.Proc) {
			continue
		}
		r, v := b.traversalRequest(reqs, w)
		if r == nil {
			continue
		}
		out = append(out, &detect.Finding{
			RuleID: RuleTraversalWrite, RuleIDs: []string{RuleTraversalWrite},
			Title:    "Web Server Made To Write Outside Its Folder (Path Traversal)",
			Why:      "A request's parameter climbs out of the folder it names (../), and the web server itself wrote the file it resolves to while the request was in flight: the application joined the client's name to its folder unchecked (CWE-22). Whatever the file, the server writes where the client says: the way in.",
			Severity: detect.SeverityHigh,
			Attack:   []string{"T1190"},
			Stage:    detect.StageInitialAccess,
			Reason: fmt.Sprintf("observed: %s[%d], a web server process, wrote %s at %s while %s was in flight, whose parameter %q resolves to it",
				w.Proc.Name(), w.Proc.Key.PID, path.Clean(w.Path), when(w.Time), describeRequest(r), v),
			Time:    w.Time,
			Host:    w.Host,
			Event:   w,
			Process: w.Proc,
			Related: []*parser.Event{r},
			Source:  "correlation",
		})
	}
	return out
}
