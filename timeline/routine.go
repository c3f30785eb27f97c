package timeline

import (
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Routine vs novel, from the log itself. Web applications shell out all
// day (health checks, thumbnails, mail, previews, cache files); attackers
// do one-off, varied things. Like the "new terms" and rare-process rules
// of a SIEM, but offline and within one log, every command a web server's
// child ran, and every command run as a web account, is stacked into a
// template (template.go) per host and serving server, and a template whose
// findings are demoted (never deleted) to low is one that
//
//  1. recurs across the log: its occurrences (units of work: one web-server
//     child and what it ran) fall in at least routineMinBuckets of the
//     routineBuckets equal slices of the host's log span, and stretch over
//     at least 1/routineMinExtent of that span — a burst of repetitions
//     fills one or two slices, however many there are;
//  2. was established before anything suspicious: only occurrences before
//     the host's first suspicious act count for (1) — a finding at high or
//     above outside a routine template, or one that evidence ties to an
//     attacker (below). What an attacker repeats after getting in never
//     counts, however regular; what the application did before, does.
//     A job cron starts whose crontab no change in the log precedes is
//     established by its schedule, which predates the log, however few
//     its runs (routinejob.go);
//  3. is not tied to an attacker by evidence, occurrence by occurrence:
//     a flagged act (medium or more, of no routine template) follows from
//     it (a descendant's finding); the script that served it, or the
//     program it runs, was written during the log (before it ran); a
//     request parameter appears in its command line as command text (a
//     value the template abstracts, an order number or a file name, is
//     data, not command); or it shares a chain with a high finding by
//     evidence (ancestry, session, request, file, peer, ssh, cron — not
//     the time-only rules).
//
// Files a web server's own process writes (a template cache, sessions,
// thumbnails) are stacked the same way, as "write" and the path's template
// under the server, and judged by the same test; the evidence that ties
// one to an attacker is the file rule's (what was served from it, who
// changed it later) reaching a high finding.
//
// A finding below a web server's child (the curl its shell ran) has a
// template of its own, the child's and the root's together, and is judged
// the same way: a follow-up as regular as the command itself is part of
// the same routine, a varied one (a sweep of addresses) is a flagged act
// that keeps its command from being routine.
//
// An attacker who repeats one command (runs `id` fifty times) therefore
// does not become routine: in a burst it fills few slices; after the
// upload, exploit or any other suspicious act it does not count; through
// a web shell with an access log its command is the request's parameter;
// and a dropped script that serves it was written in the log. What stays
// open is an attacker active, evenly and quietly, from before the log
// starts through a script that predates it, with no access log and nothing
// flagged following: the log alone cannot tell that from the application,
// and the demoted findings are still listed, with why, in the report's
// routine section. The principle does the work: no command is named.
//
// The fixed point: candidates are the templates that pass (1) with no
// suspicious act; the first suspicious act is then searched among what is
// not a candidate or is tied by (3); (1) is re-checked with only what came
// before it; and so on until nothing changes (the first suspicious act
// only moves earlier, so this ends).

// RoutineSlices is how many equal slices of a host's log span the routine
// test counts occurrences in.
const RoutineSlices = routineBuckets

// Thresholds of the routine test.
const (
	routineBuckets    = 20 // slices of a host's log span
	routineMinBuckets = 4  // slices an established routine occupies
	routineMinExtent  = 4  // it spans at least 1/routineMinExtent of the log
	// routineMinBefore: runs before the host's first suspicious act that
	// let a template recurring across the whole log be routine when the
	// part before that act is too short to establish it (see continued)
	routineMinBefore = 2
)

// Routine is one template of commands demoted as routine activity.
type Routine struct {
	Host     string
	Server   string // the serving server ("node pid 30090"), or the service above a web account's job ("cron")
	Template string
	// Count is its occurrences in the log (units of work); Counted those
	// that established it, before the host's first suspicious act, in
	// Buckets of routineBuckets slices of the log.
	Count, Counted, Buckets int
	FirstSeen, LastSeen     time.Time
	Why                     string // why demoted, in a sentence
	// Findings are the demoted findings (copies of the ones given to
	// Build, severity lowered), Before their severities as detected.
	Findings []*detect.Finding
	Before   []detect.Severity
}

// routineKey is a template on a host under one server.
type routineKey struct {
	host, server, template string
}

type occurrence struct {
	anchor *parser.Process
	at     time.Time
}

// routineUnit is a finding that may be routine: one on a web server's
// child (or below it) or of a web account.
type routineUnit struct {
	i      int // index into the findings
	key    routineKey
	anchor *parser.Process
}

// seeSpan widens a host's log span by one event.
func (b *Builder) seeSpan(ev *parser.Event) {
	if ev.Time.IsZero() {
		return
	}
	if b.spans == nil {
		b.spans = map[string]*[2]time.Time{}
	}
	s := b.spans[ev.Host]
	if s == nil {
		b.spans[ev.Host] = &[2]time.Time{ev.Time, ev.Time}
		return
	}
	if ev.Time.Before(s[0]) {
		s[0] = ev.Time
	}
	if ev.Time.After(s[1]) {
		s[1] = ev.Time
	}
}

// routine demotes the routine findings of fs (returning fs with copies in
// their place; fs itself is not changed) and lists the templates.
// cronVisible says a change of a cron file would show in the inputs
// (persistence watches or audited writes: routinejob.go).
func (b *Builder) routine(fs []*detect.Finding, tree *parser.Tree, cz causality, cronVisible bool) ([]*detect.Finding, []*Routine) {
	l := newLinker(b, tree, fs, cz)
	units := map[int]routineUnit{}
	occ := map[routineKey]map[any]time.Time{} // unit of work (anchor process, or a server's write) → when
	addOcc := func(k routineKey, a any, at time.Time) {
		m := occ[k]
		if m == nil {
			m = map[any]time.Time{}
			occ[k] = m
		}
		if t, ok := m[a]; !ok || at.Before(t) {
			m[a] = at
		}
	}
	for _, ex := range b.webExecs {
		r := ex.Proc
		if r == nil || l.anchor(r) != r || !isCommandExec(ex) {
			continue // a launcher's exec is not the process's command
		}
		addOcc(routineKey{r.Key.Host, l.serverLabel(r), l.rootTemplate(r, ex.Args)}, r, ex.Time)
	}
	for _, w := range b.fileOps {
		if k, ok := l.serverWriteKey(w); ok {
			addOcc(k, w, w.Time)
		}
	}
	for i, f := range fs {
		if k, ok := l.serverWriteKey(f.Event); ok && !f.Tampering && procOf(f) == f.Event.Proc {
			units[i] = routineUnit{i: i, key: k}
			addOcc(k, f.Event, f.Event.Time)
			continue
		}
		k, a, ok := l.routineKeyOf(f)
		if !ok {
			continue
		}
		units[i] = routineUnit{i, k, a}
		addOcc(k, a, startOf(a))
	}
	scheduled := map[routineKey]stat{}
	jobs := newJobRuns()
	for _, u := range units {
		if _, done := scheduled[u.key]; done {
			continue
		}
		if st, ok := b.scheduledBefore(u.key, occ[u.key], cronVisible); ok {
			scheduled[u.key] = st
		} else if jk, ok := l.jobKey(u); ok {
			// what one run of a scheduled job did that others did not
			// (a tunnel started when it was down) is the job's own
			// script branching: the schedule establishes the job,
			// and its runs are counted (routinejob.go)
			if st, ok := b.scheduledBefore(jk, jobs.of(u.anchor), cronVisible); ok {
				st.job = strings.Join(argsOf(u.anchor), " ")
				scheduled[u.key] = st
			}
		}
	}
	if len(units) == 0 || len(scheduled) == 0 && !b.anySpread(units, occ) {
		return fs, nil // nothing can be routine: spare the evidence linking
	}
	// the evidence-only chains (no time rule)
	ev := newLinker(b, tree, fs, cz)
	ev.evidenceOnly = true
	ev.link()

	wr := l.writtenFiles()
	staging := stagingAlone(fs)
	// ranBefore: the template had a unit of work before t. Each key's
	// earliest run is found once: the rounds below ask for every tied
	// unit, and a busy template has thousands of runs.
	earliest := make(map[routineKey]time.Time, len(occ))
	for k, m := range occ {
		for _, at := range m {
			if e, ok := earliest[k]; !ok || at.Before(e) {
				earliest[k] = at
			}
		}
	}
	ranBefore := func(k routineKey, t time.Time) bool {
		e, ok := earliest[k]
		return ok && e.Before(t)
	}
	first := map[string]time.Time{} // host → first suspicious act (zero: none)
	var cand map[routineKey]stat
	var tied map[int]string
	for round := 0; round < 64; round++ {
		cand = map[routineKey]stat{}
		for k, m := range occ {
			if st, ok := b.spread(k.host, m, first[k.host]); ok {
				cand[k] = st
			} else if st.counted >= routineMinBefore && !first[k.host].IsZero() {
				// a short log: too little of it before the first
				// suspicious act to establish anything, but the
				// template was running before it and went on across
				// the whole log as the application's own
				if all, ok := b.spread(k.host, m, time.Time{}); ok {
					all.before, all.continued = st.counted, true
					cand[k] = all
				}
			}
			if _, ok := cand[k]; !ok {
				if st, ok := scheduled[k]; ok {
					cand[k] = st
				}
			}
		}
		tied = l.tiedToAttacker(fs, units, cand, ev, wr, staging, ranBefore)
		moved := false
		for i, f := range fs {
			u, isUnit := units[i]
			_, isCand := cand[u.key]
			_, isTied := tied[i]
			suspicious := f.Severity >= detect.SeverityHigh && (!isUnit || !isCand) && !staging[i] ||
				isTied && f.Severity >= detect.SeverityMedium
			if !suspicious || f.Time.IsZero() {
				continue
			}
			if t, ok := first[f.Host]; !ok || f.Time.Before(t) {
				first[f.Host] = f.Time
				moved = true
			}
		}
		if !moved {
			break
		}
	}

	out := make([]*detect.Finding, len(fs))
	copy(out, fs)
	groups := map[routineKey]*Routine{}
	var list []*Routine
	for i, f := range fs {
		u, ok := units[i]
		if !ok {
			continue
		}
		st, ok := cand[u.key]
		if !ok {
			continue
		}
		if _, ok := tied[i]; ok {
			continue
		}
		g := groups[u.key]
		if g == nil {
			m := occ[u.key]
			g = &Routine{Host: u.key.host, Server: u.key.server, Template: u.key.template, Count: len(m),
				Counted: st.counted, Buckets: st.buckets, FirstSeen: st.first, LastSeen: st.last}
			g.Why = routineWhy(g, st, first[u.key.host])
			if st.scheduled {
				g.Why = scheduledWhy(g, st)
			}
			groups[u.key] = g
			list = append(list, g)
		}
		d := *f
		d.Severity = demoted(f.Severity)
		if d.Severity != f.Severity {
			d.Reason = fmt.Sprintf("%s; demoted from %s: routine, %s", f.Reason, f.Severity, g.Why)
		}
		out[i] = &d
		g.Findings = append(g.Findings, &d)
		g.Before = append(g.Before, f.Severity)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if !a.FirstSeen.Equal(b.FirstSeen) {
			return a.FirstSeen.Before(b.FirstSeen)
		}
		return a.Template < b.Template
	})
	return out, list
}

// demoted is the severity of a routine finding: low, informational for
// what was low already.
func demoted(s detect.Severity) detect.Severity {
	if s >= detect.SeverityMedium {
		return detect.SeverityLow
	}
	return detect.SeverityInformational
}

func routineWhy(g *Routine, st stat, first time.Time) string {
	runs := fmt.Sprintf("all %d runs", st.counted)
	switch {
	case st.continued:
		runs = fmt.Sprintf("it ran %d times before the host's first suspicious act (%s), too little of the log to establish it alone, and its %d runs over the whole log", st.before, when(first), st.counted)
	case !first.IsZero():
		runs = fmt.Sprintf("the %d runs before the host's first suspicious act (%s)", st.counted, when(first))
	}
	return fmt.Sprintf("ran %d times from %s to %s; %s fall in %d of %d slices of the log and stretch over %d%% of it; nothing flagged follows from it and no evidence ties it to an attacker",
		g.Count, when(g.FirstSeen), when(g.LastSeen), runs, st.buckets, routineBuckets, st.share)
}

// serverLabel names the server a web-shell root a ran under (serverOf
// its parent).
func (l *linker) serverLabel(a *parser.Process) string { return l.serverOf(a.Parent) }

// serverOf names the server a web-server process p belongs to: its master
// process (init never counts) by image and pid, or its image and the
// supervisor that started it, or, when the topmost
// parent is known only as a pid (started before the log), p's image and
// that pid.
func (l *linker) serverOf(p *parser.Process) string {
	if p == nil {
		return "?"
	}
	top := p
	// a worker's parent running the same program is its master (uWSGI's
	// and gunicorn's masters bind and fork, the workers accept: only they
	// are learned as servers), and the workers serve one application
	for m := p; m.Parent != nil && m.Parent.Key.PID > 1 &&
		(l.o.isWebServer(m.Parent) || m.Parent.Placeholder && m.Parent.Exe == "" && m.Parent.Comm == "" ||
			m.Exe != "" && m.Parent.Exe == m.Exe && l.o.isWebServer(m)); m = m.Parent {
		top = m.Parent
	}
	if n := top.Name(); n != "?" {
		// a server a supervisor (re)starts serves one application through
		// all its instances: Passenger's core spawns a new node process for
		// the app now and then, and each instance's runs of the same mail
		// command are one template, not one per pid (benign-cragboard)
		if sup := top.Parent; sup != nil && sup.Key.PID > 1 && sup.Name() != "?" && sup.Name() != n {
			return fmt.Sprintf("%s under %s pid %d", n, sup.Name(), sup.Key.PID)
		}
		return fmt.Sprintf("%s pid %d", n, top.Key.PID)
	}
	// the topmost parent is known only by its pid: a php-fpm master, or a
	// supervisor that started the server (benign-ledger's root
	// ledgerd-supervise): said as what is known, not as a master
	return fmt.Sprintf("%s (its parent pid %d not in the logs)", p.Name(), top.Key.PID)
}

// stagingAlone marks the findings that show staging alone (fetching,
// unpacking: detect.Finding.NeedsCorroboration) and what such staging
// wrote itself (an unzip's files in the web root). Until its chain shows
// intent (corroborate.go) such a finding is what an install does too: it
// is no first suspicious act of the host and ties no routine to an
// attacker — else one plugin install from the admin page would keep the
// whole day's health checks and webhooks from being routine, and they in
// turn would corroborate the install.
func stagingAlone(fs []*detect.Finding) map[int]bool {
	out := map[int]bool{}
	procs := map[*parser.Process]bool{}
	for i, f := range fs {
		if f.NeedsCorroboration {
			out[i] = true
			if p := procOf(f); p != nil {
				procs[p] = true
			}
		}
	}
	if len(procs) == 0 {
		return out
	}
	for i, f := range fs {
		if !f.NeedsCorroboration && f.Event != nil && f.Event.Path != "" &&
			(f.Event.Kind == parser.KindFileWrite || f.Event.Kind == parser.KindRename) && below(procOf(f), procs) {
			out[i] = true
		}
	}
	return out
}

// startOf is when a unit of work started.
func startOf(a *parser.Process) time.Time {
	if e, ok := firstExec(a); ok {
		return e.Time
	}
	return a.FirstSeen
}

// firstExec is a process's own first exec (not the image it inherited
// from its parent at fork).
func firstExec(p *parser.Process) (parser.Exec, bool) {
	for _, e := range p.Execs {
		if !e.Inherited {
			return e, true
		}
	}
	return parser.Exec{}, false
}

// argsOf is the command line p settled on at its start (launcher.go).
func argsOf(p *parser.Process) []string {
	if e, ok := commandExec(p); ok {
		return e.Args
	}
	return p.Args
}

// routineKeyOf returns a finding's template key and unit of work, when the
// finding may be routine: its process descends from a web server's child,
// or runs as a web account below a service (a cron job).
func (l *linker) routineKeyOf(f *detect.Finding) (routineKey, *parser.Process, bool) {
	p := procOf(f)
	if p == nil || f.Tampering {
		return routineKey{}, nil, false
	}
	a := l.anchor(p)
	if a == nil {
		return routineKey{}, nil, false
	}
	var server string
	switch {
	case l.isWebRoot(a):
		server = l.serverLabel(a)
	case a.Parent != nil && !interactive(a.Parent) && l.o.Servers.IsWebAccount(p.Key.Host, p.User, p.UID):
		server = a.Parent.Name()
	default:
		return routineKey{}, nil, false
	}
	t := l.rootTemplate(a, argsOf(a))
	if p != a {
		t += " ▸ " + l.tmpl.of(argsOf(p))
	}
	return routineKey{p.Key.Host, server, t}, a, true
}

// serverWriteKey is the template key of a file a web server's own process
// wrote (a template cache, a session, an upload): "write " and the path's
// template, under the server.
func (l *linker) serverWriteKey(w *parser.Event) (routineKey, bool) {
	if w == nil || w.Proc == nil || w.Path == "" || w.Failed() ||
		w.Kind != parser.KindFileWrite && w.Kind != parser.KindRename || !l.o.isWebServer(w.Proc) {
		return routineKey{}, false
	}
	return routineKey{w.Host, l.serverOf(w.Proc), "write " + pathTemplate(path.Clean(w.Path), false)}, true
}

// anySpread reports whether a unit's template recurs enough with no
// suspicious act at all, the most any template can: without one, no
// round of the fixed point would demote anything.
func (b *Builder) anySpread(units map[int]routineUnit, occ map[routineKey]map[any]time.Time) bool {
	tried := map[routineKey]bool{}
	for _, u := range units {
		if tried[u.key] {
			continue
		}
		tried[u.key] = true
		if _, ok := b.spread(u.key.host, occ[u.key], time.Time{}); ok {
			return true
		}
	}
	return false
}

// interactive reports whether a service hands out logins: what a person
// types there is theirs, never an application's routine.
func interactive(p *parser.Process) bool {
	return isSSHD(p) || nameMatch(p.Name(), []string{"login", "agetty", "getty", "telnetd", "in.telnetd"})
}

// stat is how a template recurs.
type stat struct {
	counted, buckets int
	// continued: established by its runs over the whole log, of which
	// before ran before the host's first suspicious act
	continued bool
	before    int
	// scheduled: a cron job whose schedule predates the log
	// (routinejob.go), however few its runs
	scheduled bool
	// job: the template is what one of those runs started below this
	// job's command, counted by the job's runs
	job         string
	share       int       // percent of the log's span the counted occurrences stretch over
	first, last time.Time // of all its occurrences
}

// spread tests a template's occurrences against the routine thresholds,
// counting only those before the host's first suspicious act (zero: none).
func (b *Builder) spread(host string, occ map[any]time.Time, before time.Time) (stat, bool) {
	var st stat
	sp := b.spans[host]
	if sp == nil {
		return st, false
	}
	start, span := sp[0], sp[1].Sub(sp[0])
	var cFirst, cLast time.Time
	slices := map[int]bool{}
	for _, at := range occ {
		stretch(&st.first, &st.last, at)
		if !before.IsZero() && !at.Before(before) {
			continue
		}
		st.counted++
		stretch(&cFirst, &cLast, at)
		if span > 0 {
			i := int(int64(at.Sub(start)) * routineBuckets / int64(span))
			slices[min(max(i, 0), routineBuckets-1)] = true
		}
	}
	st.buckets = len(slices)
	if span > 0 {
		st.share = int(100 * int64(cLast.Sub(cFirst)) / int64(span))
	}
	ok := span > 0 && st.buckets >= routineMinBuckets && cLast.Sub(cFirst) >= span/routineMinExtent
	return st, ok
}

// tiedToAttacker returns the units that evidence ties to an attacker, with
// why: a flagged act follows from them, a script or program written in the
// log runs them, a request parameter is their command, or they share an
// evidence chain with a high finding.
func (l *linker) tiedToAttacker(fs []*detect.Finding, units map[int]routineUnit, cand map[routineKey]stat, ev *linker, written written, staging map[int]bool, ranBefore func(routineKey, time.Time) bool) map[int]string {
	tied := map[int]string{}
	routineOf := func(i int) bool {
		u, ok := units[i]
		if !ok {
			return false
		}
		_, ok = cand[u.key]
		return ok
	}
	// flagged acts below a process: a finding of medium or more that is
	// not of a routine template marks its process and every ancestor
	flagged := map[*parser.Process]*detect.Finding{}
	hot := map[int]*detect.Finding{} // evidence component → a high finding in it
	for i, f := range fs {
		if routineOf(i) {
			continue
		}
		if f.Severity >= detect.SeverityHigh && !staging[i] {
			r := ev.find(ev.id(findingKey(i)))
			if g, ok := hot[r]; !ok || f.Time.Before(g.Time) {
				hot[r] = f
			}
		}
		if f.Severity < detect.SeverityMedium {
			continue
		}
		p := procOf(f)
		for d := 0; p != nil && d < 4096; d++ {
			if _, ok := flagged[p]; !ok {
				flagged[p] = f
			}
			p = p.Parent
		}
	}
	for i, u := range units {
		if _, ok := cand[u.key]; !ok {
			continue
		}
		f := fs[i]
		p := procOf(f)
		if u.anchor == nil { // a server's own write: what was served from the file ties it (the file rule)
			if g, ok := hot[ev.find(ev.id(findingKey(i)))]; ok {
				tied[i] = fmt.Sprintf("it shares a chain with %s at %s", g.Title, when(g.Time))
			}
			continue
		}
		if g, ok := flagged[p]; ok {
			tied[i] = fmt.Sprintf("%s follows from it at %s", g.Title, when(g.Time))
			continue
		}
		if g, ok := hot[ev.find(ev.id(findingKey(i)))]; ok {
			tied[i] = fmt.Sprintf("it shares a chain with %s at %s", g.Title, when(g.Time))
			continue
		}
		if why, at := l.writtenRunner(u.anchor, p, written); why != "" && !ranBefore(u.key, at) {
			// code written during the log ties what it runs, unless the
			// same command ran before the write: a redeploy or an update
			// rewrote the file, and it goes on doing what it did (a
			// changed script that runs new commands stays tied)
			tied[i] = why
			continue
		}
		if why := l.parameterCommand(u.anchor, p); why != "" {
			tied[i] = why
		}
	}
	return tied
}

// written is the files written (or renamed into place) during the log,
// each with its first such write, indexed by base name and, for scripts,
// by directory, so that a unit looks up only the files that may concern
// it.
type written struct {
	first  map[fileKey]*parser.Event
	byBase map[string][]fileKey // in write order
	byDir  map[string][]fileKey // scripts only
}

func (l *linker) writtenFiles() written {
	out := written{first: map[fileKey]*parser.Event{}, byBase: map[string][]fileKey{}, byDir: map[string][]fileKey{}}
	for _, w := range l.b.fileOps {
		if w.Kind == parser.KindUnlink || w.Kind == parser.KindChmod {
			continue
		}
		k := fileKey{w.Host, path.Clean(w.Path)}
		if _, ok := out.first[k]; ok {
			continue
		}
		out.first[k] = w
		for _, b := range routeBases(k.path) {
			out.byBase[b] = append(out.byBase[b], k)
		}
		if isScript(k.path) {
			out.byDir[path.Dir(k.path)] = append(out.byDir[path.Dir(k.path)], k)
		}
	}
	return out
}

// writtenRunner says why a unit runs code written during the log, and
// when that code was written: the
// script its request was served by, a script in the directory it was
// started in (php-fpm runs a script in its own directory), or the program
// it or its root runs.
func (l *linker) writtenRunner(a, p *parser.Process, wr written) (string, time.Time) {
	host, at := a.Key.Host, startOf(a)
	if rl, ok := l.cz.execs[a]; ok && (rl.Request != nil || len(rl.Candidates) > 0) {
		// the request that ran it, or each that may have (an ambiguous
		// link): a script none of them addressed did not run it, however
		// near it was written (benign-shop-trophy: the admin's hotfix
		// rewrote contact.php beside club-account.php, whose whois runs
		// were ambiguous between its posts and the probe's status.php)
		for _, req := range rl.requests() {
			if req.HTTP == nil {
				continue
			}
			u := req.HTTP.Path
			for _, k := range wr.byBase[path.Base(path.Clean(u))] {
				w := wr.first[k]
				if sameHost(k.host, host) && w.Time.Before(at) && servedRoute(k.path, u) {
					if rl.Request == nil {
						return fmt.Sprintf("a request that may have run it (of %d the log leaves open), %s, is served by %s, written during the log at %s", len(rl.Candidates), u, k.path, when(w.Time)), w.Time
					}
					return fmt.Sprintf("the script that served it, %s, was written during the log at %s", k.path, when(w.Time)), w.Time
				}
			}
		}
	} else if l.isWebRoot(a) {
		dir := rootCwd(a)
		for _, k := range wr.byDir[dir] {
			w := wr.first[k]
			if sameHost(k.host, host) && w.Time.Before(at) {
				return fmt.Sprintf("it ran in %s, where the script %s was written during the log at %s", dir, path.Base(k.path), when(w.Time)), w.Time
			}
		}
	}
	for _, q := range []*parser.Process{a, p} {
		for _, prog := range programPaths(q) {
			if w, ok := wr.first[fileKey{host, path.Clean(prog)}]; ok && w.Time.Before(startOf(q).Add(time.Millisecond)) {
				return fmt.Sprintf("the program it runs, %s, was written during the log at %s", prog, when(w.Time)), w.Time
			}
		}
	}
	return "", time.Time{}
}

// programPaths are the files a process runs: its image, argv[0], a script
// an interpreter was given, and the first word of a `sh -c` command.
func programPaths(p *parser.Process) []string {
	args := argsOf(p)
	var out []string
	add := func(s string) {
		s = strings.Trim(s, `'"`)
		if strings.HasPrefix(s, "/") {
			out = append(out, s)
		}
	}
	if e, ok := commandExec(p); ok {
		add(e.Exe)
	}
	if len(args) > 0 {
		add(args[0])
	}
	if len(args) > 1 {
		if args[1] == "-c" && len(args) > 2 {
			if w := strings.Fields(args[2]); len(w) > 0 {
				add(w[0])
			}
		} else if !strings.HasPrefix(args[1], "-") {
			add(args[1])
		}
	}
	return out
}

// parameterCommand says why a unit's command came from its request: a
// query parameter's value appears in its command line as command text
// (paramtext.go: `cmd=id` in `sh -c id`, not a search word passed as one
// argument nor a name inside quotes) and holds text of its own once
// abstracted, not only a number or a file name.
func (l *linker) parameterCommand(a, p *parser.Process) string {
	rl, ok := l.cz.execs[a]
	if !ok || rl.Request == nil || rl.Request.HTTP == nil || rl.Request.HTTP.Query == "" {
		return ""
	}
	vals, _ := url.ParseQuery(rl.Request.HTTP.Query) // a malformed pair is skipped, the rest kept
	asCommand := func(v string) bool {
		return paramAsCommand(argsOf(a), v) || p != a && paramAsCommand(argsOf(p), v)
	}
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range vals[n] {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && constantText(textTemplate(v)) && asCommand(v) {
				return fmt.Sprintf("the request's parameter %s=%q is in its command line", n, v)
			}
		}
	}
	return ""
}

// demoteRoutine puts the routine copies of chainable in its place and in
// all's (which holds the same findings and more).
func (b *Builder) demoteRoutine(all, chainable []*detect.Finding, tree *parser.Tree, cz causality, cronVisible bool) ([]*detect.Finding, []*Routine) {
	out, list := b.routine(chainable, tree, cz, cronVisible)
	if len(list) == 0 {
		return chainable, nil
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for i, f := range chainable {
		if out[i] != f {
			repl[f] = out[i]
		}
	}
	for i, f := range all {
		if d, ok := repl[f]; ok {
			all[i] = d
		}
	}
	return out, list
}

// routineNode is the link-graph node of one routine template.
type routineNode struct{ r *Routine }

// linkRoutine keeps the runs of one routine template together: demoted to
// low they no longer join by the time rules, and fifty one-finding chains
// of a health check would bury the rest.
func (l *linker) linkRoutine() {
	if len(l.routine) == 0 {
		return
	}
	idx := map[*detect.Finding]int{}
	for i, f := range l.findings {
		idx[f] = i
	}
	for _, r := range l.routine {
		for _, f := range r.Findings {
			if i, ok := idx[f]; ok {
				l.union(findingKey(i), routineNode{r}, f.Time, fmt.Sprintf("routine: %q ran %d times under %s (routine activity, demoted)", r.Template, r.Count, r.Server))
			}
		}
	}
}
