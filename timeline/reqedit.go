package timeline

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An access log edited during the capture. Every rule that names a request
// by what is not in the log (the only request in flight, a route's
// history, a pairing of counts) and every list of candidates rests on the
// log holding every request; a process that deletes lines from it or
// empties it takes that away for the requests before it (netdiag-profile:
// the intruder's sed -e '/api\/x\/cache/d' over the app's log, written
// back in place; shipnotes-import: sed -e /python-requests/d over
// haproxy's). The exec is evidence of its own: each inferred or ambiguous
// link of a process started before it says the log may lack lines, and the
// coverage says what edited it. Which log the edited path is cannot be
// told from the records (the log may have been copied under another name),
// so every access log of the host is concerned. Reading a log edits
// nothing; only sed deleting lines or working in place, grep -v, and
// truncate or shred count. A filter that prints (sed's d without -i,
// grep -v) changes the file only if its output is written back, which a
// shell's redirection does without an exec of its own: it is said as a
// filter whose output may have been written back, not as an edit.

// maxLogEdits bounds the edits kept (each is said; a loop of them needs one).
const maxLogEdits = 16

// logEdit is one exec that edited an access log.
type logEdit struct {
	at   time.Time
	host string
	pid  int
	prog string
	file string
	expr string // sed's or grep's expressions, as given
	// inPlace: the file itself was changed (sed -i, truncate, shred);
	// else it was filtered to the output
	inPlace bool
	// drops reports whether the edit removes a line, when its expressions
	// say it (sed's /re/d, grep -v's patterns, truncate -s 0, shred); nil
	// when they do not (a sed script of other commands, grep -f)
	drops func(line string) bool
	// spare: per access log of the host, a line of it from before the
	// edit that the edit drops (nil: none); filled once (sparedBy)
	spare map[string]*parser.Event
}

// accessLogPath reports whether a path names a web server's access log.
func accessLogPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	b := strings.ToLower(path.Base(p))
	return strings.Contains(b, "access") && (strings.Contains(b, ".log") || strings.Contains(b, "_log"))
}

// accessLogEdit returns the edit an exec makes of an access log, if any.
func accessLogEdit(ev *parser.Event) (logEdit, bool) {
	if len(ev.Args) < 2 {
		return logEdit{}, false
	}
	prog := path.Base(ev.Exe)
	if prog == "." || prog == "/" || prog == "" {
		prog = path.Base(ev.Args[0])
	}
	file := ""
	for _, a := range ev.Args[1:] {
		if accessLogPath(a) {
			file = a
		}
	}
	if file == "" {
		return logEdit{}, false
	}
	var exprs []string
	edits, inPlace := false, false
	var drops func(string) bool
	switch prog {
	case "truncate", "shred":
		edits, inPlace = true, true
		if prog == "shred" || slices.Contains(ev.Args, "-s0") || slices.Contains(ev.Args, "--size=0") || slices.Index(ev.Args, "-s") > 0 && slices.Index(ev.Args, "-s")+1 < len(ev.Args) && ev.Args[slices.Index(ev.Args, "-s")+1] == "0" {
			drops = func(string) bool { return true }
		}
	case "sed":
		for i, a := range ev.Args[1:] {
			switch {
			case a == "-i" || strings.HasPrefix(a, "-i") && !strings.HasPrefix(a, "--") || strings.HasPrefix(a, "--in-place"):
				edits, inPlace = true, true
			case a == "-e" && i+2 < len(ev.Args):
				exprs = append(exprs, ev.Args[i+2])
			case !strings.HasPrefix(a, "-") && !accessLogPath(a) && (i == 0 || ev.Args[i] != "-e"):
				exprs = append(exprs, a)
			}
		}
		for _, x := range exprs {
			if strings.HasSuffix(strings.TrimSpace(x), "d") {
				edits = true // a delete command: the lines it prints lack those
			}
		}
		if edits {
			drops = sedDrops(ev.Args[1:], exprs)
		}
	case "grep", "egrep":
		// every -e pattern is said, not only the first: which one
		// drops what is the point (cuspid-labelfmt's third, ../, a
		// regular expression, matches every line)
		for i, a := range ev.Args[1:] {
			switch {
			case a == "--invert-match" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "v"):
				edits = true // what it prints lacks the lines it matches
			case (a == "-e" || a == "--regexp") && i+2 < len(ev.Args):
				exprs = append(exprs, quoteSpaced(ev.Args[i+2]))
			case !strings.HasPrefix(a, "-") && !accessLogPath(a) && len(exprs) == 0:
				exprs = append(exprs, quoteSpaced(a))
			}
		}
		if edits {
			drops = grepDrops(prog, ev.Args[1:])
		}
	}
	if !edits {
		return logEdit{}, false
	}
	return logEdit{at: ev.Time, host: ev.Host, pid: ev.PID, prog: prog, file: file, expr: strings.Join(exprs, " "), inPlace: inPlace, drops: drops}, true
}

// What an edit drops, read from its own arguments: sed's script when it
// is only /re/d commands (any other command may print, branch or change a
// line: not read), grep -v's patterns (-e, or the first operand; -E, -F,
// -i, -P as grep reads them; -f, -w, -x and the like: not read). nil when
// not read.

// sedDrops: the lines a sed script of /re/d commands deletes.
func sedDrops(args, exprs []string) func(string) bool {
	ere := false
	for _, a := range args {
		switch {
		case a == "-n" || a == "--quiet" || a == "--silent" || a == "-f" || strings.HasPrefix(a, "--file"):
			return nil // prints nothing unless told, or a script not in the argv
		case a == "-E" || a == "-r" || a == "--regexp-extended":
			ere = true
		}
	}
	var res []*regexp.Regexp
	for _, x := range exprs {
		for _, c := range strings.FieldsFunc(x, func(r rune) bool { return r == ';' || r == '\n' }) {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			if len(c) < 3 || c[0] != '/' {
				return nil
			}
			end := 1
			for end < len(c) && c[end] != '/' {
				if c[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(c) {
				return nil
			}
			re, rest := c[1:end], c[end+1:]
			fold := false
			if strings.HasPrefix(rest, "I") {
				fold, rest = true, rest[1:]
			}
			if strings.TrimSpace(rest) != "d" {
				return nil
			}
			re = strings.ReplaceAll(re, `\/`, "/")
			if !ere {
				re = breToRE2(re)
			}
			if fold {
				re = "(?i)" + re
			}
			r, err := regexp.Compile(re)
			if err != nil {
				return nil
			}
			res = append(res, r)
		}
	}
	return matchesAny(res)
}

// grepDrops: the lines grep -v leaves out (those its patterns match).
func grepDrops(prog string, args []string) func(string) bool {
	ere, fixed, fold := prog == "egrep", false, false
	var pats []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-e" || a == "--regexp":
			if i+1 >= len(args) {
				return nil
			}
			pats = append(pats, args[i+1])
			i++
		case strings.HasPrefix(a, "--regexp="):
			pats = append(pats, strings.TrimPrefix(a, "--regexp="))
		case a == "--invert-match":
		case a == "--extended-regexp":
			ere = true
		case a == "--fixed-strings":
			fixed = true
		case a == "--ignore-case":
			fold = true
		case strings.HasPrefix(a, "--"):
			return nil
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, f := range a[1:] {
				switch f {
				case 'v', 's', 'a', 'h', 'H':
				case 'E', 'P':
					ere = true
				case 'F':
					fixed = true
				case 'i':
					fold = true
				default:
					return nil // -f, -w, -x, -e glued, …: not read
				}
			}
		}
	}
	if len(pats) == 0 {
		for _, a := range args {
			if !strings.HasPrefix(a, "-") && !accessLogPath(a) {
				pats = append(pats, a)
				break
			}
		}
	}
	var res []*regexp.Regexp
	for _, p := range pats {
		for _, q := range strings.Split(p, "\n") { // a pattern of several lines is several patterns
			switch {
			case fixed:
				q = regexp.QuoteMeta(q)
			case !ere:
				q = breToRE2(q)
			}
			if fold {
				q = "(?i)" + q
			}
			r, err := regexp.Compile(q)
			if err != nil {
				return nil
			}
			res = append(res, r)
		}
	}
	return matchesAny(res)
}

// breToRE2 rewrites a POSIX basic regular expression as RE2 reads it: in
// a BRE ( ) { } | + ? are literal and \( \) \{ \} \| \+ \? special (GNU).
func breToRE2(p string) string {
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			if strings.IndexByte("(){}|+?", n) >= 0 {
				sb.WriteByte(n)
			} else {
				sb.WriteByte('\\')
				sb.WriteByte(n)
			}
			i++
		case strings.IndexByte("(){}|+?", c) >= 0:
			sb.WriteByte('\\')
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// quoteSpaced quotes a pattern that holds a space, so that patterns said
// one after another stay apart.
func quoteSpaced(p string) string {
	if strings.ContainsAny(p, " \t") {
		return strconv.Quote(p)
	}
	return p
}

// text says what the edit did.
func (e logEdit) text() string {
	verb := "edited"
	if !e.inPlace {
		verb = "filtered"
	}
	s := fmt.Sprintf("%s (pid %d) %s %s at %s", e.prog, e.pid, verb, e.file, when(e.at))
	if e.expr != "" {
		s += fmt.Sprintf(" (%s)", clipCommand(e.expr, 120))
	}
	if !e.inPlace {
		s += ", whose output lacks the lines it dropped and may have been written back over it (a redirection the audit log does not record)"
	}
	return s
}

// A log that still holds a line the edit drops, written before the edit,
// is not what the edit left: a copy kept by another reader, or the file
// the server went on writing after sed -i replaced it (news-deser: a log
// shipper's copy holds every /index.php?lang=en line the intruder's sed -i
// '/lang=en/d' removed from the file on disk). Nothing of it was lost to
// that edit, and nothing rests on it. A line counts as written before the
// edit when its request's life, as far as the log can place it, and its
// logged second with the clock's lag, both end before the edit.

// sparedBy fills e.spare: per access log of e's host, a line of it from
// before e that e drops, or nil.
func (b *Builder) sparedBy(e *logEdit) {
	if e.spare != nil {
		return
	}
	e.spare = map[string]*parser.Event{}
	late := time.Second + b.lateBound()
	for _, r := range b.requests {
		if !sameHost(e.host, r.Host) {
			continue
		}
		f := posOf(r).File
		if _, ok := e.spare[f]; !ok {
			e.spare[f] = nil
		}
		if e.spare[f] != nil || e.drops == nil {
			continue
		}
		if sp := b.spanOf(r); !sp.end.Add(spanSlack).Before(e.at) || !r.Time.Add(late).Before(e.at) {
			continue
		}
		if e.drops(strings.TrimRight(r.FirstEvidence().Raw, "\r\n")) {
			e.spare[f] = r
		}
	}
}

// spares reports whether e spared every access log of its host (each
// holds a line from before it that it drops), with one such line.
func (b *Builder) spares(e *logEdit) (*parser.Event, bool) {
	b.sparedBy(e)
	var line *parser.Event
	for _, r := range e.spare {
		if r == nil {
			return nil, false
		}
		if line == nil || r.Time.Before(line.Time) {
			line = r
		}
	}
	return line, line != nil
}

// editAfter returns the first edit of an access log of ev's host made
// after ev that may have taken lines from the log read (not spared): the
// log may then lack lines from before it.
func (b *Builder) editAfter(ev *parser.Event) (logEdit, bool) {
	for i := range b.logEdits {
		e := &b.logEdits[i]
		if !sameHost(e.host, ev.Host) || !ev.Time.Before(e.at) {
			continue
		}
		if _, ok := b.spares(e); ok {
			continue
		}
		return *e, true
	}
	return logEdit{}, false
}

// An elimination in a log that lost lines. "The only request to a script
// in flight", "the only one to a route seen running it", a pairing of
// counts: each names a request because the log holds no other that fits,
// which a log known to have lost lines (an edit after the process, above)
// no longer says: the cause may be a line it dropped (docket-exhibit: the
// intruder's grep -v python-requests took out the web shell's requests,
// and its echo, cat and cat o.txt were each tied to the visitor's GET /
// or the probe's /healthz left alone in flight). What the edit does not
// take away is the log's own history of a route and a command together:
// a probe's /healthz in flight at the df -P of nearly each of its
// requests runs df, whatever was deleted around it. So an inferred link
// of a process before the edit keeps its request only when the route is
// corroborated by the rest of the log: more of the route's requests held
// a run of the command than did not, and at least one besides this one
// (a single coincidence is what a dropped line leaves behind). Otherwise
// the link is ambiguous among what was in flight, and says why.
const corroboratingRuns = 2

// routeRuns counts, for a command shape and a route, the route's eligible
// requests in the log and those with a run of the command in their life.
func routeRuns(ms []*rootMatch, infos []reqInfo) func(sig, route string) (n, held int) {
	runs := map[string][]time.Time{}
	for _, m := range ms {
		if m.ex != nil {
			runs[m.sig] = append(runs[m.sig], m.ex.Time)
		}
	}
	for _, ts := range runs {
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	}
	byRoute := map[string][]int{}
	for i := range infos {
		if infos[i].eligible {
			byRoute[infos[i].route] = append(byRoute[infos[i].route], i)
		}
	}
	return func(sig, route string) (int, int) {
		ts := runs[sig]
		n, held := 0, 0
		for _, i := range byRoute[route] {
			sp := infos[i].span
			k, _ := slices.BinarySearchFunc(ts, sp.start.Add(-spanSlack), func(a, b time.Time) int { return a.Compare(b) })
			n++
			if k < len(ts) && live(sp, ts[k]) {
				held++
			}
		}
		return n, held
	}
}

// teachesHistory returns whether a lone request i named for m (rule 4)
// may teach the route history (rule 5): always, unless rule 8 will take
// the link back (lostLineLinks' test: an access log of the host was
// edited after the exec, and the route's history does not corroborate).
func (b *Builder) teachesHistory(ms []*rootMatch, infos []reqInfo) func(m *rootMatch, i int) bool {
	var count func(sig, route string) (int, int)
	return func(m *rootMatch, i int) bool {
		if len(b.logEdits) == 0 {
			return true
		}
		if _, ok := b.editAfter(m.ex); !ok {
			return true
		}
		if count == nil {
			count = routeRuns(ms, infos)
		}
		n, held := count(m.sig, infos[i].route)
		return held >= corroboratingRuns && held > n-held
	}
}

// lostLineLinks makes ambiguous each inferred link (rules 4 and 5) of a
// process started before an access log of its host was edited whose
// route the log's history does not corroborate (above).
func (b *Builder) lostLineLinks(ms []*rootMatch, reqs []*parser.Event, infos []reqInfo, out map[*parser.Process]RequestLink) {
	if len(b.logEdits) == 0 {
		return
	}
	idx := make(map[*parser.Event]int, len(reqs))
	for i, r := range reqs {
		idx[r] = i
	}
	var count func(sig, route string) (int, int)
	for _, m := range ms {
		rl, ok := out[m.root]
		if !ok || rl.Request == nil || (rl.Basis != BasisOnly && rl.Basis != BasisRoute) {
			continue
		}
		if _, ok := b.editAfter(m.ex); !ok {
			continue
		}
		named, ok := idx[rl.Request]
		if !ok {
			continue
		}
		if count == nil {
			count = routeRuns(ms, infos)
		}
		route := infos[named].route
		n, held := count(m.sig, route)
		if held >= corroboratingRuns && held > n-held {
			continue
		}
		cands := []int{named}
		for _, set := range [][]int{m.inFlight, m.around} {
			for _, i := range set {
				if !slices.Contains(cands, i) {
					cands = append(cands, i)
				}
			}
		}
		if m.carried != "" {
			cands = []int{named}
			for _, i := range m.inFlight {
				if !slices.Contains(cands, i) {
					cands = append(cands, i)
				}
			}
		}
		slices.Sort(cands)
		why := fmt.Sprintf("requests in flight when the process started; %s was named as the only one left (%s), but the access log may lack lines (below), and its route's history does not say it runs %s: %d of its %d requests in the log held a run of it",
			describeRequest(rl.Request), rl.Basis, shortSig(m.sig), held, n)
		out[m.root] = ambiguousLink(m.root, m.root.Parent, m.ex, cands, reqs, infos, why)
	}
}

// noteLogEdits adds to each inferred or ambiguous link of a process that
// started before an access log of its host was edited that the log may
// lack lines.
func (b *Builder) noteLogEdits(out map[*parser.Process]RequestLink) {
	if len(b.logEdits) == 0 {
		return
	}
	for root, rl := range out {
		if rl.Event == nil || !rl.Inferred && rl.Basis != BasisAmbiguous {
			continue
		}
		if e, ok := b.editAfter(rl.Event); ok {
			rl.Reason += "; the access log may lack lines: " + e.text() + ", after this process started, so the request that caused it may be one the log no longer holds"
			out[root] = rl
		}
	}
}

// logEditNotes says, for the coverage, which access logs were edited.
func (b *Builder) logEditNotes() []string {
	var notes []string
	for i := range b.logEdits {
		e := &b.logEdits[i]
		if r, ok := b.spares(e); ok {
			notes = append(notes, fmt.Sprintf("requests: %s; the access log read is not what it left: it still holds lines from before it that it drops (%s, %s line %d), so no line of it was lost to the edit",
				e.text(), describeRequest(r), path.Base(posOf(r).File), posOf(r).Line))
			continue
		}
		note := "requests: the access log may lack lines: " + e.text() + "; links of processes before it that rest on the log holding every request are said to"
		if n, first, ok := b.dropsAllAfter(e); ok {
			note += fmt.Sprintf("; its expressions drop every one of the %d lines the log holds from after it, so it likely left no line of what came before (inferred: the lines before it are taken to be of the same kind): the log's first line is %s, logged %s",
				n, describeRequest(first), first.Time.UTC().Format("15:04:05"))
		}
		notes = append(notes, note)
	}
	return notes
}

// dropsAllAfterMin: lines written after an edit that its expressions must
// all drop before the edit is said to have left nothing; fewer may share
// a pattern by chance (a burst of one client's requests).
const dropsAllAfterMin = 10

// dropsAllAfter reports whether e's expressions drop every line of the
// host's access logs written after it (at least dropsAllAfterMin): a
// filter that drops every line the server went on to write dropped every
// line before it too, whatever it was meant to take out (an unescaped
// "../" is any two characters and a slash: every "HTTP/1.1"). It returns
// how many lines it tested and the log's first line.
func (b *Builder) dropsAllAfter(e *logEdit) (int, *parser.Event, bool) {
	if e.drops == nil {
		return 0, nil, false
	}
	var first *parser.Event
	n := 0
	for _, r := range b.requests {
		if !sameHost(e.host, r.Host) {
			continue
		}
		if first == nil || r.Time.Before(first.Time) {
			first = r
		}
		if !r.Time.After(e.at.Add(time.Second)) {
			continue // perhaps written before it: the edit saw it
		}
		if !e.drops(strings.TrimRight(r.FirstEvidence().Raw, "\r\n")) {
			return 0, nil, false
		}
		n++
	}
	return n, first, n >= dropsAllAfterMin
}

// matchesAny returns a test that a line matches one of res, or nil when
// res is empty (nothing read).
func matchesAny(res []*regexp.Regexp) func(string) bool {
	if len(res) == 0 {
		return nil
	}
	return func(line string) bool {
		for _, r := range res {
			if r.MatchString(line) {
				return true
			}
		}
		return false
	}
}
