package timeline

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// The Builder keeps, to the end of a scan, the events it links chains
// with: execs under web servers, file writes, connects. Kept as *Events
// with their processes pinned in the tree, they were the memory that grew
// with a long log after the findings were bounded (500 MB of a server's
// repeated days: 83 000 events, half the peak). Nearly all of them repeat
// an act already kept — the same program running the same command, writing
// the same file, connecting to the same address — so past
// DefaultLinkRepeats the later repeats are counted instead of kept, and the
// report says how many (Builder.Dropped). sshd's accepts and the login
// records of sessions are bounded the same way, by the account and the
// address a session comes from: every cron job writes a LOGIN, and on a
// long archive they grew without end (the pid-repeating log at 2 GB:
// 61 000 login records, each pinning its process). Requests are each
// their own request and are not bounded this way.
//
// The bound is five times detect's for findings of one act
// (detect.DefaultRepeatsPerAct): a kept finding must find its links, and
// some programs repeat for every command they start — Java's jspawnhelper
// runs with the same arguments before each command a servlet runs, 233
// times in the benign-tomcat capture, where the bound must not bite.
const DefaultLinkRepeats = 1000

// DefaultLinkEvents bounds the events all the lists bounded by repeats
// keep together (Options.MaxLinkEvents). The bound per act alone let the
// lists grow with the number of acts a host has: the busy-server log kept
// 51 900 events at 500 MB and 71 000 at 2 GB, towards 111 000 once each
// of its 111 acts reaches 1 000 — about 1.3 KB each with their strings and
// pinned processes. With a total it stops: when the lists reach it, the
// bound per act is halved and each act's latest events past the new bound
// are let go (the first of each act are what chains link by, as before),
// down to one event an act; only then are the events of acts not yet kept
// refused. Each step is counted and said (Dropped). 65 536 is above the
// 57 000 the pid-repeating log keeps (57 acts, each at 1 000): at 32 768
// its later copies' web-server findings stood alone, 526 chains of one
// finding instead of their copy's chain, for 40–55 MB less memory. The lab
// captures keep a few thousand.
const DefaultLinkEvents = 1 << 16

// repeatBound counts the kept events of each act, list by list, and the
// events all bounded lists keep together.
type repeatBound struct {
	max   int             // events kept of one act; 0: no bound
	asked int             // max as asked, before the total lowered it
	total int             // events kept in the bounded lists
	limit int             // bound on total; 0: none
	kept  map[string]*int // act → events kept (a pointer: counted without making the act a string)
	over  map[string]*listOverflow
	// full counts the events refused because the lists held limit events
	// with max already at one; fullFirst and fullLast are where
	full                int
	fullFirst, fullLast where
	// act is the act of the event at hand, built in place: the lists see
	// every exec under a web server, write and connect, and most repeat
	// an act already counted
	act []byte
}

// where is the record of an event (positionOf), kept as its parts and
// written out only for the report: the bound counts every repeat past it,
// and only the first and last are said.
type where struct {
	pos    parser.Pos
	serial uint64
	ok     bool
}

func whereOf(ev *parser.Event) where {
	e := ev.FirstEvidence()
	return where{e.Pos, e.Serial, true}
}

func (w where) String() string { return positionAt(w.pos, w.serial) }

// listOverflow is what the bound let go from one list.
type listOverflow struct {
	n           int
	byAct       map[string]*int // act → repeats counted; no larger than the kept acts
	first, last where           // the first and last not kept
	// firstAt, lastAt: their times; events let go when the bound was
	// lowered (thin) come before those refused since
	firstAt, lastAt time.Time
}

// repeatList names a list bounded by repeats, "" for the others.
func (b *Builder) repeatList(list *[]*parser.Event) string {
	switch list {
	case &b.webExecs:
		return "execs under a web server"
	case &b.cgiExecs:
		return "CGI programs"
	case &b.fileOps:
		return "file writes and changes"
	case &b.connects:
		return "connects"
	case &b.crontabs:
		return "crontab runs"
	case &b.accepts:
		return "sshd accepts"
	case &b.logins:
		return "login records"
	}
	return ""
}

// repeated reports whether ev repeats an act list already holds
// RepeatsPerAct times, and counts it then.
func (b *Builder) repeated(list *[]*parser.Event, ev *parser.Event) bool {
	r := &b.repeats
	if r.max == 0 {
		return false
	}
	name := b.repeatList(list)
	if name == "" {
		return false
	}
	if cap(r.act) > 1<<20 {
		r.act = nil // a huge argv's act is not kept for the next event
	}
	r.act = appendLinkAct(append(append(r.act[:0], name...), 0), ev)
	if r.limit > 0 && r.total >= r.limit {
		b.thin()
	}
	kept := r.kept[string(r.act)] // looked up without a copy
	if kept == nil || *kept < r.max {
		if r.limit > 0 && r.total >= r.limit { // one event an act already
			r.full++
			if !r.fullFirst.ok {
				r.fullFirst = whereOf(ev)
			}
			r.fullLast = whereOf(ev)
			return true
		}
		if kept == nil {
			kept = new(int)
			r.kept[string(r.act)] = kept
		}
		*kept++
		r.total++
		return false
	}
	r.overflow(name, r.act, ev)
	return true
}

// overflow counts ev, of act in the list called name, as not kept.
func (r *repeatBound) overflow(name string, act []byte, ev *parser.Event) {
	o := r.over[name]
	if o == nil {
		o = &listOverflow{byAct: map[string]*int{}}
		r.over[name] = o
	}
	o.n++
	n := o.byAct[string(act)]
	if n == nil {
		n = new(int)
		o.byAct[string(act)] = n
	}
	*n++
	if !o.first.ok || ev.Time.Before(o.firstAt) {
		o.first, o.firstAt = whereOf(ev), ev.Time
	}
	if !o.last.ok || !ev.Time.Before(o.lastAt) {
		o.last, o.lastAt = whereOf(ev), ev.Time
	}
}

// thin halves the bound per act until the bounded lists hold fewer than
// their total bound, letting go of each act's events past the new bound
// (the latest of the act: the first are kept) and of the pins they held.
// It stops at one event an act.
func (b *Builder) thin() {
	r := &b.repeats
	for r.total >= r.limit && r.max > 1 {
		r.max = max(r.max/2, 1)
		r.total = 0
		for _, list := range b.repeatLists() {
			name := b.repeatList(list)
			seen := map[string]int{}
			// stays reports whether the event stays in the list
			stays := func(ev *parser.Event) bool {
				if b.heldElsewhere(list, ev) {
					return true // costs the list a pointer only
				}
				act := name + "\x00" + linkAct(ev)
				seen[act]++
				if seen[act] <= r.max {
					r.total++
					return true
				}
				r.overflow(name, []byte(act), ev)
				b.release(list, ev)
				b.kept--
				return false
			}
			// the events unpacked by an earlier Build, then those held
			// (keptlists.go), in the order kept
			out := (*list)[:0]
			for _, ev := range *list {
				if stays(ev) {
					out = append(out, ev)
				}
			}
			clear((*list)[len(out):]) // the events let go are garbage now
			*list = out
			es := b.heldList(list)
			held := (*es)[:0]
			for _, e := range *es {
				if stays(b.heldEvent(e)) {
					held = append(held, e)
				}
			}
			clear((*es)[len(held):])
			*es = held
			for act, n := range seen {
				if k := r.kept[act]; k != nil {
					*k = min(n, r.max)
				} else {
					k := min(n, r.max)
					r.kept[act] = &k
				}
			}
		}
	}
}

// heldElsewhere reports whether another consumer keeps ev whole (a
// finding quotes it: Retain(KeepText)), so that letting it go from list
// would free nothing and lose a finding's own link. Such events stay, and
// count in neither the bound per act nor the total.
func (b *Builder) heldElsewhere(list *[]*parser.Event, ev *parser.Event) bool {
	if !ev.TextRetained() {
		return false
	}
	// the Builder keeps the text of remote accepts and logins itself
	return !(list == &b.accepts || list == &b.logins) || !RemoteAddress(ev.Peer.IP)
}

// release takes back the pins keep (and Observe, for the text of a remote
// login or accept) took for ev in list.
func (b *Builder) release(list *[]*parser.Event, ev *parser.Event) {
	ev.Proc.Unpin() // Retain(KeepFields) in keep
	if (list == &b.accepts || list == &b.logins) && RemoteAddress(ev.Peer.IP) {
		ev.Proc.Unpin() // Retain(KeepText) in Observe
	}
}

// repeatLists are the lists bounded by repeats (repeatList names them).
func (b *Builder) repeatLists() []*[]*parser.Event {
	return []*[]*parser.Event{&b.webExecs, &b.cgiExecs, &b.fileOps, &b.connects, &b.crontabs, &b.accepts, &b.logins}
}

// linkAct is what makes two kept events the same act for linking: host,
// kind, program, and the command, file or address.
func linkAct(ev *parser.Event) string { return string(appendLinkAct(nil, ev)) }

// appendLinkAct appends linkAct(ev) to b: its parts joined by NUL.
func appendLinkAct(b []byte, ev *parser.Event) []byte {
	for i, p := range [...]string{ev.Host, ev.Kind.String(), ev.Exe, ev.Path, ev.OldPath} {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	switch ev.Kind {
	case parser.KindAccept:
		// the client's port changes with every connection: the act is
		// the address it comes from
		return append(append(b, "\x00from "...), ev.Peer.IP...)
	case parser.KindLogin, parser.KindSession:
		// a session of one account from one address (none: cron, su),
		// record by record
		b = append(append(append(b, 0), ev.RecordType...), " of "...)
		b = append(append(append(b, sessionAccount(ev)...), " auid "...), ev.AUID.String()...)
		if ev.Peer.IP != "" {
			b = append(append(b, " from "...), ev.Peer.IP...)
		}
		return b
	}
	if ev.Peer.IP != "" {
		b = append(append(append(b, 0), ev.Peer.IP...), ':')
		b = strconv.AppendInt(b, int64(ev.Peer.Port), 10)
	}
	for _, a := range ev.Args {
		b = append(append(b, 0), a...)
	}
	return b
}

// Dropped says what the Builder's bounds let go, for the report and
// stderr: events of a repeated act not kept for linking. Nil when nothing
// was.
func (b *Builder) Dropped() []string {
	r := &b.repeats
	names := make([]string, 0, len(r.over))
	for n := range r.over {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		o := r.over[name]
		act, n := "", -1
		for a, c := range o.byAct {
			if *c > n || *c == n && a < act {
				act, n = a, *c
			}
		}
		out = append(out, fmt.Sprintf("linking: %d %s were counted, not kept for linking: each repeated an act kept %d times already (%d acts; the most repeated: %s, %d more times); the first at %s, the last at %s; chains are linked by the first %d of each act only (--max-link-repeats raises the bound)",
			o.n, name, r.max, len(o.byAct), describeAct(act), n, o.first, o.last, r.max))
	}
	if r.max < r.asked {
		out = append(out, fmt.Sprintf("linking: the lists of events kept for linking reached their bound of %d events together, so the bound per act was lowered from %d to %d: the events of an act past its first %d were let go and are counted above (--max-link-events raises the bound)",
			r.limit, r.asked, r.max, r.max))
	}
	if r.full > 0 {
		out = append(out, fmt.Sprintf("linking: %d events of acts not yet kept were counted, not kept for linking: the lists held %d events, one of each act, already; the first at %s, the last at %s; chains that need them are not linked (--max-link-events raises the bound)",
			r.full, r.limit, r.fullFirst, r.fullLast))
	}
	return out
}

// describeAct names an act of linkAct for a note, its values from the log
// quoted and cut.
func describeAct(act string) string {
	p := strings.Split(act, "\x00") // list, host, kind, exe, path, oldpath, [peer], args…
	if len(p) < 6 {
		return strconv.Quote(act)
	}
	var what []string
	if p[2] != "" {
		what = append(what, p[2])
	}
	if p[3] != "" {
		what = append(what, "by "+detect.QuoteCut(p[3]))
	}
	rest := p[6:]
	if len(rest) > 0 && strings.Contains(rest[0], ":") && !strings.ContainsAny(rest[0], " /") {
		what = append(what, "to "+rest[0])
		rest = rest[1:]
	}
	if len(rest) > 0 {
		what = append(what, detect.QuoteCut(strings.Join(rest, " ")))
	}
	if p[4] != "" {
		what = append(what, "on "+detect.QuoteCut(p[4]))
	}
	if p[1] != "" {
		what = append(what, "on host "+detect.QuoteCut(p[1]))
	}
	return strings.Join(what, " ")
}

// newRepeatBound reads Options.MaxRepeats and Options.MaxLinkEvents: 0
// is DefaultLinkRepeats or DefaultLinkEvents, negative no bound. The
// total applies only with a bound per act (it works by lowering it).
func newRepeatBound(n, total int) repeatBound {
	switch {
	case n == 0:
		n = DefaultLinkRepeats
	case n < 0:
		n = 0
	}
	switch {
	case n == 0 || total < 0:
		total = 0
	case total == 0:
		total = DefaultLinkEvents
	}
	return repeatBound{max: n, asked: n, limit: total, kept: map[string]*int{}, over: map[string]*listOverflow{}}
}
