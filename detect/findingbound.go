package detect

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A finding keeps its events, their record text and its processes (pinned
// in the tree) to the end of a scan, so findings are the memory that grows
// with a log: a long archive of a host attacked again and again, or a web
// server whose workers run the same health check every minute, gives tens
// of thousands of findings. Most of them repeat an act already listed: the
// same rule on the same host for the same command and target. Two bounds
// keep that memory flat, and the report says what each let go
// (Engine.Dropped):
//
//   - DefaultRepeatsPerAct: the same act is listed this many times; its
//     later repeats are counted. The busiest lab capture (benign-apache)
//     repeats one act 111 times; the busy-server benchmark log 2500 times
//     in 200 MB, and the intrusion in it, with commands of its own, is
//     still listed.
//   - DefaultFindingsPerRule: one rule on one host lists this many
//     findings in all, whatever the acts: the bound for commands that never
//     repeat exactly (an id or a time in each).
const (
	DefaultRepeatsPerAct   = 200
	DefaultFindingsPerRule = 5000
)

// findingBound counts findings per act and per rule and host, and says
// which to keep. A zero bound is no bound.
type findingBound struct {
	perAct, perRule int
	acts            map[string]*int  // act (appendActKey) → findings kept; a pointer: counted without making the act a string
	rules           map[boundKey]int // findings kept
	over            map[boundKey]*overflow
	// key is the act of the finding at hand, built in place: on a long
	// archive most findings repeat an act already listed
	key []byte
}

type boundKey struct{ host, rule string }

// overflow is what the bounds let go for one rule and host.
type overflow struct {
	repeats, past int             // counted past perAct, past perRule
	byAct         map[string]*int // act → repeats counted
	first, last   findingAt       // the first and last finding not kept
}

// findingAt is where a finding's event starts, kept as its position and
// written out (file:line, "-" without an event) only for the report.
type findingAt struct {
	pos   parser.Pos
	event bool
}

func (a findingAt) String() string {
	if !a.event {
		return "-"
	}
	return a.pos.String()
}

// newFindingBound reads Options' bounds: 0 is the default, negative no
// bound.
func newFindingBound(perAct, perRule int) findingBound {
	return findingBound{perAct: orDefault(perAct, DefaultRepeatsPerAct), perRule: orDefault(perRule, DefaultFindingsPerRule),
		acts: map[string]*int{}, rules: map[boundKey]int{}, over: map[boundKey]*overflow{}}
}

func orDefault(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return n
}

// appendActKey appends to b what makes two findings the same act: host,
// rule, program, target, address, operation and command line, joined by
// NUL.
func appendActKey(b []byte, f *Finding) []byte {
	b = append(append(append(b, f.Host...), 0), f.RuleID...)
	ev := f.Event
	if ev == nil {
		return b
	}
	exe, args := ev.Exe, ev.Args
	if f.Process != nil && exe == "" {
		exe, args = f.Process.Exe, f.Process.Args
	}
	b = append(append(append(append(b, 0), exe...), 0), ev.Path...)
	b = append(append(append(b, 0), ev.Peer.IP...), 0)
	b = strconv.AppendInt(b, int64(ev.Peer.Port), 10)
	b = append(append(b, 0), ev.Op...)
	for _, a := range args {
		b = append(append(b, 0), a...)
	}
	return b
}

// keep reports whether f is within its bounds, and counts it when it is
// not.
func (b *findingBound) keep(f *Finding) bool {
	if b.perAct == 0 && b.perRule == 0 {
		return true
	}
	k := boundKey{f.Host, f.RuleID}
	if cap(b.key) > 1<<20 {
		b.key = nil // a huge argv's act is not kept for the next finding
	}
	b.key = appendActKey(b.key[:0], f)
	kept := b.acts[string(b.key)] // looked up without a copy
	repeat := b.perAct > 0 && kept != nil && *kept >= b.perAct
	if !repeat && (b.perRule == 0 || b.rules[k] < b.perRule) {
		if kept == nil {
			kept = new(int)
			b.acts[string(b.key)] = kept
		}
		*kept++
		b.rules[k]++
		return true
	}
	o := b.over[k]
	if o == nil {
		o = &overflow{byAct: map[string]*int{}}
		b.over[k] = o
	}
	if repeat {
		o.repeats++
		// an act kept perAct times: the map is no larger than the kept findings
		n := o.byAct[string(b.key)]
		if n == nil {
			n = new(int)
			o.byAct[string(b.key)] = n
		}
		*n++
	} else {
		o.past++
	}
	at := findingAt{}
	if f.Event != nil {
		at = findingAt{f.Event.FirstEvidence().Pos, true}
	}
	if o.repeats+o.past == 1 {
		o.first = at
	}
	o.last = at
	return false
}

// notes says, rule by rule, what the bounds let go; nil when nothing.
func (b *findingBound) notes() []string {
	keys := make([]boundKey, 0, len(b.over))
	for k := range b.over {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].host != keys[j].host {
			return keys[i].host < keys[j].host
		}
		return keys[i].rule < keys[j].rule
	})
	var out []string
	for _, k := range keys {
		o := b.over[k]
		host := ""
		if k.host != "" {
			host = " on host " + k.host
		}
		var why []string
		if o.repeats > 0 {
			act, n := mostRepeated(o.byAct)
			why = append(why, fmt.Sprintf("%d repeated an act listed %d times already (%d acts; the most repeated: %s, %d more times)",
				o.repeats, b.perAct, len(o.byAct), act, n))
		}
		if o.past > 0 {
			why = append(why, fmt.Sprintf("%d came past the bound of %d findings per rule and host", o.past, b.perRule))
		}
		out = append(out, fmt.Sprintf("detection: rule %s%s: %d further findings were counted, not kept: %s; the first at %s, the last at %s (--max-repeats, --max-findings-per-rule raise the bounds)",
			k.rule, host, o.repeats+o.past, strings.Join(why, "; "), o.first, o.last))
	}
	return out
}

// mostRepeated describes the act counted most often (the first in key
// order on a tie) and returns how often.
func mostRepeated(byAct map[string]*int) (string, int) {
	best, n := "", -1
	for act, c := range byAct {
		if *c > n || *c == n && act < best {
			best, n = act, *c
		}
	}
	parts := strings.Split(best, "\x00") // host, rule, exe, path, ip, port, op, args…
	var what []string
	if len(parts) > 7 {
		what = append(what, QuoteCut(strings.Join(parts[7:], " ")))
	}
	if len(parts) > 2 && parts[2] != "" {
		what = append(what, "by "+QuoteCut(parts[2]))
	}
	if len(parts) > 3 && parts[3] != "" {
		what = append(what, "on "+QuoteCut(parts[3]))
	}
	if len(parts) > 5 && parts[4] != "" {
		what = append(what, "to "+parts[4]+":"+parts[5])
	}
	if len(what) == 0 {
		return "the same event", n
	}
	return strings.Join(what, " "), n
}

// QuoteCut quotes a value read from the log for a note: control bytes
// escaped, at most 120 bytes of it.
func QuoteCut(s string) string {
	if len(s) > 120 {
		return strconv.Quote(s[:120]) + "…"
	}
	return strconv.Quote(s)
}
