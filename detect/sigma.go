package detect

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/parser"
	sigma "github.com/bradleyjkemp/sigma-go"
)

// Rules are parsed by sigma-go (YAML, condition grammar, positions) and
// compiled here into matchers over evalCtx. sigma-go's own evaluator is not
// used: it compares `*`/`?` literally, cannot run keywords, recompiles every
// `|re` per comparison, builds a result map per event and needs the whole
// event as a map; a compiled tree evaluated lazily (short-circuit, values
// computed on first use) is what keeps detection within its time budget.

// fieldRef is a field a rule reads, resolved for the rule's category.
type fieldRef struct {
	id   int // index into evalCtx.vals, unique per (category, name)
	name string
	get  getter
}

// fieldTable hands out field ids for one Engine.
type fieldTable struct {
	ids  map[string]int
	refs []*fieldRef
}

func (t *fieldTable) ref(cat category, name string) (*fieldRef, bool) {
	g, ok := lookupGetter(cat, name)
	if !ok {
		// Absent in this category: the field has no values, so only null
		// and exists:false match, as in any Sigma backend.
		g = func(_ *evalCtx, o []string) []string { return o }
	}
	key := cat.String() + "\x00" + name
	if t.ids == nil {
		t.ids = map[string]int{}
	}
	if id, seen := t.ids[key]; seen {
		return t.refs[id], ok
	}
	r := &fieldRef{id: len(t.refs), name: name, get: g}
	t.ids[key] = r.id
	t.refs = append(t.refs, r)
	return r, ok
}

// fieldMatch is "Field|mods: values".
type fieldMatch struct {
	ref   *fieldRef
	all   bool
	lower bool // some value compares lower-cased text
	vals  []valueMatcher
	multi *multiContains // many plain contains-values, checked in one scan
}

func (f *fieldMatch) eval(c *evalCtx) bool {
	vs := c.values(f.ref)
	var lows []string
	if f.lower {
		lows = c.lowerValues(f.ref)
	}
	if m := f.multi; m != nil {
		for j, v := range vs {
			if !m.cased && lows != nil {
				v = lows[j]
			}
			if m.match(v) {
				return true // "any of": one found value decides
			}
		}
		if len(f.vals) == 0 {
			return false
		}
	}
	for i := range f.vals {
		m := &f.vals[i]
		ok := false
		if m.presence() {
			ok = m.matchPresence(len(vs))
		} else {
			// Arrays (AncestorImages, PATH names, record types) match when
			// any element does, as in EQL and Elastic's Sigma backend.
			for j, v := range vs {
				low := v
				if lows != nil {
					low = lows[j]
				}
				if m.match(v, low) {
					ok = true
					break
				}
			}
		}
		if f.all && !ok {
			return false
		}
		if !f.all && ok {
			return true
		}
	}
	return f.all && len(f.vals) > 0
}

// search is one named search: a list of maps (OR) of fields (AND), or
// keywords matched against the event's raw records.
type search struct {
	name     string
	account  bool // one of accountSearches (loginsession.go)
	maps     [][]*fieldMatch
	keywords []valueMatcher
}

func (s *search) eval(c *evalCtx) bool {
	if c.noAccount && s.account {
		return false // asked without the account's stand-in (loginsession.go)
	}
	if s.keywords != nil {
		raw, low := c.rawText()
		for i := range s.keywords {
			if s.keywords[i].match(raw, low) {
				return true
			}
		}
		return false
	}
	for _, m := range s.maps {
		ok := true
		for _, f := range m {
			if !f.eval(c) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// cond is a compiled condition.
type cond interface{ eval(c *evalCtx) bool }

type andCond []cond
type orCond []cond
type notCond struct{ c cond }
type constCond bool

func (a andCond) eval(c *evalCtx) bool {
	for _, x := range a {
		if !x.eval(c) {
			return false
		}
	}
	return true
}

func (o orCond) eval(c *evalCtx) bool {
	for _, x := range o {
		if x.eval(c) {
			return true
		}
	}
	return false
}

func (n notCond) eval(c *evalCtx) bool { return !n.c.eval(c) }
func (k constCond) eval(*evalCtx) bool { return bool(k) }

// compiled is a rule's detection ready to run.
type compiled struct {
	cond     cond
	searches map[string]*search
	// types, when set, are the audit record types an auditd rule requires
	// (from its "type:" fields): a cheap prefilter on the raw text.
	types []string
	// images, when set, are the lower-cased base names one of which the
	// acting image must have (the rule requires Image|endswith: /NAME):
	// most rules are about one tool, and a map lookup skips them.
	images map[string]bool
	// imageBit is the rule's bit in Engine.byImage, when images is set.
	imageBit int
	// need, when set, is a literal one of which the event must hold for
	// the condition to match (need.go).
	need need
	// also are further needs the condition implies (needOf): an event
	// that meets need must meet them too
	also []need
}

// condSource is one condition of a detection as written, with its line.
type condSource struct {
	text string
	line int
}

// compileDetection compiles a sigma-go Detection's searches and the
// detection's conditions (condition.go) for a category. Problems that make
// the rule unusable are returned as errors; partial support is reported in
// notes.
func compileDetection(ft *fieldTable, cat category, d sigma.Detection, conds []condSource) (*compiled, []problemAt, error) {
	var notes []problemAt
	c := &compiled{searches: map[string]*search{}}
	names := make([]string, 0, len(d.Searches))
	for n := range d.Searches {
		names = append(names, n)
	}
	sort.Strings(names) // determinism: "1 of them" and error order
	for _, name := range names {
		s := d.Searches[name]
		line := searchLine(s)
		cs := &search{name: name, account: slices.Contains(accountSearches, name)}
		if len(s.Keywords) > 0 {
			mods := modifiers{op: opContains}
			for _, k := range s.Keywords {
				vm, err := compileValues(mods, []any{k})
				if err != nil {
					return nil, notes, atLine(line, fmt.Errorf("keyword in %s: %w", name, err))
				}
				cs.keywords = append(cs.keywords, vm...)
			}
			notes = append(notes, problemAt{line, fmt.Sprintf("search %s: keywords are matched against the event's raw audit records", name)})
		}
		for _, em := range s.EventMatchers {
			var fms []*fieldMatch
			for _, fm := range em {
				fl := fieldLine(fm, line)
				mods := parseModifiers(fm.Modifiers)
				if len(mods.unsupported) > 0 {
					return nil, notes, atLine(fl, fmt.Errorf("field %s: unsupported modifier %s", fm.Field, strings.Join(mods.unsupported, ", ")))
				}
				ref, ok := ft.ref(cat, fm.Field)
				if !ok {
					notes = append(notes, problemAt{fl, fmt.Sprintf("field %s is not provided for %s events (always absent)", fm.Field, cat)})
				}
				vals, err := compileValues(mods, fm.Values)
				if err != nil {
					return nil, notes, atLine(fl, fmt.Errorf("field %s: %w", fm.Field, err))
				}
				m := &fieldMatch{ref: ref, all: mods.all, vals: vals}
				for i := range vals {
					if vals[i].needsLower() {
						m.lower = true
					}
				}
				m.buildMulti()
				fms = append(fms, m)
			}
			// cheap comparisons first: a map is an AND without side effects
			sort.SliceStable(fms, func(i, j int) bool { return fieldCost(fms[i]) < fieldCost(fms[j]) })
			cs.maps = append(cs.maps, fms)
		}
		c.searches[name] = cs
	}
	if len(conds) == 0 {
		return nil, notes, fmt.Errorf("detection has no condition")
	}
	var all orCond // a list of conditions means any of them (Sigma 1.0)
	for _, cs := range conds {
		x, err := parseCondition(cs.text, c.searches, names)
		if err != nil {
			return nil, notes, atLine(cs.line, err)
		}
		all = append(all, x)
	}
	if len(all) == 1 {
		c.cond = all[0]
	} else {
		c.cond = all
	}
	c.cond = cheapFirst(c.cond)
	if cat == catAuditd {
		c.types = requiredTypes(c.cond)
	}
	c.need, c.also = needOf(c.cond)
	if names := requiredImages(c.cond); names != nil {
		c.images = map[string]bool{}
		for _, n := range names {
			c.images[n] = true
		}
	}
	return c, notes, nil
}

// requiredTypes returns the record types an auditd condition needs (any
// of), or nil when it cannot tell.
func requiredTypes(c cond) []string {
	return required(c, func(m []*fieldMatch) []string {
		var t []string
		for _, f := range m {
			if f.ref.name != "type" || f.all {
				continue
			}
			for _, v := range f.vals {
				if v.op != opEq {
					return nil
				}
				t = append(t, strings.ToUpper(v.s))
			}
		}
		return t
	})
}

// required walks a condition for values every match must have one of: a
// search needs one of its maps' values (nil when a map has none, or for
// keywords), an AND the first part that needs some, an OR all of its
// parts' values together.
func required(c cond, fromMap func(m []*fieldMatch) []string) []string {
	switch x := c.(type) {
	case *search:
		if x.keywords != nil || len(x.maps) == 0 {
			return nil
		}
		var union []string
		for _, m := range x.maps {
			v := fromMap(m)
			if v == nil {
				return nil
			}
			union = append(union, v...)
		}
		return union
	case andCond:
		for _, sub := range x {
			if v := required(sub, fromMap); v != nil {
				return v
			}
		}
	case orCond:
		var union []string
		for _, sub := range x {
			v := required(sub, fromMap)
			if v == nil {
				return nil
			}
			union = append(union, v...)
		}
		return union
	}
	return nil
}

func searchLine(s sigma.Search) (line int) {
	defer func() {
		if recover() != nil { // Position dereferences an unexported node
			line = 0
		}
	}()
	l, _ := s.Position()
	return l + 1
}

func fieldLine(f sigma.FieldMatcher, def int) (line int) {
	defer func() {
		if recover() != nil {
			line = def
		}
	}()
	l, _ := f.Position()
	return l + 1
}

func fieldCost(f *fieldMatch) int {
	n := 0
	if f.multi != nil {
		n += f.multi.n // ordered as the values it holds were
	}
	for _, v := range f.vals {
		switch v.op {
		case opRegexp:
			n += 40
		case opGlob:
			n += 3
		default:
			n++
		}
	}
	return n
}

// cost estimates what evaluating a condition costs: one per compared
// value, more for regular expressions and for fields that walk the tree.
func cost(c cond) int {
	switch x := c.(type) {
	case *search:
		if x.keywords != nil {
			return 50 * len(x.keywords)
		}
		n := 0
		for _, m := range x.maps {
			for _, f := range m {
				n += fieldCost(f)
			}
		}
		return n
	case andCond:
		n := 0
		for _, sub := range x {
			n += cost(sub)
		}
		return n
	case orCond:
		n := 0
		for _, sub := range x {
			n += cost(sub)
		}
		return n
	case notCond:
		return cost(x.c)
	}
	return 1
}

// cheapFirst orders the operands of and/or by cost. Sigma conditions have
// no side effects, so the order changes only how soon evaluation stops:
// a rule whose cheap "Image|endswith: /crontab" fails never runs its
// regular expressions.
func cheapFirst(c cond) cond {
	switch x := c.(type) {
	case andCond:
		for i := range x {
			x[i] = cheapFirst(x[i])
		}
		sort.SliceStable(x, func(i, j int) bool { return cost(x[i]) < cost(x[j]) })
		return x
	case orCond:
		for i := range x {
			x[i] = cheapFirst(x[i])
		}
		sort.SliceStable(x, func(i, j int) bool { return cost(x[i]) < cost(x[j]) })
		return x
	case notCond:
		return notCond{cheapFirst(x.c)}
	}
	return c
}

// typeKinds narrows an auditd rule that names its record types to the
// event kinds that can hold them (nil: any kind). Records that start an
// event of their own decide its kind (parser/normalize.go); CONFIG_CHANGE
// and OBJ_PID also ride on syscall events (auditctl's sendto, kill).
func typeKinds(types []string) []parser.Kind {
	var out []parser.Kind
	add := func(ks ...parser.Kind) {
		for _, k := range ks {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	for _, t := range types {
		switch {
		case strings.HasPrefix(t, "DAEMON_"):
			add(parser.KindDaemon, parser.KindOther)
		case t == "CONFIG_CHANGE":
			add(parser.KindConfig, parser.KindSyscall, parser.KindOther)
		case t == "OBJ_PID":
			add(parser.KindSyscall, parser.KindOther)
		case t == "EXECVE":
			add(parser.KindExec)
		case strings.HasPrefix(t, "USER_") || strings.HasPrefix(t, "CRED_") || t == "LOGIN" || t == "ADD_USER" || t == "ADD_GROUP":
			add(parser.KindLogin, parser.KindSession, parser.KindOther)
		default:
			return nil
		}
	}
	return out
}

// requiredImages returns the base names an Image|endswith condition
// requires (any of), or nil when the condition does not require one.
func requiredImages(c cond) []string {
	return required(c, func(m []*fieldMatch) []string {
		var names []string
		for _, f := range m {
			if f.ref.name != "Image" || f.all || names != nil {
				continue
			}
			for _, v := range f.vals {
				if v.op != opSuffix || v.cased || !strings.HasPrefix(v.s, "/") || len(v.s) < 2 || strings.Contains(v.s[1:], "/") {
					return nil
				}
				names = append(names, v.s[1:])
			}
		}
		return names
	})
}
