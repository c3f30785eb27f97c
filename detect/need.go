package detect

import (
	"strings"
)

// A rule is evaluated on every event of its kinds, and most rules look for
// something few events have: a wiper's name, a miner's option, a path
// under /var/log. Evaluated in full, a rule on a busy server's routine
// exec walks its whole condition (ancestry, web context, lists) to say no.
// need is a check the rule's condition implies: one of a few literals in
// one field's lower-cased values. An event without any of them cannot
// match, and the rule is skipped before its condition runs.
//
// The check is derived from the compiled condition, never written by
// hand: each comparison of a value implies that the value's lower case
// holds the expected text's lower case (equal, prefix, suffix, contains,
// a glob's parts, a regexp's required literals: prefilter.go); an AND
// needs what any one of its parts needs, an OR what all of its parts need
// together. A NOT, keywords, presence tests and numeric or CIDR
// comparisons imply nothing. FuzzNeed checks that a need never rejects an
// event its rule matches.

// needFields are the fields a need may test: their values depend on the
// event and its process only, never on what the engine learns while it
// runs the rules of the same event (the field cache computes a value once
// per event, so testing one early must give what the condition reads).
var needFields = map[string]bool{
	"CommandLine": true, "Image": true, "ParentImage": true, "ParentCommandLine": true,
}

// need is "some value of ref, lower-cased, contains one of lits".
type need struct {
	ref  *fieldRef
	lits []string
}

// needOf returns the most selective need a condition implies, or nil.
func needOf(c cond) *need {
	var best *need
	for _, n := range needsOf(c) {
		best = better(best, n)
	}
	return best
}

// needs are what a condition implies, at most one need per field: an AND
// implies each field's need of any part, an OR only what every part
// implies of one field, the parts' literals together.
type needs map[*fieldRef]*need

func needsOf(c cond) needs {
	switch x := c.(type) {
	case *search:
		if x.keywords != nil || len(x.maps) == 0 {
			return nil
		}
		all := make([]needs, 0, len(x.maps))
		for _, m := range x.maps {
			and := needs{}
			for _, f := range m {
				and.and(fieldNeed(f))
			}
			all = append(all, and)
		}
		return anyOf(all)
	case andCond:
		and := needs{}
		for _, sub := range x {
			for _, n := range needsOf(sub) {
				and.and(n)
			}
		}
		return and
	case orCond:
		all := make([]needs, 0, len(x))
		for _, sub := range x {
			all = append(all, needsOf(sub))
		}
		return anyOf(all)
	}
	return nil
}

// and adds n (nil: nothing) where it is more selective.
func (ns needs) and(n *need) {
	if n != nil {
		ns[n.ref] = better(ns[n.ref], n)
	}
}

// anyOf is what one of the alternatives implies.
func anyOf(alts []needs) needs {
	if len(alts) == 0 {
		return nil
	}
	out := needs{}
	for ref := range alts[0] {
		var l []string
		for _, a := range alts {
			n := a[ref]
			if n == nil {
				l = nil
				break
			}
			l = append(l, n.lits...)
		}
		if l != nil {
			out.and(checked(&need{ref: ref, lits: l}))
		}
	}
	return out
}

// fieldNeed is what one field's comparisons imply.
func fieldNeed(f *fieldMatch) *need {
	if !needFields[f.ref.name] {
		return nil
	}
	var sets [][]string
	if f.multi != nil {
		var l []string
		for _, vs := range f.multi.starts {
			for _, v := range vs {
				l = append(l, strings.ToLower(v))
			}
		}
		sets = append(sets, l)
	}
	for i := range f.vals {
		l := valueLits(&f.vals[i])
		if f.all {
			// every comparison must hold: one of them is enough to need
			if l != nil {
				sets = append(sets, l)
			}
			continue
		}
		if l == nil {
			return nil // this one alone may match: nothing is needed
		}
		sets = append(sets, l)
	}
	if len(sets) == 0 {
		return nil
	}
	if f.all {
		var best *need
		for _, l := range sets {
			best = better(best, checked(&need{ref: f.ref, lits: l}))
		}
		return best
	}
	var l []string
	for _, s := range sets {
		l = append(l, s...)
	}
	return checked(&need{ref: f.ref, lits: l})
}

// valueLits returns lower-case strings one of which a value the matcher
// accepts holds in its lower case, or nil.
func valueLits(m *valueMatcher) []string {
	switch m.op {
	case opEq, opContains, opPrefix, opSuffix:
		return []string{strings.ToLower(m.s)}
	case opGlob:
		longest := ""
		for _, p := range m.parts {
			if len(p) > len(longest) {
				longest = p
			}
		}
		return []string{strings.ToLower(longest)}
	case opRegexp:
		if m.lits == nil {
			return nil
		}
		return lowerAll(m.lits)
	}
	return nil
}

// checked cuts a need to at most maxChecks literals (shrink), and returns
// nil when that fails or a literal is too short to tell anything.
func checked(n *need) *need {
	n.lits = shrink(n.lits, maxChecks)
	if n.lits == nil {
		return nil
	}
	for _, l := range n.lits {
		if len(l) < minLiteral {
			return nil
		}
	}
	return n
}

// better returns the more selective of two needs (the longer shortest
// literal; fewer literals on a tie), either when the other is nil.
func better(a, b *need) *need {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if sa, sb := shortest(a.lits), shortest(b.lits); sb > sa || (sb == sa && len(b.lits) < len(a.lits)) {
		return b
	}
	return a
}

// met reports whether the event can meet the need.
func (n *need) met(c *evalCtx) bool {
	for _, v := range c.lowerValues(n.ref) {
		for _, l := range n.lits {
			if strings.Contains(v, l) {
				return true
			}
		}
	}
	return false
}
