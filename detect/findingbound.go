package detect

import (
	"fmt"
	"sort"
)

// DefaultFindingsPerRule is how many findings of one rule on one host a
// scan keeps with their evidence. A finding keeps its events, their
// record text and its processes (pinned in the tree) to the end of the
// scan, so findings are the memory that grows with a log: a long archive
// of a host attacked again and again (or a web server whose workers run a
// shell every minute) gives tens of thousands of findings of a few rules.
// Past the bound a rule's findings on that host are counted, not kept, and
// the report says so (Engine.Dropped). The busiest lab capture
// (benign-apache) has 329 findings of its noisiest rule.
const DefaultFindingsPerRule = 1000

// findingBound counts findings per rule and host and says which to keep.
type findingBound struct {
	max  int // 0: no bound
	kept map[boundKey]int
	over map[boundKey]*overflow
}

type boundKey struct{ host, rule string }

// overflow is what a bound let go for one rule and host.
type overflow struct {
	n           int
	first, last string // file:line of the first and last finding not kept
}

// newFindingBound reads Options.FindingsPerRule: 0 is the default,
// negative no bound.
func newFindingBound(n int) findingBound {
	switch {
	case n == 0:
		n = DefaultFindingsPerRule
	case n < 0:
		n = 0
	}
	return findingBound{max: n, kept: map[boundKey]int{}, over: map[boundKey]*overflow{}}
}

// keep reports whether f is within its rule's bound on its host, and
// counts it when it is not.
func (b *findingBound) keep(f *Finding) bool {
	if b.max == 0 {
		return true
	}
	k := boundKey{f.Host, f.RuleID}
	if b.kept[k] < b.max {
		b.kept[k]++
		return true
	}
	o := b.over[k]
	if o == nil {
		o = &overflow{}
		b.over[k] = o
	}
	o.n++
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

// notes says, rule by rule, what the bound let go; nil when nothing.
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
		out = append(out, fmt.Sprintf("detection: rule %s%s: %d further findings past the bound of %d per rule and host were counted, not kept (the first at %s, the last at %s); --max-findings-per-rule raises the bound",
			k.rule, host, o.n, b.max, o.first, o.last))
	}
	return out
}
