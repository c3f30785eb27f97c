package timeline

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

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

// repeatBound counts the kept events of each act, list by list.
type repeatBound struct {
	max  int            // 0: no bound
	kept map[string]int // act → events kept
	over map[string]*listOverflow
}

// listOverflow is what the bound let go from one list.
type listOverflow struct {
	n           int
	byAct       map[string]int // act → repeats counted; no larger than the kept acts
	first, last string         // positions (positionOf) of the first and last not kept
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
	act := name + "\x00" + linkAct(ev)
	if r.kept[act] < r.max {
		r.kept[act]++
		return false
	}
	o := r.over[name]
	if o == nil {
		o = &listOverflow{byAct: map[string]int{}}
		r.over[name] = o
	}
	o.n++
	o.byAct[act]++
	if o.first == "" {
		o.first = positionOf(ev)
	}
	o.last = positionOf(ev)
	return true
}

// linkAct is what makes two kept events the same act for linking: host,
// kind, program, and the command, file or address.
func linkAct(ev *parser.Event) string {
	parts := []string{ev.Host, ev.Kind.String(), ev.Exe, ev.Path, ev.OldPath}
	switch ev.Kind {
	case parser.KindAccept:
		// the client's port changes with every connection: the act is
		// the address it comes from
		return strings.Join(append(parts, "from "+ev.Peer.IP), "\x00")
	case parser.KindLogin, parser.KindSession:
		// a session of one account from one address (none: cron, su),
		// record by record
		s := ev.RecordType + " of " + sessionAccount(ev) + " auid " + ev.AUID.String()
		if ev.Peer.IP != "" {
			s += " from " + ev.Peer.IP
		}
		return strings.Join(append(parts, s), "\x00")
	}
	if ev.Peer.IP != "" {
		parts = append(parts, ev.Peer.IP+":"+strconv.Itoa(ev.Peer.Port))
	}
	return strings.Join(append(parts, ev.Args...), "\x00")
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
			if c > n || c == n && a < act {
				act, n = a, c
			}
		}
		out = append(out, fmt.Sprintf("linking: %d %s were counted, not kept for linking: each repeated an act kept %d times already (%d acts; the most repeated: %s, %d more times); the first at %s, the last at %s; chains are linked by the first %d of each act only (--max-link-repeats raises the bound)",
			o.n, name, r.max, len(o.byAct), describeAct(act), n, o.first, o.last, r.max))
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

// newRepeatBound reads Options.MaxRepeats: 0 is DefaultLinkRepeats,
// negative no bound.
func newRepeatBound(n int) repeatBound {
	switch {
	case n == 0:
		n = DefaultLinkRepeats
	case n < 0:
		n = 0
	}
	return repeatBound{max: n, kept: map[string]int{}, over: map[string]*listOverflow{}}
}
