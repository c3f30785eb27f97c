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

// An upload becomes a web shell by what its requests do, not by its name.
// A picture whose comment holds PHP is a valid GIF to the upload form's
// checks; PHP runs it when a request's path names it with a path-info
// after it (/uploads/avatars/c1.gif/.php with cgi.fix_pathinfo), when an
// include reads it, or when a handler maps its extension. The rules judge
// the write when it happens, as the upload it looks like (stage 1, low);
// what shows it was code is later: requests to that very file ran
// commands the rules judged suspicious. markServedUploads places such a
// write on stage 2, the web shell landed, saying which request first used
// it: the request names the file by its path (observed), and is tied to
// the command by its request link, observed or inferred as the link says.

// markServedUploads re-stages the write findings of files the web server
// stored for a client when a strongly linked request to the file (its own
// path, or with a path-info after it) later ran a process with a finding
// of medium or more.
func (b *Builder) markServedUploads(all, chainable []*detect.Finding, cz causality) []*detect.Finding {
	if len(cz.execs) == 0 {
		return chainable
	}
	// the suspicious roots the requests ran, in request order
	type use struct {
		rl  RequestLink
		sev detect.Severity
	}
	bad := map[*parser.Process]detect.Severity{}
	for _, f := range chainable {
		if f.Severity < detect.SeverityMedium {
			continue
		}
		if r := linkedRoot(procOf(f), cz); r != nil && f.Severity > bad[r] {
			bad[r] = f.Severity
		}
	}
	var uses []use
	for r, sev := range bad {
		rl := cz.execs[r]
		if rl.Request == nil || rl.Request.HTTP == nil || !strong(rl) {
			continue
		}
		uses = append(uses, use{rl, sev})
	}
	if len(uses) == 0 {
		return chainable
	}
	// one request may have run several roots: the earliest started is
	// named, whatever the map's order (and whether the tree spilled)
	sort.Slice(uses, func(i, j int) bool {
		a, b := uses[i].rl, uses[j].rl
		switch {
		case loggedBefore(a.Request, b.Request):
			return true
		case loggedBefore(b.Request, a.Request):
			return false
		}
		return procBefore(a.Process, b.Process)
	})
	idx := newUploadIndex()
	for _, f := range chainable {
		ev := f.Event
		if ev == nil || ev.Path == "" || f.Stage == detect.StageWebshellUpload || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
			continue
		}
		if ev.Proc == nil || !b.opts.isWebServer(ev.Proc) || !b.uploadTarget(ev.Path) {
			continue // not a file the server itself stored (an upload)
		}
		idx.add(f)
	}
	if len(idx.bySuffix) == 0 {
		return chainable
	}
	idx.sort()
	repl := map[*detect.Finding]*detect.Finding{}
	for _, u := range uses {
		req := u.rl.Request
		route := path.Clean(req.HTTP.Path)
		// the request ran the file as it was then: the latest write of
		// it before the request (a log to the second rounds the request
		// down), not a version it replaced
		w := idx.latest(route, req)
		if w == nil || repl[w] != nil {
			continue
		}
		d := *w
		d.Stage = detect.StageWebshellUpload
		if d.Severity < u.sev {
			d.Severity = u.sev
		}
		how := "its own path"
		if !namedRoute(path.Clean(w.Event.Path), route) {
			how = "a path-info after its name, which PHP's cgi.fix_pathinfo and CGI's PATH_INFO run as the file"
		}
		tie := "observed: the request's parameters are in the command"
		if u.rl.Inferred {
			tie = "inferred: the request is tied to the command by " + u.rl.Confidence + "-confidence timing: " + strings.TrimPrefix(u.rl.Reason, "inferred: ")
		}
		d.Reason = strings.TrimSpace(fmt.Sprintf("%s; placed on stage 2 instead: a web shell, whatever its name: %s at %s requested it by %s and ran %s (judged %s; %s)",
			w.Reason, describeRequest(req), when(req.Time), how, label(u.rl.Process), u.sev, tie))
		repl[w] = &d
	}
	return replaced(all, chainable, repl)
}

// uploadIndex holds the upload writes by the suffixes of their paths
// that a URL path can name (servedAs: the file's path ends with the URL's
// path, whatever the document root), and by those of the path without
// its extensions (namedRoute's routes), each list in time order: a
// request is matched by looking up its route and its route's folders
// (a path-info after the file), not by reading every upload of a long
// archive.
type uploadIndex struct {
	bySuffix map[string][]*detect.Finding // suffix of the path → its writes
	byRoute  map[string][]*detect.Finding // suffix of the path without extensions → its writes
}

// maxSuffixes bounds the suffixes indexed per path (its depth).
const maxSuffixes = 16

func newUploadIndex() *uploadIndex {
	return &uploadIndex{bySuffix: map[string][]*detect.Finding{}, byRoute: map[string][]*detect.Finding{}}
}

func (x *uploadIndex) add(f *detect.Finding) {
	p := path.Clean(f.Event.Path)
	addSuffixes(x.bySuffix, p, f)
	if s := stripExts(p); s != p {
		addSuffixes(x.byRoute, s, f)
	}
}

func addSuffixes(m map[string][]*detect.Finding, p string, f *detect.Finding) {
	for i, n := len(p)-1, 0; i >= 0 && n < maxSuffixes; i-- {
		if p[i] == '/' {
			m[p[i:]] = append(m[p[i:]], f)
			n++
		}
	}
}

func (x *uploadIndex) sort() {
	for _, m := range []map[string][]*detect.Finding{x.bySuffix, x.byRoute} {
		for _, fs := range m {
			sort.SliceStable(fs, func(i, j int) bool { return fs[i].Event.Time.Before(fs[j].Event.Time) })
		}
	}
}

// latest returns the latest upload write on req's host, before it, that
// route requests: by its own path, without its extensions when the route
// has none, or with a path-info after it; nil when none.
func (x *uploadIndex) latest(route string, req *parser.Event) *detect.Finding {
	var best *detect.Finding
	look := func(fs []*detect.Finding) {
		at := req.Time
		i := sort.Search(len(fs), func(i int) bool { return at.Before(fs[i].Event.Time.Truncate(time.Second)) })
		for j := i - 1; j >= 0 && j >= i-maxBackSteps; j-- {
			if sameHost(req.Host, fs[j].Event.Host) {
				if best == nil || fs[j].Event.Time.After(best.Event.Time) {
					best = fs[j]
				}
				return
			}
		}
	}
	for u, n := route, 0; len(u) > 1 && n < maxSuffixes; n++ {
		look(x.bySuffix[u])
		if path.Ext(u) == "" {
			look(x.byRoute[u])
		}
		i := strings.LastIndexByte(u, '/')
		if i <= 0 {
			break
		}
		u = u[:i] // the route's folder: the file, with a path-info after it
	}
	return best
}

// procBefore orders processes by what identifies them (start, then pid),
// never by pointer or first sighting, which a spilled tree may not keep.
func procBefore(a, b *parser.Process) bool {
	switch {
	case a == nil || b == nil:
		return b != nil
	case !a.Key.Start.Equal(b.Key.Start):
		return a.Key.Start.Before(b.Key.Start)
	case a.Key.PID != b.Key.PID:
		return a.Key.PID < b.Key.PID
	}
	return a.Key.Host < b.Key.Host
}

// linkedRoot returns the nearest process at or above p that a request
// spawned (a key of cz.execs), or nil.
func linkedRoot(p *parser.Process, cz causality) *parser.Process {
	for i := 0; p != nil && i < 16; i, p = i+1, p.Parent {
		if _, ok := cz.execs[p]; ok {
			return p
		}
	}
	return nil
}

// replaceWindow is how soon after an unlink the same process must write
// the path again for the two to be one replacement.
const replaceWindow = time.Second

// dropReplaced removes own-file-removed findings on an unlink that the
// same process followed with a write or rename onto the same path within
// replaceWindow: the file was replaced, not removed (an upload form
// unlinks a customer's old picture and stores the new one in the same
// request). The rule already excludes what install and mv replace
// (ReplacedByCopy); a program that unlinks first shows it only after.
func (b *Builder) dropReplaced(all, chainable []*detect.Finding) ([]*detect.Finding, []*detect.Finding) {
	type fileOf struct {
		proc *parser.Process
		path string
	}
	unlinks := map[fileOf][]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		if ev == nil || ev.Kind != parser.KindUnlink || ev.Proc == nil || ev.Path == "" || !hasRule(f, "own-file-removed") {
			continue
		}
		k := fileOf{ev.Proc, path.Clean(ev.Path)}
		unlinks[k] = append(unlinks[k], f)
	}
	if len(unlinks) == 0 {
		return all, chainable
	}
	gone := map[*detect.Finding]bool{}
	for _, w := range b.fileOps {
		if w.Kind != parser.KindFileWrite && w.Kind != parser.KindRename || w.Proc == nil {
			continue
		}
		for _, f := range unlinks[fileOf{w.Proc, path.Clean(w.Path)}] {
			if d := w.Time.Sub(f.Event.Time); d >= 0 && d <= replaceWindow {
				gone[f] = true
			}
		}
	}
	if len(gone) == 0 {
		return all, chainable
	}
	keep := func(fs []*detect.Finding) []*detect.Finding {
		out := fs[:0:0]
		for _, f := range fs {
			if !gone[f] {
				out = append(out, f)
			}
		}
		return out
	}
	return keep(all), keep(chainable)
}

// hasRule reports whether f is, or merges, a finding of rule id.
func hasRule(f *detect.Finding, id string) bool {
	return f.RuleID == id || slices.Contains(f.RuleIDs, id)
}
