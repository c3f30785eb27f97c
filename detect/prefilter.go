package detect

import (
	"regexp/syntax"
	"strings"
)

// Regular expressions are most of the engine's time: a web server's
// routine shells (a health check every few seconds) run the headline
// rule's suspicious-argument patterns, and almost none match. Before
// running a regexp we look for a literal that every match must contain —
// any one of a set, for alternations — with strings.Contains, which is an
// order of magnitude cheaper than the regexp's backtracking.

// minLiteral is the shortest literal worth checking: one-byte literals are
// in every command line.
const minLiteral = 2

// requiredLiterals returns strings one of which every match of pattern
// contains, or nil when no such set is known (then the regexp always
// runs). Patterns with case-folded literals get none.
func requiredLiterals(pattern string) (lits []string, fold bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	re = re.Simplify()
	lits, fold = literalsOf(re)
	if len(lits) > maxChecks {
		return nil, false
	}
	if fold {
		// the caller's lower-cased text is only there for rules that
		// compare lower-cased values; keep the check exact instead
		return nil, false
	}
	for _, l := range lits {
		if len(l) < minLiteral {
			return nil, false
		}
	}
	return lits, fold
}

// maxSet bounds the literal sets built from alternations and products;
// maxChecks the set a prefilter may use.
const (
	maxSet    = 64
	maxChecks = 16
)

// literalsOf is requiredLiterals on a parsed expression: a set of strings
// one of which every match contains, or nil.
func literalsOf(re *syntax.Regexp) ([]string, bool) {
	if re.Flags&syntax.FoldCase != 0 && (re.Op == syntax.OpLiteral || re.Op == syntax.OpCharClass) {
		return nil, true
	}
	if e, ok := exactSet(re); ok {
		return e, false
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return literalsOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalsOf(re.Sub[0])
		}
	case syntax.OpConcat:
		// every part must match: a run of exact parts followed by what the
		// next part begins with is one candidate, each part's own set
		// another; the most selective (longest shortest string) wins
		var best []string
		fold := false
		consider := func(c []string) {
			// each string is one strings.Contains: a big set costs more
			// than the regexp it would save
			if c != nil && len(c) <= maxChecks && shortest(c) > shortest(best) {
				best = c
			}
		}
		for i, sub := range re.Sub {
			l, f := literalsOf(sub)
			fold = fold || f
			consider(l)
			if e, ok := exactSet(sub); ok && i+1 < len(re.Sub) {
				consider(product(e, prefixes(re.Sub[i+1:])))
			}
		}
		return best, fold
	case syntax.OpAlternate:
		var all []string
		fold := false
		for _, sub := range re.Sub {
			l, f := literalsOf(sub)
			fold = fold || f
			if l == nil || len(all)+len(l) > maxSet {
				return nil, fold
			}
			all = append(all, l...)
		}
		return all, fold
	}
	return nil, false
}

// exactSet returns every string re matches when they are few: literals,
// small character classes, and alternations and concatenations of them.
func exactSet(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpCharClass:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= 4 { // \s and wider classes multiply sets for nothing
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := exactSet(sub)
			if !ok || len(out)+len(e) > maxSet {
				return nil, false
			}
			out = append(out, e...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			e, ok := exactSet(sub)
			if !ok {
				return nil, false
			}
			if out = product(out, e); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// prefixes returns strings one of which every match of the concatenation
// subs begins with, or nil.
func prefixes(subs []*syntax.Regexp) []string {
	if len(subs) == 0 {
		return nil
	}
	first := subs[0]
	if e, ok := exactSet(first); ok {
		if rest := prefixes(subs[1:]); rest != nil {
			if p := product(e, rest); p != nil {
				return p
			}
		}
		return e
	}
	switch first.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return prefixes(append([]*syntax.Regexp{first.Sub[0]}, subs[1:]...))
	case syntax.OpRepeat:
		if first.Min >= 1 {
			return prefixes([]*syntax.Regexp{first.Sub[0]})
		}
	case syntax.OpConcat:
		return prefixes(append(append([]*syntax.Regexp{}, first.Sub...), subs[1:]...))
	case syntax.OpAlternate:
		var out []string
		for _, sub := range first.Sub {
			p := prefixes(append([]*syntax.Regexp{sub}, subs[1:]...))
			if p == nil || len(out)+len(p) > maxSet {
				return nil
			}
			out = append(out, p...)
		}
		return out
	}
	return nil
}

// product is every a+b, or nil when there would be too many.
func product(a, b []string) []string {
	if a == nil || b == nil || len(a)*len(b) > maxSet {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// shortest is the length of the shortest string, -1 for none.
func shortest(ls []string) int {
	n := -1
	for _, l := range ls {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}

// mayMatch reports whether v holds one of the literals a regexp's matches
// need; true when there are none.
func (m *valueMatcher) mayMatch(v, lower string) bool {
	if m.lits == nil {
		return true
	}
	for _, l := range m.lits {
		if strings.Contains(v, l) {
			return true
		}
	}
	return false
}
