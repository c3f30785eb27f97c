package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A web server that opens a file outside its site because a request asked
// for it by a path traversal (page.php?p=../../../../etc/passwd) is being
// exploited through file inclusion or traversal: the act is the way in
// (stage 1), whatever the rule that saw the read says of the file. The
// request is named by evidence, not by time alone: the file's path is what
// its parameter holds once the traversal is resolved, and the request was
// in flight when the server opened it. placeInclusions moves such findings
// to stage 1, with the request and the reason.

// inclusionBack bounds how far before a request's logged time the open may
// be (a log to the second, no duration: the request's bound life).
const inclusionBack = 3 * time.Second

func (b *Builder) placeInclusions(all, chainable []*detect.Finding) []*detect.Finding {
	reqs := b.traversalRequests()
	if len(reqs) == 0 {
		return chainable
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		p := procOf(f)
		if ev == nil || p == nil || ev.Path == "" || !b.opts.isWebServer(p) || f.Stage == detect.StageInitialAccess ||
			ev.Kind == parser.KindExec || ev.Kind == parser.KindConnect || ev.Kind == parser.KindAccept {
			continue
		}
		target := path.Clean(ev.Path)
		if r, v := b.traversalRequest(reqs, ev); r != nil {
			d := *f
			// the request is evidence of the act (and the client's, for
			// linkHTTPClients)
			d.Related = append(slices.Clip(f.Related), r)
			if writes(ev.Kind) && f.Stage.Effect() {
				// a traversal that writes a plant (ledger-receipt's
				// settings overwrite that makes the PDF export a shell) is
				// the plant: the effect wins, the traversal is its means
				d.Reason = fmt.Sprintf("%s; written through a path traversal: %s was in flight, whose parameter %q resolves to %s",
					f.Reason, describeRequest(r), v, target)
				repl[f] = &d
				continue
			}
			d.Stage = detect.StageInitialAccess
			d.Reason = fmt.Sprintf("the web server opened %s while %s was in flight, whose parameter %q resolves to it: a file inclusion or path traversal, the way in (was stage %d: %s)",
				target, describeRequest(r), v, f.Stage, f.Reason)
			repl[f] = &d
		}
	}
	return replaced(all, chainable, repl)
}

// traversalRequests are the requests whose query climbs with "..", by
// logged time.
func (b *Builder) traversalRequests() []*parser.Event {
	var reqs []*parser.Event
	for _, r := range b.requests {
		if r.HTTP != nil && strings.Contains(r.HTTP.Query, "..") {
			reqs = append(reqs, r)
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
	return reqs
}

// traversalRequest returns the request of reqs (traversalRequests) in
// flight when the server opened ev's file whose parameter resolves to it,
// and that parameter; nil when none.
func (b *Builder) traversalRequest(reqs []*parser.Event, ev *parser.Event) (*parser.Event, string) {
	target := path.Clean(ev.Path)
	lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(ev.Time.Add(-time.Second)) })
	for i := lo; i < len(reqs) && !reqs[i].Time.After(ev.Time.Add(inclusionBack)); i++ {
		r := reqs[i]
		if !sameHost(r.Host, ev.Host) || !live(b.spanOf(r), ev.Time) {
			continue
		}
		if v := traversalTo(r.HTTP, target); v != "" {
			return r, v
		}
	}
	return nil, ""
}

// traversalTo returns the request parameter that climbs out with ../ and
// ends at target (its last elements name the file), or "".
func traversalTo(h *parser.HTTPRequest, target string) string {
	for _, v := range queryValues(h) {
		if !strings.Contains(v, "../") {
			continue
		}
		rest := strings.TrimLeft(path.Clean("/"+v), "/") // ../../etc/passwd → etc/passwd
		if rest != "" && rest != "." && strings.HasSuffix(target, "/"+rest) {
			return v
		}
	}
	return ""
}

// writes reports whether an event changes a file.
func writes(k parser.Kind) bool {
	return k == parser.KindFileWrite || k == parser.KindRename || k == parser.KindUnlink || k == parser.KindChmod
}
