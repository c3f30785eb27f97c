package timeline

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Per-request CGI programs (lighttpd or Apache mod_cgi: lighttpd →
// /usr/bin/php-cgi /srv/www/report.php). Unlike a pool worker (php-fpm,
// which forks and serves many requests), a CGI program is exec'd for one
// request, and its argv names the script the request's path names. That is
// evidence in the records themselves (link basis cgi-script-path,
// observed): of the requests in flight when it started, only those whose
// path names its script — under the document root learned from the
// capture — can have started it. Its children (the shells and commands the
// script ran) belong to the same request. When several requests to the
// same script were in flight, a parameter in a child's command line may
// decide; else the link says "ambiguous" and lists them.

// cgiScript returns the script a web server's child was started for: the
// first absolute argument with a script extension ("" for a FastCGI or
// pool worker, which names none).
func cgiScript(ex *parser.Event) string {
	for i := 1; i < len(ex.Args); i++ {
		if a := ex.Args[i]; strings.HasPrefix(a, "/") && isScript(a) {
			return path.Clean(a)
		}
	}
	return ""
}

// cgiMatch is one CGI program and the requests that may have started it.
type cgiMatch struct {
	rootMatch
	script   string
	named    []int        // requests in flight whose path names the script (and fit its children)
	byParam  string       // the child's parameter that left one in named
	wide     []int        // named before the child's parameter narrowed it
	shared   int          // 1 + the request its child's parameter named before shareParams widened it (0: none)
	sharedBy string       // that parameter
	kids     []*rootMatch // the roots it spawned
	last     time.Time    // its last exec or its children's: its request had not ended yet
	options  []int        // what is left once every program has its own request
	solvedBy string       // why options is one when named was several
}

// cgiLinks ties each CGI program, and the roots it spawned, to the request
// its script path names. ms are the roots' own matches (children of CGI
// programs among them).
func (b *Builder) cgiLinks(reqs []*parser.Event, infos []reqInfo, maxDur time.Duration, ms []*rootMatch, out map[*parser.Process]RequestLink) {
	var cs []*cgiMatch
	seen := map[*parser.Process]bool{}
	progs := map[*parser.Process]bool{}
	for _, ex := range b.cgiExecs {
		progs[ex.Proc] = true
	}
	for _, ex := range b.cgiExecs {
		if ex.Proc == nil || seen[ex.Proc] || progs[ex.Proc.Parent] {
			continue // a program's first exec decides; one a script started is no request's
		}
		seen[ex.Proc] = true
		c := &cgiMatch{rootMatch: rootMatch{root: ex.Proc, ex: ex}, script: cgiScript(ex)}
		lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(ex.Time.Add(-time.Second - b.lateBound())) })
		for i := lo; i < len(reqs) && !reqs[i].Time.After(ex.Time.Add(maxDur+time.Second)); i++ {
			if ri := &infos[i]; ri.eligible && sameHost(ri.ev.Host, ex.Host) && live(ri.span, ex.Time) && !ri.span.start.After(ex.Time.Add(spanSlack)) {
				c.inFlight = append(c.inFlight, i)
			}
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return
	}
	roots := learnDocRoots(cs, infos)
	children := map[*parser.Process][]*rootMatch{}
	for _, m := range ms {
		children[m.root.Parent] = append(children[m.root.Parent], m)
	}
	for _, c := range cs {
		dr, ok := roots[c.root.Key.Host]
		if !ok {
			continue
		}
		for _, i := range c.inFlight {
			if namesScript(dr.root, reqs[i].HTTP.Path, c.script) {
				c.named = append(c.named, i)
			}
		}
		c.kids = children[c.root]
		c.last = c.ex.Time
		// the request was still in flight when each child started (kept
		// only if some request fits them all)
		for _, k := range c.kids {
			if k.ex.Time.After(c.last) {
				c.last = k.ex.Time
			}
			var still []int
			for _, i := range c.named {
				if live(infos[i].span, k.ex.Time) {
					still = append(still, i)
				}
			}
			if len(still) > 0 {
				c.named = still
			}
		}
		// a parameter in a child's command line may single one out
		if len(c.named) > 1 {
			hits := map[int]string{}
			for _, k := range c.kids {
				for j, i := range k.content {
					if slices.Contains(c.named, i) {
						hits[i] = k.values[j]
					}
				}
			}
			if len(hits) == 1 {
				for i, v := range hits {
					c.wide = c.named
					c.named, c.byParam = []int{i}, v
				}
			}
		}
	}
	// one request runs one CGI program: what the others took, and the
	// log's order and durations, may leave one (reqcgi_order.go)
	for _, c := range cs {
		c.options = c.named
	}
	solveCGI(cs, reqs, infos, b.opts.RequestWindow)
	if shareParams(cs) {
		solveCGI(cs, reqs, infos, b.opts.RequestWindow)
	}
	for _, c := range cs {
		if len(c.options) == 0 {
			continue // no request names it: the other rules stand
		}
		dr := roots[c.root.Key.Host]
		prog := path.Base(c.ex.Exe)
		if len(c.options) > 1 {
			why := fmt.Sprintf("requests in flight whose path names %s, which %s pid %d ran", c.script, prog, c.root.Key.PID)
			out[c.root] = ambiguousLink(c.root, c.root, c.ex, c.options, reqs, infos, why)
			for _, k := range c.kids {
				out[k.root] = ambiguousLink(k.root, c.root, k.ex, c.options, reqs, infos, why+" and whose CGI program started this")
			}
			continue
		}
		chosen := c.options[0]
		r := reqs[chosen]
		reason := fmt.Sprintf("%s pid %d ran %s, the file %s names under the document root %s (learned from %d CGI programs); ",
			prog, c.root.Key.PID, c.script, describeRequest(r), dr.root, dr.support)
		inferred := false
		switch {
		case c.byParam != "":
			reason += fmt.Sprintf("of the requests in flight naming it, the one whose parameter %q is in its child's command line", c.byParam)
		case len(c.named) == 1:
			reason += fmt.Sprintf("the only such request in flight when it started at %s (request %s, end from %s)", when(c.ex.Time), spanText(infos[chosen].span), infos[chosen].span.endBasis)
		default:
			inferred = true
			reason += fmt.Sprintf("of %d such requests in flight when it started at %s, the only one left %s", len(c.named), when(c.ex.Time), c.solvedBy)
			if c.shared != 0 && c.shared-1 != chosen {
				reason += fmt.Sprintf("; its child's %q is also in %s, which another CGI program served (one request runs one CGI program): this request's body, which the log does not hold, may carry it too", c.sharedBy, describeRequest(reqs[c.shared-1]))
			}
		}
		mark := "" // the report says "observed" itself
		if inferred {
			mark = "inferred: "
		}
		out[c.root] = RequestLink{Request: r, Process: c.root, Worker: c.root, Event: c.ex,
			Confidence: ConfidenceHigh, Reason: mark + reason, Basis: BasisScript, Inferred: inferred}
		for _, k := range c.kids {
			rl := RequestLink{Request: r, Process: k.root, Worker: c.root, Event: k.ex,
				Confidence: ConfidenceHigh, Basis: BasisScript, Inferred: inferred,
				Reason: mark + "started by the CGI program of its request: " + reason}
			if prev, ok := out[k.root]; ok && prev.Basis == BasisParameter && prev.Request == r {
				rl.Basis, rl.Inferred, rl.Reason = BasisParameter, false, prev.Reason+"; and "+reason
			}
			out[k.root] = rl
		}
	}
}

// docRoot is a learned document root and how many CGI programs support it.
type docRoot struct {
	root    string
	support int
}

// learnDocRoots learns each host's document root from the capture: the
// directory that, joined with the path of a request in flight, names the
// script of a CGI program, for the most CGI programs (a tie learns none:
// the evidence does not say which).
func learnDocRoots(cs []*cgiMatch, infos []reqInfo) map[string]docRoot {
	count := map[string]map[string]int{}
	for _, c := range cs {
		seen := map[string]bool{}
		for _, i := range c.inFlight {
			u := cleanURLPath(infos[i].ev.HTTP.Path)
			if u == "/" || !strings.HasSuffix(c.script, u) {
				continue
			}
			r := strings.TrimSuffix(c.script, u)
			if r == "" || seen[r] {
				continue
			}
			seen[r] = true
			h := c.root.Key.Host
			if count[h] == nil {
				count[h] = map[string]int{}
			}
			count[h][r]++
		}
	}
	out := map[string]docRoot{}
	for h, rs := range count {
		var best docRoot
		tie := false
		keys := make([]string, 0, len(rs))
		for r := range rs {
			keys = append(keys, r)
		}
		sort.Strings(keys)
		for _, r := range keys {
			switch n := rs[r]; {
			case n > best.support:
				best, tie = docRoot{r, n}, false
			case n == best.support:
				tie = true
			}
		}
		if !tie {
			out[h] = best
		}
	}
	return out
}

// namesScript reports whether URL path u names file script under document
// root root: the file itself, the directory's index script for a path
// ending in "/", or the script with extra path info (/index.php/a/b).
func namesScript(root, u, script string) bool {
	trailing := strings.HasSuffix(u, "/")
	f := root + cleanURLPath(u)
	switch {
	case f == script:
		return true
	case trailing || u == "/" || u == "":
		return path.Dir(script) == path.Clean(f) && strings.HasPrefix(path.Base(script), "index.")
	}
	return strings.HasPrefix(f, script+"/")
}

// cleanURLPath decodes and cleans a request path ("/a/../b%2ephp" →
// "/b.php"); a path that does not decode is cleaned as logged.
func cleanURLPath(u string) string {
	if d, err := url.PathUnescape(u); err == nil {
		u = d
	}
	return path.Clean("/" + u)
}

// A child's parameter singles out the request whose URL carries it, but a
// request's body is not in the log: a POST beside it may carry the same
// value unseen (benign-reports: GET /report.php?month=2026-12 and the
// finance UI's POST /report.php mailing the same month, a CGI program
// each, both children running rptgen --month 2026-12). When two programs
// are left with one and the same request this way, one of them is
// wrong (one request runs one CGI program), and the parameter cannot say
// which: those it narrowed get back every request in flight that names
// their script, for the log's order and durations to decide
// (reqcgi_order.go), or to leave them ambiguous.

// shareParams widens the programs a shared parameter narrowed to a
// request another program was also left with, and reports whether it
// widened any.
func shareParams(cs []*cgiMatch) bool {
	holders := map[int]int{} // request → programs left with it alone
	for _, c := range cs {
		if len(c.options) == 1 {
			holders[c.options[0]]++
		}
	}
	widened := false
	for _, c := range cs {
		if c.byParam == "" || len(c.options) != 1 || holders[c.options[0]] < 2 || len(c.wide) < 2 {
			continue
		}
		c.shared, c.sharedBy = c.options[0]+1, c.byParam
		c.named, c.options, c.byParam = c.wide, c.wide, ""
		widened = true
	}
	return widened
}
