package detect

import (
	"regexp/syntax"
	"strings"
	"unicode"
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
// runs). fold says the strings are lower case and are looked for in the
// lower-cased text: a case-folded literal ((?i)) matches any case, and its
// lower-case form is in the lower-cased text wherever it matches (see
// foldPiece for the letters where that does not hold).
func requiredLiterals(pattern string) (lits []string, fold bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	re = re.Simplify()
	lits, fold = literalsOf(re)
	lits = shrink(lits, maxChecks)
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
// one of which every match contains (lower-cased and to be looked for in
// lower-cased text when fold), or nil.
func literalsOf(re *syntax.Regexp) ([]string, bool) {
	if re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase != 0 {
		if p := foldPiece(re.Rune); p != "" {
			return []string{p}, true
		}
		return nil, false
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
		bestFold := false
		consider := func(c []string, fold bool) {
			// each string is one strings.Contains: a big set costs more
			// than the regexp it would save, so a big one is cut down
			// to fewer, shorter strings first (shrink)
			c = shrink(c, maxChecks)
			if c == nil {
				return
			}
			// exact wins a tie: it needs no lower-cased text
			if n, b := shortest(c), shortest(best); n > b || (n == b && bestFold && !fold) {
				best, bestFold = c, fold
			}
		}
		for i, sub := range re.Sub {
			consider(literalsOf(sub))
			if e, ok := exactSet(sub); ok && i+1 < len(re.Sub) {
				consider(product(e, prefixes(re.Sub[i+1:])), false)
			}
		}
		return best, bestFold
	case syntax.OpAlternate:
		var all []string
		fold := false
		for _, sub := range re.Sub {
			l, f := literalsOf(sub)
			l = shrink(l, maxChecks)
			if l == nil || len(all)+len(l) > maxSet {
				return nil, false
			}
			if f && !fold {
				// one branch folded: all are looked for in lower-cased
				// text, where an exact literal's lower case is wherever
				// the literal is
				fold = true
				all = lowerAll(all)
			}
			if fold && !f {
				l = lowerAll(l)
			}
			all = append(all, l...)
		}
		return all, fold
	}
	return nil, false
}

// foldPiece returns the longest run of runes of a case-folded literal
// whose lower case is the same for every rune they match, lower-cased, or
// "" when that run is shorter than minLiteral. (?i)s also matches ſ (U+017F),
// which stays ſ in lower case, so "pass" is looked for as "pa"; (?i)k also
// matches the Kelvin sign, whose lower case is k, so k is kept.
func foldPiece(runes []rune) string {
	var best, cur []rune
	for _, r := range runes {
		lr := unicode.ToLower(r)
		safe := true
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if unicode.ToLower(f) != lr {
				safe = false
				break
			}
		}
		if !safe {
			cur = cur[:0]
			continue
		}
		cur = append(cur, lr)
		if len(cur) > len(best) {
			best = append(best[:0], cur...)
		}
	}
	if s := string(best); len(s) >= minLiteral {
		return s
	}
	return ""
}

// lowerAll returns the strings lower-cased as the engine lower-cases text
// (evalCtx.lower: rune by rune, strings.ToLower).
func lowerAll(ls []string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = strings.ToLower(l)
	}
	return out
}

// shrink returns a set no larger than max that a text holding one of ls
// also holds one of, or nil: duplicates and strings that contain another
// of the set go (the set still finds the same texts), then the strings are
// cut to their first n bytes for the largest n that brings the set within
// max (a text holding a string holds its prefix). nil stays nil.
func shrink(ls []string, max int) []string {
	if ls == nil || len(ls) <= max && !redundant(ls) {
		return ls
	}
	set := minimal(ls)
	if len(set) <= max {
		return set
	}
	longest := 0
	for _, l := range set {
		longest = max2(longest, len(l))
	}
	for n := longest - 1; n >= minLiteral; n-- {
		cut := make([]string, len(set))
		for i, l := range set {
			cut[i] = l[:min(len(l), n)]
		}
		if cut = minimal(cut); len(cut) <= max {
			return cut
		}
	}
	return nil
}

func max2(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// redundant reports whether a string of ls repeats or contains another.
func redundant(ls []string) bool {
	for i, a := range ls {
		for j, b := range ls {
			if i != j && strings.Contains(a, b) {
				return true
			}
		}
	}
	return false
}

// minimal is ls without duplicates and without strings that contain
// another of ls, in the order of ls.
func minimal(ls []string) []string {
	var out []string
	for i, a := range ls {
		keep := true
		for j, b := range ls {
			if i == j || !strings.Contains(a, b) {
				continue
			}
			// a holds b: a goes, unless they are equal and a is the first
			if a != b || j < i {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
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
// need (lower, v lower-cased, when they are folded); true when there are
// none.
func (m *valueMatcher) mayMatch(v, lower string) bool {
	if m.lits == nil {
		return true
	}
	if m.litsFold {
		v = lower
	}
	for _, l := range m.lits {
		if strings.Contains(v, l) {
			return true
		}
	}
	return false
}

// minMatchLen returns a length in bytes that every match of pattern has
// at least: a text shorter than it cannot match, and the regexp need not
// run. A rule's regexp that names a wallet or a long option is asked about
// every command line its need lets by, most of them short. Each rune
// counts one byte (its shortest UTF-8 form is longer or the same), so the
// bound is never above the true one. 0 when the pattern does not parse.
func minMatchLen(pattern string) int {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0
	}
	return minLen(re.Simplify())
}

// maxMinLen caps minLen's sums: a bound above any text is as good as any.
const maxMinLen = 1 << 20

func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return min(re.Min*minLen(re.Sub[0]), maxMinLen)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = min(n+minLen(s), maxMinLen)
		}
		return n
	case syntax.OpAlternate:
		n := maxMinLen
		for _, s := range re.Sub {
			n = min(n, minLen(s))
		}
		return n
	}
	return 0 // empty-width assertions, star, quest, empty, no match
}
