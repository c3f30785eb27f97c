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

// Request confidences.
const (
	ConfidenceHigh   = "high"   // the request's parameters appear in the command line
	ConfidenceMedium = "medium" // the only candidate request in the time window
	ConfidenceLow    = "low"    // the nearest of several candidates
)

// contentWindow is how long after an exec the request that caused it may
// be logged when the request's own parameters name the command: access
// logs stamp a request when it completes, and a request that started a
// reverse shell completes when the shell ends (nginx logs it as 499).
const contentWindow = 15 * time.Minute

// causality ties access-log requests to what web-server workers did: the
// shells they spawned (a request to a script) and the files they wrote (an
// upload POST). It is the HTTP→process link of issue #7.
type causality struct {
	execs   map[*parser.Process]RequestLink // web-shell root → the request that spawned it
	uploads map[*parser.Event]RequestLink   // web-server file write → the upload request
}

// matchRequests matches every kept web-server exec and web-server file
// write with the request that caused it, or says that several fit (see
// matchExecs).
func (b *Builder) matchRequests() causality {
	b.laterWebExecs()
	c := causality{execs: map[*parser.Process]RequestLink{}, uploads: map[*parser.Event]RequestLink{}}
	reqs := b.requests
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
	if len(reqs) == 0 {
		return c
	}
	reqs, ports := dedupeLogged(reqs)  // one request in two logs is one candidate (reqdup.go)
	reqs = b.dedupeCoarse(reqs, ports) // and so when the two logs are to the second, paired one to one
	infos, maxDur := b.requestInfos(reqs, ports)
	b.matchExecs(reqs, infos, maxDur, c.execs)
	b.markTunnels(c.execs)
	served := servedWorkers(c.execs)
	// the ops that finish storing a file (PHP chmods what it just renamed
	// into place) are the same act: they keep its link
	type stored struct {
		at time.Time
		l  RequestLink
	}
	last := map[uploadKey]stored{}
	for _, wr := range b.fileOps {
		p := wr.Proc
		if p == nil || !b.opts.isWebServer(p) || wr.Kind == parser.KindUnlink || !b.uploadTarget(wr.Path) {
			continue
		}
		k := uploadKey{p, path.Clean(wr.Path)}
		if prev, ok := last[k]; ok && wr.Time.Sub(prev.at) <= sameActWindow {
			l := prev.l
			l.Event = wr
			c.uploads[wr] = l
			continue
		}
		if l, ok := b.matchWrite(wr, reqs, infos, maxDur, served); ok {
			c.uploads[wr] = l
			last[k] = stored{wr.Time, l}
		}
	}
	return c
}

// servedWorkers gives each request an observed exec link names (its
// parameter in the command line) the worker that served it.
func servedWorkers(execs map[*parser.Process]RequestLink) map[*parser.Event]*parser.Process {
	by := map[*parser.Event]*parser.Process{}
	for _, rl := range execs {
		if rl.Request != nil && rl.Worker != nil && !rl.Inferred {
			by[rl.Request] = rl.Worker
		}
	}
	return by
}

// matchWrite ties a web-server worker's file write to the request being
// served when it was written (rule 1 of reqlink.go: a request writes only
// during its life). Any request to a script may write: a page render
// stores its template cache, an injected cookie the attacker's file, so
// every eligible request in flight is a candidate, not only uploads. A
// file PHP stored from a multipart upload (renamed from its upload temp,
// /tmp/phpXXXXXX) came with a POST: then only POSTs are. A PUT to the
// file's own path is observed. A request whose own command, observed,
// ran under another worker was served by that worker (rule 6: one
// request, one worker), so it is no candidate (served: request → worker);
// docket-exhibit's thumbnail request, whose convert ran under apache2
// 3093, was named as the one that wrote the attacker's module from 3094,
// whose request's line the clean-up had taken out of the log.
func (b *Builder) matchWrite(wr *parser.Event, reqs []*parser.Event, infos []reqInfo, maxDur time.Duration, served map[*parser.Event]*parser.Process) (RequestLink, bool) {
	back := time.Second
	if b.receiveTimes() {
		back += maxDur
	}
	uploaded := wr.Kind == parser.KindRename && phpUploadTemp(wr.OldPath)
	lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(wr.Time.Add(-back)) })
	hi := wr.Time.Add(maxDur + time.Second)
	var cands, elsewhere []*parser.Event
	var exact *parser.Event
	for i := lo; i < len(reqs) && !reqs[i].Time.After(hi); i++ {
		ri := &infos[i]
		r := ri.ev
		if !sameHost(r.Host, wr.Host) || !ri.eligible || !live(ri.span, wr.Time) {
			continue
		}
		if uploaded && r.HTTP.Method != "POST" {
			continue
		}
		if w := served[r]; w != nil && w != wr.Proc {
			elsewhere = append(elsewhere, r)
			continue
		}
		if r.HTTP.Method == "PUT" && servedAs(wr.Path, r.HTTP.Path) {
			exact = r
		}
		cands = append(cands, r)
	}
	p := wr.Proc
	l := RequestLink{Process: p, Worker: p, Event: wr, File: wr.Path}
	if len(cands) == 0 {
		if len(elsewhere) == 0 {
			return RequestLink{}, false
		}
		// what was in flight was served by other workers: the request
		// that wrote is not in the log (a line taken out, or a log not
		// given); saying none is the honest answer
		var names []string
		for _, r := range elsewhere {
			names = append(names, fmt.Sprintf("%s at %s (worker pid %d)", describeRequest(r), when(r.Time), served[r].Key.PID))
		}
		l.Basis, l.Inferred = BasisAmbiguous, true
		l.Reason = fmt.Sprintf("no request named: the requests in flight when the file was written were served by other workers, as their own commands show (one request is served by one worker): %s; the request that wrote it may be missing from the log",
			strings.Join(names, "; "))
		return l, true
	}
	what := "requests to a script in flight when the file was written"
	if uploaded {
		what = "POST requests in flight when PHP stored the upload (renamed from " + wr.OldPath + ")"
	}
	switch {
	case exact != nil:
		l.Request, l.Confidence, l.Reason, l.Basis = exact, ConfidenceHigh, "PUT to the file's own path", BasisPutPath
	case len(cands) == 1:
		sp := b.spanOf(cands[0])
		l.Request, l.Confidence, l.Basis, l.Inferred = cands[0], ConfidenceMedium, BasisOnly, true
		l.Reason = fmt.Sprintf("inferred: the only one of the %s (request %s, end from %s)", what, spanText(sp), sp.endBasis)
	default:
		// several fit: none is named (issue 14)
		l.Candidates, l.Basis, l.Inferred = cands, BasisAmbiguous, true
		var names []string
		for _, c := range cands {
			names = append(names, describeRequest(c)+" at "+when(c.Time))
		}
		l.Reason = fmt.Sprintf("ambiguous: %d candidates (%s): %s", len(cands), what, strings.Join(names, "; "))
	}
	return l, true
}

// sameActWindow bounds the time from a stored file's first op to the ops
// of the same process on it that finish storing it.
const sameActWindow = 100 * time.Millisecond

// phpUploadTemp reports whether p is a file PHP stores a multipart
// upload in before move_uploaded_file renames it (upload_tmp_dir's
// phpXXXXXX, six characters from mkstemp).
func phpUploadTemp(p string) bool {
	base := path.Base(p)
	if len(base) != 9 || !strings.HasPrefix(base, "php") {
		return false
	}
	for _, c := range base[3:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// uploadTarget reports whether a web server's write is a file it stores
// for a client (under a web root, or a script anywhere outside temp dirs),
// not its own temp or session files.
func (b *Builder) uploadTarget(p string) bool {
	if b.opts.inWebRoot(p) {
		return true
	}
	for _, tmp := range []string{"/tmp", "/var/tmp", "/dev/shm", "/var/lib/php", "/run", "/var/cache", "/var/log", "/proc"} {
		if within(p, tmp) {
			return false
		}
	}
	return isScript(p)
}

// queryValues returns the decoded parameter values of a request's query
// that are long enough to mean something (two bytes or more), in a fixed
// order.
func queryValues(r *parser.HTTPRequest) []string {
	if r == nil || r.Query == "" {
		return nil
	}
	q, err := url.ParseQuery(r.Query)
	if err != nil && len(q) == 0 {
		return nil
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, v := range q[k] {
			if v = strings.TrimSpace(v); len(v) >= 2 {
				out = append(out, v)
			}
			// a file name handed to an open that starts a shell (Perl's
			// two-argument open of "x;id|", Ruby's Kernel#open of
			// "|id") reaches the shell without its pipe mark
			if t := strings.TrimSpace(strings.Trim(v, openMarks)); t != v && len(t) >= 2 {
				out = append(out, t)
			}
		}
	}
	return out
}

// openMarks are the mode characters a language's open reads off the ends
// of a file name before it runs the rest as a command (Perl: "<", ">",
// "+<", "|"; Ruby: a leading "|").
const openMarks = "|<>+ \t"

// carriedCommand returns the request parameter value that appears as a
// whole in the command line (cmd=uname+-a in "sh -c uname -a 2>&1"), or "".
func carriedCommand(vals []string, cmdline string) string {
	return carriedIn(vals, newCmdWords(cmdline))
}

// carriedIn is carriedCommand on a command line indexed once for many
// requests. A value with no letter or digit (";;", "../") names no
// command and is not looked for.
func carriedIn(vals []string, w *cmdWords) string {
	if w.s == "" {
		return ""
	}
	for _, v := range vals {
		if hasWord(v) && w.containsWord(v, false) && (!plainWord(v) || w.standsAlone(v)) {
			return v
		}
	}
	// inside hyphenated words ("plugin-reviews.tgz" for update=reviews):
	// one value may be a coincidence of names (id=marathon and an upload
	// named marathon-route.jpg), two of the same request are not
	// (update=reviews and version=1.4.2 in "reviews-1.4.2.tgz"). A number
	// counts as the same number with letters glued to it (gluedNumber):
	// programs write a record's number into a name with a letter or an
	// underscore before it, a unit after it (c2606-157.png for GET
	// /cases/2606/photo?w=157, thumb_2606, 157x, 640px), which a word
	// boundary misses
	var joined []string
	for _, v := range vals {
		if hasWord(v) && !slices.Contains(joined, v) && (w.containsWord(v, true) || gluedNumber(v) && w.holdsNumber(v)) {
			joined = append(joined, v)
		}
	}
	if len(joined) >= 2 {
		return joined[0]
	}
	return ""
}

// gluedNumber reports whether a value is a number that may be looked for
// with letters glued to it (cmdWords.holdsNumber): digits only, three or
// more. Shorter numbers sit glued in options and sizes everywhere (-O2,
// x2, v1, 2x), and even these count only beside another value of the
// same request (carriedIn).
func gluedNumber(v string) bool {
	if len(v) < 3 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// hasWord reports whether v holds a letter, a digit or _.
func hasWord(v string) bool {
	for i := 0; i < len(v); i++ {
		if alnum(v[i]) {
			return true
		}
	}
	return false
}

// containsWord reports whether v occurs in s with no letter or digit
// directly before or after it, so that cmd=id does not match "side", and
// — unless hyphen is set — not as a part of a hyphenated word: id=marathon
// is not in "marathon-route.jpg" (benign-news: an article's id in the name
// of a picture an editor uploaded, a wrong link), while budget-2027 is in
// "budget-2027.pdf".
func containsWord(s, v string, hyphen bool) bool {
	return occursAs(s, v, containsWordBound(hyphen))
}

func containsWordBound(hyphen bool) func(s string, i int, before bool) bool {
	if hyphen {
		return wordBoundHyphen
	}
	return wordBound
}

func wordBound(s string, i int, before bool) bool {
	c := s[i]
	if alnum(c) {
		return false
	}
	if c != '-' {
		return true
	}
	// a hyphen joining v to a word on that side
	if before {
		return i < 1 || !alnum(s[i-1])
	}
	return i+1 >= len(s) || !alnum(s[i+1])
}

func wordBoundHyphen(s string, i int, _ bool) bool { return !alnum(s[i]) }

// occursAs reports whether v occurs in s with each neighbouring byte (at
// index i, before or after v) accepted by bound.
func occursAs(s, v string, bound func(s string, i int, before bool) bool) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], v)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(v)
		if (j == 0 || bound(s, j-1, true)) && (end == len(s) || bound(s, end, false)) {
			return true
		}
		i = j + 1
	}
}

// plainWord reports whether a value is one plain word: letters only, or
// digits only. Such a word is common ("json", "1", "list"); inside a path,
// a MIME type or a file name of the command it is a coincidence of names.
func plainWord(v string) bool {
	letters, digits := true, true
	for i := 0; i < len(v); i++ {
		c := v[i]
		letters = letters && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
		digits = digits && c >= '0' && c <= '9'
	}
	return letters || digits
}

// standsAlone reports whether v occurs in s as a word of its own: not
// joined to a path, a MIME type, a file name or an option by / . : = @
// (format=json is not in "application/json" nor in "order-77.json";
// cmd=id is in "sh -c id; uname").
func standsAlone(s, v string) bool {
	return occursAs(s, v, standsAloneBound)
}

func standsAloneBound(s string, i int, _ bool) bool {
	switch c := s[i]; c {
	case '/', '.', ':', '=', '@', '-', '+':
		return false
	default:
		return !alnum(c)
	}
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isStaticPath(p string) bool { return staticExt[strings.ToLower(path.Ext(p))] }

// servedAs reports whether URL path u names file f: the file's path ends
// with the URL path (/var/www/html/uploads/shell.php and
// /uploads/shell.php), whatever the document root.
func servedAs(f, u string) bool {
	if u == "" || u == "/" || !strings.HasPrefix(u, "/") || strings.HasSuffix(u, "/") {
		return false
	}
	u = path.Clean(u)
	return f == u || strings.HasSuffix(f, u)
}

// servedRoute reports whether URL path u requests script f: namedRoute,
// or u names f followed by a path-info (/index.php/admin runs index.php;
// with PHP's cgi.fix_pathinfo, /uploads/c1.gif/.php runs c1.gif): CGI's
// PATH_INFO is what follows the script's own path in the URL.
func servedRoute(f, u string) bool {
	if namedRoute(f, u) {
		return true
	}
	for i := len(u) - 1; i > 1; i-- {
		if u[i] == '/' && servedAs(f, u[:i]) {
			return true
		}
	}
	return false
}

// namedRoute reports whether URL path u names script f: servedAs, or u
// has no extension and names f without its own. Frameworks route
// without the file's extension (a PSGI or Rails app's /reports/audit runs
// …/reports/audit.pl, a front controller's /admin/tools runs tools.php):
// a script the intrusion wrote is requested under either name.
func namedRoute(f, u string) bool {
	if servedAs(f, u) {
		return true
	}
	if u == "" || path.Ext(u) != "" {
		return false
	}
	s := stripExts(f)
	return s != f && servedAs(s, u)
}

// routeBases are the URL base names under which script f may be requested
// (servedRoute): its own, and without its extensions when it has some.
func routeBases(f string) []string {
	b := path.Base(f)
	if s := stripExts(b); s != b && s != "" {
		return []string{b, s}
	}
	return []string{b}
}

// sameHost reports whether two events may be of one host: equal names, or
// one source (an access log without --host) that names none.
func sameHost(a, b string) bool { return a == b || a == "" || b == "" }

// identity is an HTTP client as far as an access log tells: address and
// user agent.
type identity struct{ client, agent string }

func identityOf(r *parser.Event) identity {
	if r == nil || r.HTTP == nil {
		return identity{}
	}
	return identity{r.HTTP.Client, r.HTTP.UserAgent}
}

// describeRequest renders "GET /uploads/shell.php?cmd=id".
func describeRequest(r *parser.Event) string {
	if r == nil || r.HTTP == nil {
		return "?"
	}
	s := r.HTTP.Method + " " + r.HTTP.Path
	if r.HTTP.Query != "" {
		s += "?" + r.HTTP.Query
	}
	return s
}
