package detect

import (
	"slices"
	"strconv"
	"strings"
)

// A rule is evaluated on every event of its kinds, and most rules look for
// something few events have: a wiper's name, a miner's option, a path
// under /var/log. Evaluated in full, a rule on a busy server's routine
// exec walks its whole condition (ancestry, web context, lists) to say no.
// need is a check the rule's condition implies: one of some literals in
// the lower-cased values of a field (or of one of a few fields). An event
// without any of them cannot match, and the rule is skipped before its
// condition runs.
//
// The check is derived from the compiled condition, never written by
// hand: each comparison of a value implies that the value's lower case
// holds the expected text's lower case (equal, prefix, suffix, contains,
// a glob's longest part, a regexp's required literals: prefilter.go); an
// AND needs what any one of its parts needs, an OR what all of its parts
// need together (see needs). A NOT, keywords, presence tests and numeric
// or CIDR comparisons imply nothing. FuzzNeed and TestNeedLab check that a
// need never rejects an event its rule matches.

// needFields are the fields a need may test: their values depend on the
// event, its process and what the engine learned before the event's rules
// run (the servers, learned by observeServers), never on what running the
// rules of the same event changes. The field cache computes a value once
// per event, so testing one early must give what the condition reads.
var needFields = map[string]bool{
	"CommandLine": true, "Image": true, "ParentImage": true, "ParentCommandLine": true,
	"ShellCommand": true, "EditedFile": true,
	// a file event's own paths: the web server's routine writes (sessions,
	// uploads, caches) ran every persistence rule's lists of places
	"TargetFilename": true, "SourceFilename": true,
}

// clause is "some value of ref, lower-cased, contains one of lits".
type clause struct {
	ref  *fieldRef
	lits []string
	// tab and mask, once the engine indexed its rules' needs
	// (needindex.go): the field's literal table and the bits of lits in it
	tab  *litTable
	mask []uint64
}

// need is met when one of its clauses is, one clause per field at most,
// in the order of the fields' ids.
type need []clause

// key names the fields a need tests.
func (n need) key() string {
	var b strings.Builder
	for _, c := range n {
		b.WriteString(strconv.Itoa(c.ref.id))
		b.WriteByte(',')
	}
	return b.String()
}

// maxNeedLits bounds the literals of one clause. The engine looks for all
// of a field's literals in one scan (needindex.go), so a clause may hold
// many more than a regexp's prefilter (maxChecks): the headline rule's
// thirty kinds of suspicious command are one clause.
const maxNeedLits = 256

// newNeed groups clauses by field, their literals together, each cut to
// at most maxNeedLits (shrink); nil when one cannot be, or a literal is
// too short to tell anything.
func newNeed(cs []clause) need {
	var out need
	for _, c := range cs {
		i := slices.IndexFunc(out, func(o clause) bool { return o.ref == c.ref })
		if i < 0 {
			out = append(out, clause{ref: c.ref})
			i = len(out) - 1
		}
		out[i].lits = append(out[i].lits, c.lits...)
	}
	for i := range out {
		out[i].lits = shrink(out[i].lits, maxNeedLits)
		if out[i].lits == nil {
			return nil
		}
		for _, l := range out[i].lits {
			if len(l) < minLiteral {
				return nil
			}
		}
	}
	slices.SortFunc(out, func(a, b clause) int { return a.ref.id - b.ref.id })
	return out
}

// needOf returns the most selective need a condition implies, or nil, and
// up to maxAlso others it implies as well (also): each is implied on its
// own, so an event must meet all of them. A rule whose most selective need
// names common text ("-o " of a miner's options) may imply rarer text in
// another part of the same AND (the option's name in its regexp).
func needOf(c cond) (best need, also []need) {
	var all []need
	for _, conj := range needsOf(c) {
		all = append(all, conj...)
	}
	slices.SortFunc(all, needOrder) // a map's keys come in any order
	if len(all) == 0 {
		return nil, nil
	}
	if len(all) > 1+maxAlso {
		all = all[:1+maxAlso]
	}
	return all[0], all[1:]
}

// maxAlso bounds the needs checked after the first: each is a bit-set
// test once the field's literals were looked for (needindex.go).
const maxAlso = 2

// maxConj bounds the needs kept for one set of fields.
const maxConj = 3

// needs are what a condition implies, at most maxConj for each set of
// fields (all of them implied: a conjunction, most selective first): an
// AND implies what any of its parts implies; an OR, of the needs of one
// set of fields that every part has, their literals together, and else
// the most selective need of each part together.
type needs map[string][]need

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
			for _, conj := range needsOf(sub) {
				for _, n := range conj {
					and.and(n)
				}
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

// and adds n (nil: nothing) to the needs of its fields, most selective
// first, at most maxConj.
func (ns needs) and(n need) {
	if n == nil {
		return
	}
	k := n.key()
	conj := ns[k]
	for _, o := range conj {
		if sameNeed(o, n) {
			return
		}
	}
	i := 0
	for i < len(conj) && needOrder(conj[i], n) < 0 {
		i++
	}
	conj = slices.Insert(conj, i, n)
	if len(conj) > maxConj {
		conj = conj[:maxConj]
	}
	ns[k] = conj
}

// needOrder orders needs most selective first (as better), and needs as
// selective as each other by their fields and literals, so that which are
// kept never depends on the order of a map's keys.
func needOrder(a, b need) int {
	if sa, sb := a.shortest(), b.shortest(); sa != sb {
		return sb - sa
	}
	if ca, cb := a.count(), b.count(); ca != cb {
		return ca - cb
	}
	return strings.Compare(a.text(), b.text())
}

// text is the need's fields and literals, for needOrder.
func (n need) text() string {
	var b strings.Builder
	for _, c := range n {
		b.WriteString(strconv.Itoa(c.ref.id))
		for _, l := range c.lits {
			b.WriteByte(0)
			b.WriteString(l)
		}
		b.WriteByte(1)
	}
	return b.String()
}

// sameNeed reports whether two needs test the same literals of the same
// fields.
func sameNeed(a, b need) bool {
	return slices.EqualFunc(a, b, func(x, y clause) bool {
		return x.ref == y.ref && slices.Equal(x.lits, y.lits)
	})
}

// anyOf is what one of the alternatives implies.
func anyOf(alts []needs) needs {
	if len(alts) == 0 {
		return nil
	}
	out := needs{}
	for k := range alts[0] {
		// the j-th need of each alternative's conjunction (its last when
		// it has fewer), their literals together: each is implied
		for j := 0; j < maxConj; j++ {
			var cs []clause
			more := false
			for _, a := range alts {
				conj, ok := a[k]
				if !ok {
					cs = nil
					break
				}
				more = more || j < len(conj)
				cs = append(cs, conj[min(j, len(conj)-1)]...)
			}
			if cs == nil || !more {
				break
			}
			out.and(newNeed(cs))
		}
	}
	// fields that differ: one of each part's best
	var cs []clause
	for _, a := range alts {
		var best need
		for _, conj := range a {
			best = better(best, conj[0])
		}
		if best == nil {
			return out
		}
		cs = append(cs, best...)
	}
	out.and(newNeed(cs))
	return out
}

// fieldNeed is what one field's comparisons imply.
func fieldNeed(f *fieldMatch) need {
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
		var best need
		for _, l := range sets {
			best = better(best, newNeed([]clause{{ref: f.ref, lits: l}}))
		}
		return best
	}
	var l []string
	for _, s := range sets {
		l = append(l, s...)
	}
	return newNeed([]clause{{ref: f.ref, lits: l}})
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

// better returns the more selective of two needs (the longer shortest
// literal; fewer literals on a tie), either when the other is nil.
func better(a, b need) need {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if sa, sb := a.shortest(), b.shortest(); sb > sa || (sb == sa && b.count() < a.count()) {
		return b
	}
	return a
}

func (n need) shortest() int {
	s := -1
	for _, c := range n {
		if l := shortest(c.lits); s < 0 || l < s {
			s = l
		}
	}
	return s
}

func (n need) count() int {
	k := 0
	for _, c := range n {
		k += len(c.lits)
	}
	return k
}

// metAll reports whether the event can meet a rule's need and its others.
func metAll(n need, also []need, c *evalCtx) bool {
	if n == nil {
		return true
	}
	if !n.met(c) {
		return false
	}
	for _, a := range also {
		if !a.met(c) {
			return false
		}
	}
	return true
}

// met reports whether the event can meet the need.
func (n need) met(c *evalCtx) bool {
	for i := range n {
		cl := &n[i]
		if cl.tab != nil {
			found := c.litsFound(cl.ref, cl.tab)
			for j, m := range cl.mask {
				if found[j]&m != 0 {
					return true
				}
			}
			continue
		}
		for _, v := range c.lowerValues(cl.ref) {
			for _, l := range cl.lits {
				if strings.Contains(v, l) {
					return true
				}
			}
		}
	}
	return false
}
