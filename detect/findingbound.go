package detect

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	acts            map[string]int   // act (actKey) → findings kept
	rules           map[boundKey]int // findings kept
	over            map[boundKey]*overflow
}

type boundKey struct{ host, rule string }

// overflow is what the bounds let go for one rule and host.
type overflow struct {
	repeats, past int            // counted past perAct, past perRule
	byAct         map[string]int // act → repeats counted
	first, last   string         // file:line of the first and last finding not kept
}

// newFindingBound reads Options' bounds: 0 is the default, negative no
// bound.
func newFindingBound(perAct, perRule int) findingBound {
	return findingBound{perAct: orDefault(perAct, DefaultRepeatsPerAct), perRule: orDefault(perRule, DefaultFindingsPerRule),
		acts: map[string]int{}, rules: map[boundKey]int{}, over: map[boundKey]*overflow{}}
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

// actKey is what makes two findings the same act: rule, host, program,
// command line and target.
func actKey(f *Finding) string {
	var b strings.Builder
	b.WriteString(f.Host)
	b.WriteByte(0)
	b.WriteString(f.RuleID)
	ev := f.Event
	if ev == nil {
		return b.String()
	}
	exe, args := ev.Exe, ev.Args
	if f.Process != nil && exe == "" {
		exe, args = f.Process.Exe, f.Process.Args
	}
	for _, s := range append([]string{exe, ev.Path, ev.Peer.IP, strconv.Itoa(ev.Peer.Port), ev.Op}, args...) {
		b.WriteByte(0)
		b.WriteString(s)
	}
	return b.String()
}

// keep reports whether f is within its bounds, and counts it when it is
// not.
func (b *findingBound) keep(f *Finding) bool {
	if b.perAct == 0 && b.perRule == 0 {
		return true
	}
	k := boundKey{f.Host, f.RuleID}
	act := actKey(f)
	repeat := b.perAct > 0 && b.acts[act] >= b.perAct
	if !repeat && (b.perRule == 0 || b.rules[k] < b.perRule) {
		b.acts[act]++
		b.rules[k]++
		return true
	}
	o := b.over[k]
	if o == nil {
		o = &overflow{byAct: map[string]int{}}
		b.over[k] = o
	}
	if repeat {
		o.repeats++
		o.byAct[act]++ // an act kept perAct times: the map is no larger than the kept findings
	} else {
		o.past++
	}
	at := "-"
	if f.Event != nil {
		at = f.Event.FirstEvidence().Pos.String()
	}
	if o.first == "" {
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
func mostRepeated(byAct map[string]int) (string, int) {
	best, n := "", -1
	for act, c := range byAct {
		if c > n || c == n && act < best {
			best, n = act, c
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
