package timeline

import (
	"fmt"
	"maps"
	"math"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Request → process causality (issue 14). The rules, strongest evidence
// first; the link says which one decided (RequestLink.Basis):
//  1. A request can only cause a process that starts inside its life
//     [end − duration, end] (reqspan.go). Requests that could not have
//     been in flight are never candidates.
//     1b. Without a logged duration the window's bound is assumed; a
//     php-fpm worker's next accept is observed: the request its child
//     came from ended before it, so every request logged from the exec
//     to then is a candidate, however long it lasted (reqworker.go).
//     1c. A line that names its client's port is bounded by the server's
//     accept of that connection (observed): the request began no
//     earlier, and as its connection's only request it lived from the
//     accept to its end, whatever a handler's timer or the window says
//     (reqconn.go).
//  2. A request parameter found whole in the command line (observed). Such
//     a request may have ended long after the exec (a reverse shell holds
//     its request open), so it is searched up to contentWindow later; far
//     from the exec only a long value counts. A path's record code
//     (berth A04 of /api/berths/A04/plan.png) counts beside another of
//     the request's values only (pathCodes).
//     2b. Of several carriers of the value, to routes seen running the
//     command (rule 5's history), the one whose every value the
//     command line holds, when each other has one it lacks (reqheld.go).
//  3. Static files (by extension) and 404s run no code: never candidates.
//     3b. A PHP child's cwd is its script's folder: requests naming a
//     script in another folder are no candidates when one fits
//     (reqdir.go).
//  4. The only request to a script in flight when the process started
//     (inferred: another request, missing from the log or longer than the
//     bound when the log has no duration, cannot be ruled out).
//  5. Of several in flight, the only one to a route that, elsewhere in the
//     same evidence, was alone in flight when the same command started,
//     at least half the times any route was (inferred from the log's own
//     history: "GET /status.php alone ran sh -c date 12 times"). Several requests in flight that all carry
//     the command's value (rule 2: /article.php?id=x and /export.php?id=x
//     while zip packs x) are chosen among the same way.
//     5d. When several requests of the route so named were in flight,
//     the route's requests and the command's runs, as many and paired
//     one to one in time, may give the run one of them (reqpair.go).
//     5e. A command several routes run: the routes each of whose
//     requests held a run, together as many requests as runs and paired
//     one to one in time, may give the run one of them (reqpair.go).
//     5f. Requests that all carry the command's value (rule 2) are
//     chosen among by rules 5b-5d as any requests in flight are: a
//     ticket's page and its print both carry the ticket's number, and
//     the print route's every request held a run.
//     5g. The rank of the run's php-fpm worker's end among the ends of
//     its second is the rank of its request among that second's script
//     lines, when the counts agree and nothing blurs the order
//     (reqorder.go). Asked last, once every other rule has named what it
//     can: the second's ends whose request another rule named must sit
//     at their own ranks.
//  6. One request is served by one worker: a request tied to processes of
//     two different workers is a contradiction; the inferred links of it
//     become ambiguous.
//  7. Otherwise "ambiguous: N candidates", listed; no request is named.
//  8. In an access log known to have lost lines (an edit of it after the
//     process, reqedit.go), rules 4 and 5 name a request only when the
//     route's own history corroborates it (most of its requests, and one
//     besides this, held a run of the command); else rule 7, saying why.
//  9. A run no rule decided takes the request of its partner run: the
//     one other command the same server process started within a
//     quarter second of every run of it in the log, when the two runs
//     pair one to one and the partner's request is among its own
//     candidates (groff | ps2pdf of one PDF export, reqpartner.go).

// spanSlack absorbs the rounding of the two clocks (audit and the web
// server's msec are both milliseconds) and the logger's own timing: the
// end less the duration is where the logger's timer started, which may be
// a few milliseconds after the server took the request (nginx's msec − rt
// began 2–5 ms after the fcgiwrap child of its request on hollybox-sync
// and tidegauge-plot; an application's middleware times its handler only).
// 2 ms left 615 execs of four captures unlinked or on another request; 5
// ms ties them, and 10 ms gave kb-preview's 40 execs a second candidate.
const spanSlack = 5 * time.Millisecond

type reqInfo struct {
	ev     *parser.Event
	server string // the server its log file names (logServer), or ""
	span   reqSpan
	vals   []string
	// match is vals and the path's id segments (/invoices/1021/pdf:
	// 1021): what rule 2 looks for in a command line. An id in the path
	// is as much the request's as one in the query; left out, a receipt
	// upload's invoice=1021 was the only carrier of the 1021 that the
	// PDF export of /invoices/1021/pdf passed to groff, and took it.
	match []string
	// codes are the path's record codes (/api/berths/A04/plan.png: A04),
	// which count only beside another value of the request (pathCodes)
	codes    []string
	route    string
	eligible bool // may have run code (rule 3)
}

// rootMatch is what one web-server child's first exec found.
type rootMatch struct {
	root     *parser.Process
	ex       *parser.Event
	sig      string
	content  []int    // requests whose parameter is in the argv (rule 2)
	values   []string // the parameter of each of content
	inFlight []int    // eligible requests in flight at the exec (rule 1, 3)
	// around is inFlight before any rule narrowed it: what was in flight
	// at the exec, which is what tells a background route (rule 5b)
	around []int
	// carried is the command-line value that several requests in flight
	// carry (rule 2 found them all): pass 2 chooses among them by the
	// route history, or says they are ambiguous
	carried string
	// workerNote says which requests in flight the worker's next accept
	// ruled out (reqworker.go), "" when none
	workerNote string
	// busyUntil: when the php-fpm worker went back to accept after the
	// exec (zero: unknown), which ends the request it was serving
	busyUntil time.Time
}

// routeOf is a request's method and path without the query, its id
// segments abstracted: /invoices/1021/pdf and /invoices/1007/pdf are one
// route of the application, as a router would have them. Kept whole, every
// record's id made a route of its own, seen once or twice, so the route
// history (rule 5) credited a command to whichever route had one path for
// all (a receipt upload's) over the one that runs it for every id.
func routeOf(r *parser.HTTPRequest) string {
	p := path.Clean("/" + strings.TrimPrefix(r.Path, "/"))
	if !strings.ContainsAny(p, "0123456789") {
		return r.Method + " " + p
	}
	seg := strings.Split(p, "/")
	for i, s := range seg {
		if idSegment(s) {
			seg[i] = "<id>"
		}
	}
	return r.Method + " " + strings.Join(seg, "/")
}

// withPathIDs is vals with the id segments of path after them (two
// characters or more, as queryValues keeps); vals itself when there are
// none.
func withPathIDs(vals []string, p string) []string {
	if !strings.ContainsAny(p, "0123456789") {
		return vals
	}
	out := vals
	for _, s := range strings.Split(p, "/") {
		if len(s) >= 2 && idSegment(s) {
			if len(out) == len(vals) {
				out = slices.Clone(vals)
			}
			out = append(out, s)
		}
	}
	return out
}

// pathCodes returns the segments of a path that look like a record's
// code rather than a handler's name: three to 24 letters and digits, at
// least one of each, not an id already (idSegment), not a version (v10)
// and not a file name (no dot). A berth's A04 in /api/berths/A04/plan.png,
// an order's INV1021. Such a word may be a coincidence on its own (h264,
// sha256 are words too), so it counts only beside another value of the
// same request in the command line (carriedWithCodes): the plan drawn for
// GET /api/berths/A04/plan.png?w=149 is written to plan-A04-149.png.
// A code may be written with dashes (a case number HV-2026-0152, an
// invoice INV-1021): each part capital letters only or digits only
// (dashedCode); a lowercase slug (spring-sale-2026) is a title, not a
// record's code. docket-exhibit: the thumbnail drawn for GET
// /cases/HV-2026-0152/exhibits/exhibit-A.png/thumb.png?w=234 reads
// media/HV-2026-0152/… and writes …-234.png, and with the case number
// unread as a code the width alone was too plain a word to tell: the
// request, a .png path (rule 3), was no candidate at all, and the filing
// in flight beside it was named "the only request to a script".
func pathCodes(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if len(s) < 3 || len(s) > 24 || idSegment(s) || slices.Contains(out, s) {
			continue
		}
		if dashedCode(s) {
			out = append(out, s)
			continue
		}
		letters, digits, other := 0, 0, false
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c >= '0' && c <= '9':
				digits++
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				letters++
			default:
				other = true
			}
		}
		if other || letters == 0 || digits == 0 || (s[0] == 'v' || s[0] == 'V') && letters == 1 {
			continue
		}
		out = append(out, s)
	}
	return out
}

// dashedCode reports whether s is a record code written with dashes: two
// parts or more, each capital letters only or digits only, with letters
// and digits both (HV-2026-0152, INV-1021; not C3-x, 2026-05, spring-sale-2026).
func dashedCode(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 2 {
		return false
	}
	letters, digits := false, false
	for _, p := range parts {
		if p == "" {
			return false
		}
		up, num := true, true
		for i := 0; i < len(p); i++ {
			up = up && p[i] >= 'A' && p[i] <= 'Z'
			num = num && p[i] >= '0' && p[i] <= '9'
		}
		if !up && !num {
			return false
		}
		letters, digits = letters || up, digits || num
	}
	return letters && digits
}

// carriedWithCodes returns a value of the request found in the command
// line beside another one of its values, at least one of them a path's
// record code (pathCodes): two of a request's own values in one command
// are not a coincidence of words. "" when fewer are found.
func carriedWithCodes(vals, codes []string, w *cmdWords) string {
	if w.s == "" {
		return ""
	}
	var found []string
	code := false
	for k, set := range [][]string{codes, vals} {
		for _, v := range set {
			if hasWord(v) && !slices.Contains(found, v) && w.containsWord(v, true) {
				found = append(found, v)
				code = code || k == 0
			}
		}
	}
	if len(found) < 2 || !code {
		return ""
	}
	return found[0]
}

// idSegment: a path segment that names a record, not a handler: all
// digits, or a UUID or long hex digest. A file name (a dot and an
// extension) is never one: /uploads/1.php is a script.
func idSegment(s string) bool {
	if s == "" {
		return false
	}
	digits := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-':
			digits = false
		default:
			return false
		}
	}
	// hex digits and dashes only: a digest or a UUID when long and not a
	// word ("deadbeef", "cafe-face" are words)
	return digits || len(s) >= 16 && strings.ContainsAny(s, "0123456789")
}

// commandSig is the shape of a command for the route history: the
// program, and for a shell's -c its first word ("dash|date"), for an
// interpreter given a script its script ("dash sendmail" for /bin/sh
// /usr/sbin/sendmail: two scripts run by one shell are two commands; no
// "|", which shortSig words as the -c the argv does not hold). A -c that
// begins with a cd into a folder is the program run there, in that folder
// with its record ids abstracted ("dash|cd /srv/www/attachments/<id> &&
// convert"): the cd is no command, and the folder says what the program
// works on (a ticket's thumbnail and a reply's are two commands, two
// tickets' one); the program's options are left out there, as a request
// may smuggle one into the argv.
// maxSigParts bounds the further programs of a shell's code a signature
// names.
const maxSigParts = 4

func commandSig(ex *parser.Event) string {
	sig := path.Base(ex.Exe)
	if sig == "." || sig == "/" {
		sig = ""
	}
	if c := dashC(ex.Args); c != "" {
		first, rest := c, ""
		if i := strings.IndexAny(c, ";|&\n"); i >= 0 {
			first, rest = c[:i], strings.TrimLeft(c[i:], ";|&\n \t") // the first simple command
		}
		f := strings.Fields(first)
		if len(f) == 2 && f[0] == "cd" && rest != "" {
			// a cd is no command: what runs there is, in the folder it
			// works on (its record ids abstracted)
			sig += "|cd " + folderShape(strings.Trim(f[1], "'\""))
			if i := strings.IndexAny(rest, ";|&\n"); i >= 0 {
				rest = rest[:i]
			}
			if g := strings.Fields(rest); len(g) > 0 {
				sig += " && " + path.Base(g[0])
			}
			return sig
		}
		if len(f) > 0 {
			sig += "|" + path.Base(f[0]) + optionWords(f[1:])
		}
		// and the programs of the rest of its code: 'echo tide-ok' and
		// 'echo … | base64 -d > f && ls' are two commands, not one echo
		for n := 0; rest != "" && n < maxSigParts; n++ {
			seg := rest
			i := strings.IndexAny(rest, ";|&\n")
			if i >= 0 {
				seg, rest = rest[:i], strings.TrimLeft(rest[i:], ";|&\n \t")
			} else {
				rest = ""
			}
			if g := strings.Fields(seg); len(g) > 0 {
				sig += "; " + path.Base(g[0])
			}
		}
		return sig
	}
	if len(ex.Args) > 1 && interpreterName(sig) && !strings.HasPrefix(ex.Args[1], "-") {
		sig += " " + path.Base(ex.Args[1])
		return sig
	}
	if len(ex.Args) > 1 {
		sig += optionWords(ex.Args[1:])
	}
	return sig
}

// optionWords returns a command's options ("-fsS -o"), in order, without
// their values: what the program is told to do (curl -o fetches, curl -X
// POST -d sends), the same whatever file or id it is given. Two modes of
// one program are two commands for the route history (benign-lookalike: a
// plugin manager's download taught a checkout's webhook upload its route).
func optionWords(args []string) string {
	var b strings.Builder
	n := 0
	for _, a := range args {
		a = strings.Trim(a, "'\"")
		if len(a) < 2 || a[0] != '-' || a == "--" || n >= 8 {
			continue
		}
		if i := strings.IndexByte(a, '='); i > 0 {
			a = a[:i] // --output=x: the option, not its value
		}
		if strings.Trim(a, "-0123456789.") == "" {
			continue // a negative number, not an option
		}
		b.WriteByte(' ')
		b.WriteString(a)
		n++
	}
	return b.String()
}

// interpreterName reports whether a program's name is a shell's or a
// script interpreter's: its first argument is the program it runs.
func interpreterName(base string) bool {
	return namedAs(base, []string{"sh", "bash", "dash", "zsh", "ksh", "busybox", "python", "perl", "php", "ruby", "node", "nodejs"})
}

// namedAs reports whether a program's base name is one of names, with or
// without a version after it (python3.11, php8.2).
func namedAs(base string, names []string) bool {
	for _, n := range names {
		if base == n || strings.HasPrefix(base, n) && strings.Trim(base[len(n):], "0123456789.") == "" {
			return true
		}
	}
	return false
}

// requestInfos reads what matching needs of each request (sorted by
// logged time), and the longest life among them, held to contentWindow;
// ports are the client ports the lines name (dedupeLogged), which bound
// the lives by their connections' accepts (reqconn.go).
func (b *Builder) requestInfos(reqs []*parser.Event, ports map[*parser.Event]int) ([]reqInfo, time.Duration) {
	infos := make([]reqInfo, len(reqs))
	for i, r := range reqs {
		sp := b.spanOf(r)
		vals := queryValues(r.HTTP)
		infos[i] = reqInfo{ev: r, span: sp, vals: vals, match: withPathIDs(vals, r.HTTP.Path), codes: pathCodes(r.HTTP.Path), route: routeOf(r.HTTP),
			eligible: r.HTTP.Status != 404 && (!isStaticPath(r.HTTP.Path) || r.HTTP.WorkerPID != 0 || madeSlowly(r.HTTP)), server: b.logServerOf(posOf(r).File)}
	}
	b.connBound(infos, ports)
	var maxDur time.Duration
	for i := range infos {
		if d := infos[i].span.end.Sub(infos[i].span.start); d > maxDur {
			maxDur = d
		}
	}
	return infos, min(maxDur, contentWindow)
}

// routineValueRuns is how many commands of one shape a route's value must
// have been found in, each through its own request, to be that route's
// routine data.
const routineValueRuns = 3

// coincidences takes out of rule 2 a lone carrier whose value its route
// routinely passes to commands of another shape (pass 0a), leaving the
// request in flight as a time candidate when it was.
func coincidences(ms []*rootMatch, infos []reqInfo) {
	type rv struct{ route, value string }
	runs := map[rv]map[string]int{} // route and value → command shape → commands
	for _, m := range ms {
		if len(m.content) != 1 {
			continue
		}
		k := rv{infos[m.content[0]].route, m.values[0]}
		if runs[k] == nil {
			runs[k] = map[string]int{}
		}
		runs[k][m.sig]++
	}
	for _, m := range ms {
		if len(m.content) != 1 {
			continue
		}
		i := m.content[0]
		shapes := runs[rv{infos[i].route, m.values[0]}]
		if shapes[m.sig] > 1 {
			continue // this shape, through this route, again: its own
		}
		routine := false
		for sig, n := range shapes {
			if sig != m.sig && n >= routineValueRuns {
				routine = true
			}
		}
		if !routine {
			continue
		}
		m.content, m.values = nil, nil
		if sp := infos[i].span; infos[i].eligible && !sp.end.Before(m.ex.Time.Add(-spanSlack)) && !sp.start.After(m.ex.Time.Add(spanSlack)) {
			m.inFlight = append(m.inFlight, i)
		}
	}
}

// matchExecs ties each web-server child (by its first exec) to its request.
func (b *Builder) matchExecs(reqs []*parser.Event, infos []reqInfo, maxDur time.Duration, out map[*parser.Process]RequestLink) {
	bound := b.opts.RequestWindow
	durKnown := 0
	for _, ri := range infos {
		if ri.span.durKnown {
			durKnown++
		}
	}
	// a root's command decides: the exec it settled on at its start, past
	// a launcher (launcher.go), whose own argv is its machinery, not the
	// request's (jspawnhelper's "17.0.15 54:55:57" holds numbers any
	// request parameter may equal); its first exec when the command's is
	// not among the web execs
	var ms []*rootMatch
	byRoot := map[*parser.Process]*rootMatch{}
	started := map[*parser.Process]time.Time{} // each root's first exec (rule 9, reqpartner.go)
	for _, ex := range b.webExecs {
		root := ex.Proc
		if root == nil {
			continue
		}
		// a daemon known only by its own listener beside a front server
		// (a monitoring agent on its port) speaks a protocol of its own:
		// the front server's log holds none of its clients (shop-returns'
		// Zabbix agent took the shop's status probes, and rule 6 then left
		// the php-fpm workers' own links ambiguous)
		if b.opts.Servers.ListenerBeside(root.Parent) {
			continue
		}
		if t, ok := started[root]; !ok || ex.Time.Before(t) {
			started[root] = ex.Time
		}
		switch m := byRoot[root]; {
		case m == nil:
			m = &rootMatch{root: root, ex: ex}
			byRoot[root] = m
			ms = append(ms, m)
		case !isCommandExec(m.ex) && isCommandExec(ex):
			m.ex = ex
		}
	}
	for _, m := range ms {
		m.sig = commandSig(m.ex)
		b.findRequests(m, reqs, infos, maxDur)
	}
	durNote := "the access log records each request's duration"
	if durKnown < len(reqs) {
		durNote = fmt.Sprintf("%d of the %d access lines that could have run code carry no duration: those requests are assumed to have lasted at most %s", len(reqs)-durKnown, len(reqs), bound)
	}
	link := func(m *rootMatch, i int, basis, conf, reason string) RequestLink {
		return RequestLink{Request: reqs[i], Process: m.root, Worker: m.root.Parent, Event: m.ex,
			Confidence: conf, Reason: reason, Basis: basis, Inferred: basis != BasisParameter}
	}
	ambiguous := func(m *rootMatch, idx []int, why string) RequestLink {
		return ambiguousLink(m.root, m.root.Parent, m.ex, idx, reqs, infos, why+m.workerNote)
	}
	// vetoed: a time rule's pick the worker's busy time contradicts
	// (reqworker.go): no request is named
	vetoed := func(m *rootMatch, i int) bool {
		why, ok := b.servedLonger(m, &infos[i])
		if ok {
			cands := append(b.stillServing(m, i, infos), i)
			rl := ambiguousLink(m.root, m.root.Parent, m.ex, cands, reqs, infos, "")
			rl.Reason = why
			if len(cands) > 1 {
				rl.Reason = vetoAmong(m, &infos[i], cands[:len(cands)-1], infos)
			}
			out[m.root] = rl
		}
		return ok
	}
	// pass 0a: a value a route passes to one command again and again is
	// that route's data (the monitor's host=127.0.0.1 for every ping):
	// found in a command of another shape, it says nothing of which
	// request ran it (netdiag-profile: an ssh to deploy@127.0.0.1, run
	// through a plugin's header, was tied to the ping in flight). Such a
	// match is left to the time rules, which say they infer.
	coincidences(ms, infos)
	// pass 0: a request whose parameter is another worker's command was
	// served by that worker (rule 6): it is no candidate here
	claimed := map[int]*parser.Process{}
	for _, m := range ms {
		if len(m.content) == 1 {
			claimed[m.content[0]] = m.root.Parent
		}
	}
	for _, m := range ms {
		m.dropServedElsewhere(claimed)
	}
	// pass 1: observed links and lone requests; they teach the route history
	hist := map[string]map[string]int{}   // command sig → route → times alone
	servedBy := map[int]*parser.Process{} // request → the worker a named link gives it
	var pending []*rootMatch
	// a lone request that rule 8 will not keep (the log lost lines after
	// the exec, and the route's own history does not corroborate it,
	// reqedit.go) teaches nothing: the request alone in flight may be
	// only what the edit left (shipnotes-import: the intruder's POSTs,
	// grepped out, left the health check alone at its sudo, and the
	// history then held the health check for a route that runs sudo)
	teaches := b.teachesHistory(ms, infos)
	for _, m := range ms {
		switch {
		case len(m.content) > 0:
			cs, value := m.content, m.values[0]
			if len(cs) > 1 {
				// several carry the command: those in flight at the exec
				var live []int
				for _, i := range cs {
					if sp := infos[i].span; !sp.end.Before(m.ex.Time.Add(-spanSlack)) && !sp.start.After(m.ex.Time.Add(spanSlack)) {
						live = append(live, i)
					}
				}
				if len(live) > 1 {
					// the worker's next accept bounds them as it bounds
					// the window's requests (rule 1c); the route history
					// may single one out of those left (pass 2)
					m.inFlight, m.carried = live, value
					b.servedByNext(m, infos)
					if len(m.inFlight) > 1 {
						pending = append(pending, m)
						continue
					}
					if len(m.inFlight) == 1 {
						// which carrier is an inference from the accept
						i := m.inFlight[0]
						servedBy[i] = m.root.Parent
						out[m.root] = link(m, i, BasisOnly, ConfidenceMedium, fmt.Sprintf(
							"inferred: of %d requests that carry %q of the command line, the only one its worker may have been serving%s", len(live), value, m.workerNote))
						continue
					}
					live = nil
				}
				if len(live) == 0 {
					out[m.root] = ambiguous(m, cs, fmt.Sprintf("each carries %q of the command line", value))
					continue
				}
				cs = live
			}
			reason := fmt.Sprintf("parameter %q of the request is in the command line", value)
			if d := infos[cs[0]].span.end.Sub(m.ex.Time); d > bound+time.Second {
				// the 24 s of issue 14: said, not hidden
				reason += fmt.Sprintf("; the request was logged %s after the process started: it stayed open while the command ran (status %d)", roundDur(d), reqs[cs[0]].HTTP.Status)
			}
			out[m.root] = link(m, cs[0], BasisParameter, ConfidenceHigh, reason)
			servedBy[cs[0]] = m.root.Parent
		case len(m.inFlight) == 1:
			i := m.inFlight[0]
			if vetoed(m, i) {
				continue
			}
			servedBy[i] = m.root.Parent
			out[m.root] = link(m, i, BasisOnly, ConfidenceMedium,
				fmt.Sprintf("inferred: the only request to a script in flight when the process started at %s (request %s, end from %s; %s%s)",
					when(m.ex.Time), spanText(infos[i].span), infos[i].span.endBasis, durNote, m.workerNote))
		case len(m.inFlight) > 1:
			pending = append(pending, m)
			continue
		default:
			continue
		}
		rl := out[m.root]
		if rl.Request != nil && (rl.Basis != BasisOnly || teaches(m, m.inFlight[0])) {
			if hist[m.sig] == nil {
				hist[m.sig] = map[string]int{}
			}
			hist[m.sig][routeOf(rl.Request.HTTP)]++
		}
	}
	// pass 1b (rule 6 again): a request a named link gives to one worker
	// was not served by another, so it is no candidate of that one's
	// processes; a root left with one request in flight is that request's,
	// which may free others in turn
	for changed := true; changed; {
		changed = false
		left := pending[:0]
		for _, m := range pending {
			m.dropServedElsewhere(servedBy)
			if len(m.inFlight) == 1 && m.carried == "" {
				i := m.inFlight[0]
				if vetoed(m, i) {
					continue
				}
				servedBy[i] = m.root.Parent
				out[m.root] = link(m, i, BasisOnly, ConfidenceMedium,
					fmt.Sprintf("inferred: the only request to a script in flight when the process started at %s that no other worker served (request %s, end from %s; %s%s)",
						when(m.ex.Time), spanText(infos[i].span), infos[i].span.endBasis, durNote, m.workerNote))
				changed = true
				continue
			}
			left = append(left, m)
		}
		pending = left
	}
	// pass 2: several in flight; the route history may single one out,
	// else the one route in flight at every run of the command (rule 5b)
	covers := newRouteCover(ms, infos)
	common := commonRoutes(ms, infos, out)
	paired := pairRuns(ms, infos)
	union := unionPairs(ms, infos)
	type lateRoot struct {
		m     *rootMatch
		cands []int
		why   string
	}
	var late []lateRoot
	for _, m := range pending {
		var known []int
		routes := map[string]bool{}
		total := 0
		for _, n := range hist[m.sig] {
			total += n
		}
		for _, i := range m.inFlight {
			// a route counts when the history holds the command as its
			// own: alone in flight at least half the times any route was.
			// A route seen once beside a command another route ran alone
			// every time (a lighttpd line stamped a second early leaves
			// the right one out of flight) is a coincidence, not a
			// history; a command two routes share evenly stays theirs
			if n := hist[m.sig][infos[i].route]; n > 0 && 2*n >= total {
				known = append(known, i)
				routes[infos[i].route] = true
			}
		}
		of := fmt.Sprintf("of %d requests in flight when the process started", len(m.inFlight))
		if m.carried != "" {
			of = fmt.Sprintf("of %d requests in flight that carry %q of the command line", len(m.inFlight), m.carried)
		}
		if len(known) == 1 && m.carried == "" && hist[m.sig][infos[known[0]].route] < 3 {
			// a history of one or two runs alone is thin: another request
			// in flight to a route during every request of which the
			// command started (the contact form's sendmail, never alone,
			// beside the gift card's POST seen alone with it once) may
			// be the runner as well; then the runs are ambiguous
			for _, j := range m.inFlight {
				if j != known[0] && infos[j].route != infos[known[0]].route && covers.every(infos[j].route, m.sig, infos[known[0]].route) {
					known = append(known, j)
				}
			}
		}
		if len(known) == 1 && m.carried != "" {
			// several requests carry the command's value and the history
			// knows one route of theirs: it says that route runs the
			// command, not that the others' do not (a form's GET and its
			// POST to one URL both render the invoice; the POST, never
			// alone in flight, has no history). The order the workers
			// ended in is this run's own evidence (rule 5g): where it
			// names another carrier, it decides
			if i, reason, ok := b.endOrder(m, reqs, infos, b.knownEnds(out)); ok && i != known[0] && !vetoed(m, i) {
				rl := link(m, i, BasisEndOrder, ConfidenceLow, fmt.Sprintf("%s; %d requests carry %q of the command line, and the route history's pick, %s, was not this worker's",
					reason, len(m.inFlight), m.carried, describeRequest(reqs[known[0]]))+m.workerNote)
				for _, k := range m.inFlight {
					rl.Candidates = append(rl.Candidates, reqs[k])
				}
				out[m.root] = rl
				continue
			}
		}
		if len(known) == 1 {
			i := known[0]
			if vetoed(m, i) {
				continue
			}
			out[m.root] = link(m, i, BasisRoute, ConfidenceMedium, fmt.Sprintf(
				"inferred: %s, the only one to %s, which was alone in flight %d other time(s) when %s started%s",
				of, infos[i].route, hist[m.sig][infos[i].route], shortSig(m.sig), m.workerNote))
			continue
		}
		if len(known) > 1 && m.carried != "" {
			// rule 2b: of the carriers to routes that run the command,
			// the one whose values are all in it (reqheld.go)
			if i, held, ok := allHeld(known, infos, newCmdWords(strings.Join(m.ex.Args, " "))); ok {
				if vetoed(m, i) {
					continue
				}
				out[m.root] = link(m, i, BasisRoute, ConfidenceMedium, fmt.Sprintf(
					"inferred: %s, %d are to routes seen running %s; of those, the one whose parameters %s are all in the command line, while each other has a value the command line does not contain%s",
					of, len(known), shortSig(m.sig), quoteJoin(held), m.workerNote))
				continue
			}
		}
		cands, why := m.inFlight, "requests in flight when the process started"
		if m.carried != "" {
			why = fmt.Sprintf("each carries %q of the command line", m.carried)
		}
		if len(known) > 1 {
			cands, why = known, fmt.Sprintf("%s, to routes seen running %s", strings.TrimPrefix(why, "requests "), shortSig(m.sig))
			if m.carried == "" {
				why = fmt.Sprintf("requests in flight to routes seen running %s", shortSig(m.sig))
			}
		}
		// rules 5b-5d: also among the requests that all carry the
		// command's value (a ticket's page and its print both name
		// ticket 260407): the value says the run is one of theirs, the
		// routes' history which (the print route's every request held a
		// run of yardprint, the ticket page's most did not)
		if r, n, which, note, ok := common(m); ok {
			var at []int
			for _, i := range m.inFlight {
				if infos[i].route == r {
					at = append(at, i)
				}
			}
			pairNote := ""
			if len(at) > 1 {
				// several requests of the route in flight: one run per
				// request may tell which (rule 5d)
				if i, k, ok := paired(m, r); ok && slices.Contains(at, i) {
					at, pairNote = []int{i}, fmt.Sprintf("; %d requests of it were in flight, but its %d requests in the log and the %d runs pair one to one in time (one run per request), and every such pairing gives this run the request logged %s", len(at), k, k, infos[i].ev.Time.UTC().Format("15:04:05"))
				}
			}
			if len(at) == 1 && !vetoed(m, at[0]) {
				// low: named for the reader, but joins no chain (strong):
				// a frequency says which route, not that this request is
				// the one a chain may be built on; the chain rules see the
				// candidates, as for an ambiguous link
				rl := link(m, at[0], BasisRoute, ConfidenceLow, fmt.Sprintf(
					"inferred: %s, the only one to %s, %s in flight at every one of the %d runs of %s in the log%s",
					of, r, which, n, shortSig(m.sig), note+pairNote))
				for _, i := range cands {
					rl.Candidates = append(rl.Candidates, reqs[i])
				}
				out[m.root] = rl
				continue
			}
		}
		if m.carried == "" {
			// several routes run the command: one run per request may
			// still tell (rule 5e)
			if i, rs, ok := union(m); ok && slices.Contains(m.inFlight, i) && !vetoed(m, i) {
				rl := link(m, i, BasisRoute, ConfidenceLow, fmt.Sprintf(
					"inferred: of %d requests in flight when the process started, the one to %s that every one-to-one pairing in time gives this run: no route was in flight at every run of %s, but each request of %s held a run of it, and together they have as many requests as it has runs (one run per request)%s",
					len(m.inFlight), infos[i].route, shortSig(m.sig), strings.Join(rs, " and "), m.workerNote))
				for _, k := range cands {
					rl.Candidates = append(rl.Candidates, reqs[k])
				}
				out[m.root] = rl
				continue
			}
		}
		// left to rule 5g, once every other rule has named what it can
		late = append(late, lateRoot{m, cands, why})
	}
	// pass 3: the order php-fpm's workers ended in is the log's (rule 5g),
	// where the ends whose request another rule named agree with it
	byEnd := b.knownEnds(out)
	for _, l := range late {
		m := l.m
		if i, reason, ok := b.endOrder(m, reqs, infos, byEnd); ok && !vetoed(m, i) {
			rl := link(m, i, BasisEndOrder, ConfidenceLow, reason+m.workerNote)
			for _, k := range l.cands {
				rl.Candidates = append(rl.Candidates, reqs[k])
			}
			out[m.root] = rl
			continue
		}
		out[m.root] = ambiguous(m, l.cands, l.why)
	}
	b.cgiLinks(reqs, infos, maxDur, ms, out)
	b.lostLineLinks(ms, reqs, infos, out)
	partnerLinks(ms, started, out)
	oneWorker(out)
	b.noteLogEdits(out)
}

// Rule 5b: a command run at least commonMinRuns times whose runs share
// exactly one telling route among their requests in flight is that
// route's. A route tells when it is no background: among the runs of the
// commands it cannot have caused (those at some run of which it was not
// in flight), it is in flight at fewer than commonMaxBackground of them,
// and at all n runs of this one by chance only with probability p^n below
// commonChance. A health check every two seconds, or readers searching
// all day, are in flight at nearly every command, whatever ran it; a
// command two routes run (mail from comments and from the contact form)
// shares no route but such background ones, and stays ambiguous.
const (
	commonMinRuns       = 3
	commonMaxBackground = 0.5
	commonChance        = 0.01
	commonMinOthers     = 10 // runs of other commands needed to judge a route's background
)

// commonRoutes returns, for a root, the one telling route in flight at
// every run of its command in the log (rule 5b) with the number of runs.
// A run already linked counts with its request's route for its command;
// a run with nothing in flight (its request missing from the log, or
// longer than the bound) leaves its command no route: nothing is inferred
// for it; a run outside the time the log holds is not counted at all
// (reqpair.go's logSpan). A route's background is counted over everything in flight at
// each run, whatever the run was tied to (benign-news: counting only the
// linked route made readers' searches, in flight all day, look telling).
func commonRoutes(ms []*rootMatch, infos []reqInfo, out map[*parser.Process]RequestLink) func(*rootMatch) (string, int, string, string, bool) {
	type acc struct {
		routes map[string]bool
		runs   int
	}
	bySig := map[string]*acc{}
	present := map[string]int{} // route → runs (of any command) it was in flight at
	routes := map[string]bool{}
	// only runs inside the time the log holds (logSpan): one outside it
	// has its request outside the log, not missing from it, and tests no
	// route (cuspid-labelfmt: the log's every line before the intruder's
	// grep -v was gone, and the hundreds of runs before its first line
	// left every command of the app without a route)
	held := logSpanOf(infos)
	counted := 0
	for _, m := range ms {
		if m.ex != nil && !held.holds(m.ex.Time) {
			continue
		}
		counted++
		// a route is background by being in flight, whatever a run was
		// tied to: counted over all that was in flight at the exec
		clear(routes)
		for _, i := range m.around {
			routes[infos[i].route] = true
		}
		// and the requests that carry the command's value (rule 2 set
		// them in flight in place of the window's): a route counted at
		// every run of a command (mayCause below) must be counted present
		// at each, or its share of the others falls below zero and any
		// route passes for telling
		for _, i := range m.inFlight {
			routes[infos[i].route] = true
		}
		if rl, ok := out[m.root]; ok && rl.Request != nil {
			routes[routeOf(rl.Request.HTTP)] = true
		}
		for r := range routes {
			present[r]++
		}
		clear(routes)
		if rl, ok := out[m.root]; ok && rl.Request != nil {
			routes[routeOf(rl.Request.HTTP)] = true
		} else {
			for _, i := range m.inFlight {
				routes[infos[i].route] = true
			}
		}
		a := bySig[m.sig]
		if a == nil {
			bySig[m.sig] = &acc{routes: maps.Clone(routes), runs: 1}
			continue
		}
		a.runs++
		for r := range a.routes {
			if !routes[r] {
				delete(a.routes, r)
			}
		}
	}
	// background: the share of the runs of the commands a route cannot
	// have caused (those it was missing from at some run) at which it was
	// in flight all the same; a command it was in flight at every run of
	// counts all its runs in both totals, which are taken out
	mayCause := map[string]int{} // route → runs of the commands it was in flight at every run of
	for _, a := range bySig {
		for r := range a.routes {
			mayCause[r] += a.runs
		}
	}
	var shares map[string]float64 // every route's, in one pass, when first asked
	share := func(r string) float64 {
		all := counted - mayCause[r]
		if all < commonMinOthers {
			// too few runs of other commands to count: the chance that
			// a run finds the route in flight is then the share of the
			// log's time its requests were in flight (as a run at a
			// random instant would find it)
			if shares == nil {
				shares = timeShares(infos, held)
			}
			if p, ok := shares[r]; ok {
				return p
			}
			return 1
		}
		return float64(present[r]-mayCause[r]) / float64(all)
	}
	exactRoute := exactRoutes(ms, infos, out)
	return func(m *rootMatch) (string, int, string, string, bool) {
		a := bySig[m.sig]
		if a == nil || a.runs < commonMinRuns {
			return "", 0, "", "", false
		}
		cand, which := a.routes, "the one route"
		r, note, exact := exactRoute(m.sig, a.routes)
		if len(a.routes) > 1 {
			// two routes at every run: requests that come together (a
			// visitor's page and the health check of the same round)
			// cannot be told apart by being together, only by being
			// apart (rule 5c): the one whose every request held a run
			if !exact {
				return "", 0, "", "", false
			}
			cand, which = map[string]bool{r: true}, "the one route told apart (rule 5c) of those" // several were at every run
		}
		for r := range cand {
			// a route in flight at most runs of other commands is
			// background: being at every run of this one tells nothing
			// beyond chance. One whose every request also held a run
			// (rule 5c's agreement and difference) tells by its absences
			// too: only the chance of being at every run by coincidence
			// still applies
			if p := share(r); (p < commonMaxBackground || exact) && math.Pow(p, float64(a.runs)) < commonChance {
				return r, a.runs, which, note, true
			}
		}
		return "", 0, "", "", false
	}
}

// timeShares is, per route, the share of the log's time (held) in which
// a request of it was in flight, each request's life widened by the
// clocks' rounding as live() widens it: one sort and one pass over all
// requests, whatever the number of routes.
func timeShares(infos []reqInfo, held logSpan) map[string]float64 {
	out := map[string]float64{}
	total := held.to.Sub(held.from) + 2*spanSlack
	if !held.ok || total <= 0 {
		return out // every route: 1, taken as background
	}
	idx := make([]int, len(infos))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := strings.Compare(infos[a].route, infos[b].route); c != 0 {
			return c
		}
		return infos[a].span.start.Compare(infos[b].span.start)
	})
	var in time.Duration
	var end time.Time
	for k, i := range idx {
		r := infos[i].route
		if k > 0 && infos[idx[k-1]].route != r {
			in, end = 0, time.Time{}
		}
		from, to := infos[i].span.start.Add(-spanSlack), infos[i].span.end.Add(spanSlack)
		if from.Before(end) {
			from = end // the part another request of the route covered
		}
		if to.After(from) {
			in += to.Sub(from)
			end = to
		}
		out[r] = min(1, float64(in)/float64(total))
	}
	return out
}

// Rule 5c: of the routes in flight at every run of a command, the one
// whose every request in the log was in flight at a run of it, when each
// other such route was also requested at least commonMinIdle times with no
// run of the command in flight: the command runs when that route is
// requested and only then (the method of agreement and difference). The
// others came with it at its runs and without it at other times: a
// visitor's product page fetched before the status page whose date it
// shows, and fetched again on rounds with no status page.
//
// A request of the route that held no run of the command but whose own
// parameters are observed in the command line of another command (rule 2)
// is left out of the count: it did something else, and the evidence says
// what (ledger-receipt: three GET /invoices/1007/pdf?title=… whose title
// ran the intruder's commands instead of the PDF pipeline, while each of
// the 40 exports beside them ran gs).
const commonMinIdle = 3

// exactRoutes returns rule 5c's test over ms: for a command sig and the
// routes in flight at every run of it, the one route that decides.
func exactRoutes(ms []*rootMatch, infos []reqInfo, out map[*parser.Process]RequestLink) func(sig string, routes map[string]bool) (string, string, bool) {
	// the commands each request is observed to have run (rule 2)
	ran := map[*parser.Event]map[string]bool{}
	for _, m := range ms {
		if rl, ok := out[m.root]; ok && rl.Request != nil && rl.Basis == BasisParameter {
			if ran[rl.Request] == nil {
				ran[rl.Request] = map[string]bool{}
			}
			ran[rl.Request][m.sig] = true
		}
	}
	var runs map[string][]time.Time // command → its runs' times, sorted
	var byRoute map[string][]int
	type key struct{ sig, route string }
	// requests of the route, those with no run in flight, and those left
	// out (no run, but observed running another command)
	idle := map[key][3]int{}
	count := func(sig, r string) (int, int, int) {
		if v, ok := idle[key{sig, r}]; ok {
			return v[0], v[1], v[2]
		}
		if byRoute == nil {
			runs = map[string][]time.Time{}
			for _, m := range ms {
				if m.ex != nil {
					runs[m.sig] = append(runs[m.sig], m.ex.Time)
				}
			}
			for _, ts := range runs {
				slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
			}
			byRoute = map[string][]int{}
			for i := range infos {
				if infos[i].eligible {
					byRoute[infos[i].route] = append(byRoute[infos[i].route], i)
				}
			}
		}
		ts := runs[sig]
		n, none, other := 0, 0, 0
		for _, i := range byRoute[r] {
			sp := infos[i].span
			k, _ := slices.BinarySearchFunc(ts, sp.start.Add(-spanSlack), func(a, b time.Time) int { return a.Compare(b) })
			idle := k >= len(ts) || !live(sp, ts[k])
			if idle && len(ran[infos[i].ev]) > 0 {
				other++ // it ran another command, observed: no test of this one
				continue
			}
			n++
			if idle {
				none++
			}
		}
		idle[key{sig, r}] = [3]int{n, none, other}
		return n, none, other
	}
	return func(sig string, routes map[string]bool) (string, string, bool) {
		exact, total, left := "", 0, 0
		var apart []string
		for _, r := range slices.Sorted(maps.Keys(routes)) {
			n, none, other := count(sig, r)
			switch {
			case none == 0 && n >= commonMinRuns:
				if exact != "" {
					return "", "", false // two routes each always with a run
				}
				exact, total, left = r, n, other
			case none < commonMinIdle:
				return "", "", false // too seldom apart from the runs to tell
			default:
				apart = append(apart, fmt.Sprintf("%s (%d of its %d requests with no run in flight)", r, none, n))
			}
		}
		if exact == "" {
			return "", "", false
		}
		each := fmt.Sprintf("; each of its %d requests in the log was in flight at a run of %s", total, shortSig(sig))
		if left > 0 {
			each += fmt.Sprintf(" (%d more held none, each observed running another command through its own parameters)", left)
		}
		if len(apart) == 0 {
			return exact, each, true
		}
		return exact, fmt.Sprintf("%s, while %s came with it at its runs and also without one", each, strings.Join(apart, ", ")), true
	}
}

// dropServedElsewhere removes from m's requests in flight those another
// worker served (by: request → worker), rule 6.
func (m *rootMatch) dropServedElsewhere(by map[int]*parser.Process) {
	kept := m.inFlight[:0]
	for _, i := range m.inFlight {
		if w, ok := by[i]; !ok || w == m.root.Parent {
			kept = append(kept, i)
		}
	}
	m.inFlight = kept
}

// ambiguousLink names no request: the candidates idx fit equally.
func ambiguousLink(p, worker *parser.Process, ex *parser.Event, idx []int, reqs []*parser.Event, infos []reqInfo, why string) RequestLink {
	rl := RequestLink{Process: p, Worker: worker, Event: ex, Basis: BasisAmbiguous, Inferred: true}
	var names []string
	for _, i := range idx {
		rl.Candidates = append(rl.Candidates, reqs[i])
		names = append(names, describeRequest(reqs[i])+" "+endText(infos[i].span))
	}
	rl.Reason = fmt.Sprintf("ambiguous: %d candidates (%s): %s", len(idx), why, strings.Join(names, "; "))
	return rl
}

// findRequests fills m's content (requests whose parameter is in the
// command line) and inFlight (eligible requests in flight at the exec).
func (b *Builder) findRequests(m *rootMatch, reqs []*parser.Event, infos []reqInfo, maxDur time.Duration) {
	ex := m.ex
	cmd := newCmdWords(strings.Join(ex.Args, " "))
	// requests are sorted by logged time (their end, to the second):
	// only those ending after the exec may have caused it; a log of
	// receive times (reqlogged.go) has them up to the longest life before
	back := time.Second + b.lateBound()
	if b.receiveTimes() {
		back += maxDur
	}
	lo := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(ex.Time.Add(-back)) })
	hi := ex.Time.Add(max(contentWindow, maxDur+time.Second))
	own := workerServer(m.root)
	// the worker's next accept ends the request it was serving (rule 1b,
	// reqworker.go): a fact where the window's bound is an assumption
	busy, busyKnown := b.workerAccepts.endAfter(m.root.Parent, ex)
	widened := 0
	for i := lo; i < len(reqs) && !reqs[i].Time.After(hi); i++ {
		ri := &infos[i]
		if !sameHost(ri.ev.Host, ex.Host) || !b.mayServe(ri, own) {
			continue
		}
		// a request whose connection was accepted after the exec did not
		// cause it, whatever its parameters (reqconn.go)
		started := (!ri.span.durKnown || !ri.span.start.After(ex.Time.Add(spanSlack))) &&
			(ri.span.acceptAt.IsZero() || !ri.span.acceptAt.After(ex.Time.Add(spanSlack)))
		inLife := started && live(ri.span, ex.Time)
		v := carriedIn(ri.match, cmd)
		if v == "" && len(ri.codes) > 0 {
			v = carriedWithCodes(ri.match, ri.codes, cmd)
		}
		// a long value ties a request whose line came later than the
		// window (a web shell holding its request open). Either way a
		// carrier that surely ended after the worker had gone
		// back to accept was served after the exec's request, so it is not
		// that request (rule 1c, reqworker.go): benign-shop-spokeworks'
		// cancel link carries the booking's id of its at command 12 s
		// later; benign-shop-folio's pick list is made by a POST whose
		// body the log does not show, and the GET that downloads it 2 s
		// later names the file the command wrote.
		if v != "" && started && (inLife || len(v) >= 12) && !(busyKnown && b.endedPast(ri, busy)) {
			m.content = append(m.content, i)
			m.values = append(m.values, v)
			continue
		}
		if inLife && ri.eligible {
			m.inFlight = append(m.inFlight, i)
			continue
		}
		if ri.eligible && busyKnown && b.servingUntil(ri, ex.Time, busy) {
			m.inFlight = append(m.inFlight, i)
			widened++
		}
	}
	if widened > 0 {
		m.workerNote += fmt.Sprintf("; worker pid %d was serving the request until it went back to accept at %s, so %s logged after the window but by then may have been the one (the log gives no durations: the %s bound is assumed)",
			m.root.Parent.Key.PID, when(busy), plural(widened, "request", "requests"), b.opts.RequestWindow)
	}
	byWorker(m, infos)
	m.around = slices.Clone(m.inFlight)
	b.servedByNext(m, infos)
	b.scriptDirNarrow(m, infos)
	if len(m.content) > 1 {
		cs, v := mostSpecific(m.content, m.values)
		m.content, m.values = cs, nil
		for range cs {
			m.values = append(m.values, v)
		}
	}
}

// An application server's own request log can name the worker that served
// each request (uWSGI's pid=): observed, where everything else here is
// timing. A request whose line names a worker is served by that worker, a
// .pdf or .png path too (the application made it: no static file is in an
// application server's log), and by no other. When a candidate of an exec
// names the worker the exec ran under, the exec's request is among the
// lines naming that worker: the front server's log holds the same requests
// again without the worker, and another worker's lines are another's.

// byWorker narrows m's candidates by the workers the log names.
func byWorker(m *rootMatch, infos []reqInfo) {
	pids := map[int]bool{}
	for p, n := m.root.Parent, 0; p != nil && n < 8; p, n = p.Parent, n+1 {
		pids[p.Key.PID] = true
	}
	named := false
	for _, set := range [][]int{m.content, m.inFlight} {
		for _, i := range set {
			if w := infos[i].ev.HTTP.WorkerPID; w != 0 && pids[w] {
				named = true
			}
		}
	}
	keep := func(i int) bool {
		w := infos[i].ev.HTTP.WorkerPID
		return w == 0 && !named || w != 0 && pids[w]
	}
	var content []int
	var values []string
	for j, i := range m.content {
		if keep(i) {
			content, values = append(content, i), append(values, m.values[j])
		}
	}
	m.content, m.values = content, values
	m.inFlight = slices.DeleteFunc(m.inFlight, func(i int) bool { return !keep(i) })
}

// One server's log tells of its own requests: a request an nginx log
// records cannot have started a child of an Apache worker (shop-search:
// the team KB's Apache ran commands while the shop's nginx served a web
// shell's POST, and the KB's shell had been tied to it). A log file that
// names a server by its path (apache-access.log, /var/log/nginx/…) holds
// that server's requests; a worker whose own process names its server
// (apache2 running mod_php) takes its requests only from such files when
// the host has one, and never from a file naming another server. A
// worker that names no front server (php-fpm, a JVM, node: any front
// server may pass it requests) and a log that names none are not held.

// logServer is the server kind a log file's path names, or "".
func logServer(file string) string { return serverKind(pathServer(file)) }

// logServerOf is logServer, read once per file: a log has many lines.
func (b *Builder) logServerOf(file string) string {
	k, ok := b.logServers[file]
	if !ok {
		if b.logServers == nil {
			b.logServers = map[string]string{}
		}
		k = logServer(file)
		b.logServers[file] = k
	}
	return k
}

// serverKind folds a server's names into one kind: apache2, httpd and
// apache are one program; any other front server is its own name.
func serverKind(name string) string {
	s, e := serverFamily(name)
	if !s && !e {
		return ""
	}
	if b := serverBase(name); b == "apache2" || b == "httpd" || b == "apache" {
		return "apache"
	}
	return serverBase(name)
}

// workerServer is the kind of the front server a web-server child's own
// ancestry names (its worker, or the master above it), or "".
func workerServer(root *parser.Process) string {
	for p, n := root.Parent, 0; p != nil && n < 8; p, n = p.Parent, n+1 {
		if k := serverKind(p.Name()); k != "" {
			return k
		}
	}
	return ""
}

// mayServe reports whether a request's log may hold the request of a
// worker of server kind own (see above).
func (b *Builder) mayServe(ri *reqInfo, own string) bool {
	switch {
	case own == "":
		return true
	case ri.server != "":
		return ri.server == own
	}
	return !b.logsNamed(ri.ev.Host)[own]
}

// logsNamed returns the server kinds the log files of a host name.
func (b *Builder) logsNamed(host string) map[string]bool {
	if b.namedLogs == nil {
		b.namedLogs = map[string]map[string]bool{}
		for _, r := range b.requests {
			if k := b.logServerOf(posOf(r).File); k != "" {
				if b.namedLogs[r.Host] == nil {
					b.namedLogs[r.Host] = map[string]bool{}
				}
				b.namedLogs[r.Host][k] = true
			}
		}
	}
	return b.namedLogs[host]
}

// live reports whether a request's span holds instant t (give or take the
// clocks' rounding).
func live(s reqSpan, t time.Time) bool {
	return !s.end.Before(t.Add(-spanSlack)) && !s.start.After(t.Add(spanSlack))
}

func shortSig(sig string) string { return strings.ReplaceAll(sig, "|", " -c ") }

// oneWorker applies rule 6: one request, one worker. A request linked to
// processes of two different workers cannot have caused both; its
// inferred links become ambiguous, and when no observed link settles it,
// all of them.
func oneWorker(out map[*parser.Process]RequestLink) {
	workers := map[*parser.Event]map[*parser.Process]bool{}
	observed := map[*parser.Event]map[*parser.Process]bool{}
	for _, rl := range out {
		if rl.Request == nil || rl.Worker == nil {
			continue
		}
		if workers[rl.Request] == nil {
			workers[rl.Request] = map[*parser.Process]bool{}
			observed[rl.Request] = map[*parser.Process]bool{}
		}
		workers[rl.Request][rl.Worker] = true
		if !rl.Inferred {
			observed[rl.Request][rl.Worker] = true
		}
	}
	for root, rl := range out {
		if rl.Request == nil || len(workers[rl.Request]) < 2 {
			continue
		}
		obs := observed[rl.Request]
		if len(obs) == 1 && obs[rl.Worker] {
			continue // the observed link stands; the others go
		}
		var others []string
		for w := range workers[rl.Request] {
			if w != rl.Worker {
				others = append(others, fmt.Sprint(w.Key.PID))
			}
		}
		sort.Strings(others)
		// Which of the two inferences is wrong the log does not say, and
		// the request that did cause this process may be one the
		// inference set aside: no request is named, none is offered as
		// the candidate.
		r := rl.Request
		rl.Candidates = nil
		rl.Reason = fmt.Sprintf("no request named: the inferred link to %s at %s contradicts another tied to worker pid %s (one request is served by one worker), and the cause may be a request the inference set aside (was: %s)",
			describeRequest(r), when(r.Time), strings.Join(others, ", "), rl.Reason)
		rl.Request, rl.Basis, rl.Inferred, rl.Confidence = nil, BasisAmbiguous, true, ""
		out[root] = rl
	}
}

// names reports whether the link names a request or offers candidates.
func (rl RequestLink) names() bool { return rl.Request != nil || len(rl.Candidates) > 0 }

// sortTime orders a chain's requests: by the request's logged time, or
// for an ambiguous link (no request named) by its first candidate's.
func (rl RequestLink) sortTime() time.Time {
	switch {
	case rl.Request != nil:
		return rl.Request.Time
	case len(rl.Candidates) > 0:
		return rl.Candidates[0].Time
	case rl.Event != nil:
		return rl.Event.Time
	}
	return time.Time{}
}

// endText says when a request ended as precisely as the log tells:
// "ended 08:15:09.556" or "logged 21:34:18" (the second only).
func endText(s reqSpan) string {
	if s.endExact {
		return "ended " + when(s.end.Add(-s.late))
	}
	return "logged " + s.end.Add(-s.late).UTC().Format("15:04:05")
}

// spanText renders a request's life "08:15:09.360..08:15:09.556".
func spanText(s reqSpan) string { return when(s.start) + ".." + when(s.end) }

// mostSpecific keeps, of the requests whose parameter is in the command
// line, those with the longest such parameter when it contains every
// other's: the attacker's host=127.0.0.1;id decides over the monitor's
// host=127.0.0.1 (both are in "ping -c 1 127.0.0.1;id"). Requests with
// equal parameters all stay: time must tell them apart.
func mostSpecific(idx []int, vals []string) ([]int, string) {
	best := ""
	for _, v := range vals {
		if len(v) > len(best) {
			best = v
		}
	}
	for _, v := range vals {
		if !strings.Contains(best, v) {
			return idx, vals[0] // unrelated parameters: nothing is more specific
		}
	}
	var out []int
	for k, v := range vals {
		if v == best {
			out = append(out, idx[k])
		}
	}
	return out, best
}

// folderShape is a folder's path with its record ids abstracted, as
// routeOf does for a URL's path.
func folderShape(p string) string {
	seg := strings.Split(path.Clean(p), "/")
	for i, s := range seg {
		if idSegment(s) {
			seg[i] = "<id>"
		}
	}
	return strings.Join(seg, "/")
}

// maxRouteCovers bounds the (route, command, other route) questions
// routeCover answers for one log.
const maxRouteCovers = 4096

// routeCover answers, for a route and a command, whether the command
// started during the life of every request of the route while no request
// of another route was in flight: the route runs it on its own.
type routeCover struct {
	infos   []reqInfo
	byRoute map[string][]int       // eligible requests per route, by start
	maxEnd  map[string][]time.Time // per route, the latest end of its requests up to each
	starts  map[string][]time.Time // exec times per command, sorted
	memo    map[[3]string]bool
}

func newRouteCover(ms []*rootMatch, infos []reqInfo) *routeCover {
	c := &routeCover{infos: infos, byRoute: map[string][]int{}, maxEnd: map[string][]time.Time{},
		starts: map[string][]time.Time{}, memo: map[[3]string]bool{}}
	for i := range infos {
		if infos[i].eligible {
			c.byRoute[infos[i].route] = append(c.byRoute[infos[i].route], i)
		}
	}
	for r, idx := range c.byRoute {
		sort.Slice(idx, func(a, b int) bool { return infos[idx[a]].span.start.Before(infos[idx[b]].span.start) })
		ends := make([]time.Time, len(idx))
		for k, i := range idx {
			ends[k] = infos[i].span.end.Add(spanSlack)
			if k > 0 && ends[k-1].After(ends[k]) {
				ends[k] = ends[k-1]
			}
		}
		c.maxEnd[r] = ends
	}
	for _, m := range ms {
		c.starts[m.sig] = append(c.starts[m.sig], m.ex.Time)
	}
	for _, ts := range c.starts {
		sort.Slice(ts, func(a, b int) bool { return ts[a].Before(ts[b]) })
	}
	return c
}

// inFlight reports whether a request of route was in flight at t.
func (c *routeCover) inFlight(route string, t time.Time) bool {
	idx := c.byRoute[route]
	k := sort.Search(len(idx), func(k int) bool { return c.infos[idx[k]].span.start.Add(-spanSlack).After(t) }) - 1
	return k >= 0 && !c.maxEnd[route][k].Before(t)
}

// every reports whether the route has at least 3 requests, the command
// started during the life of each, and during two of them at least while
// no request of other was in flight (not only beside other's runs: the
// contact form mails while no gift card POST is open, the probe's date
// never runs without /status.php).
func (c *routeCover) every(route, sig, other string) bool {
	key := [3]string{route, sig, other}
	if v, ok := c.memo[key]; ok {
		return v
	}
	if len(c.memo) >= maxRouteCovers {
		// each answer reads the route's requests: bounded, so that a log
		// of many commands and routes stays linear (the link is then
		// named as before this rule)
		return false
	}
	ts, reqs := c.starts[sig], c.byRoute[route]
	covered, own := 0, 0
	for _, i := range reqs {
		sp := c.infos[i].span
		lo, hi := sp.start.Add(-spanSlack), sp.end.Add(spanSlack)
		j := sort.Search(len(ts), func(j int) bool { return !ts[j].Before(lo) })
		if j == len(ts) || ts[j].After(hi) {
			break // a request of the route without the command: not its every request's
		}
		covered++
		for ; j < len(ts) && !ts[j].After(hi); j++ {
			if !c.inFlight(other, ts[j]) {
				own++
				break
			}
		}
	}
	v := len(reqs) >= 3 && covered == len(reqs) && own >= 2
	c.memo[key] = v
	return v
}
