package detect

import (
	"errors"
	"fmt"
	"strings"
)

// Conditions are parsed here, not by sigma-go: its lexer takes identifiers
// as [a-zA-Z_][a-zA-Z0-9_]* only, so SigmaHQ's own rules fail on it
// (filter_main_mdadm.conf), and it rejects "any of" and leading wildcards.
//
// The grammar is pySigma's (sigma/conditions.py), which is what SigmaHQ's
// validators run: operands are "1|any|all of PATTERN|them" or a search
// identifier, combined by not > and > or with parentheses. pySigma takes
// identifiers as [A-Za-z0-9_-]+ and patterns as [A-Za-z0-9_*]+; the legacy
// sigmac also took \w, '.', '+' and ','. A detection's search names are any
// YAML key, so here an identifier is any run of characters other than
// white space, parentheses and '|': every name a detection can define and
// its condition can spell is accepted, and one the detection does not
// define is reported by name. A pattern's only wildcard is '*' and it must
// match the whole name.

// maxConditionDepth bounds nesting (parentheses, not): a condition is a
// short expression, and the parser recurses once per level.
const maxConditionDepth = 64

// condToken is a lexeme of a condition: "(", ")", or a word.
type condToken struct {
	text string
	pos  int // byte offset in the condition, for messages
}

func lexCondition(s string) (toks []condToken, agg string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, condToken{s[i : i+1], i})
			i++
		case c == '|':
			// Sigma 1 aggregations ("| count() by x > 5") are correlations
			return toks, strings.TrimSpace(s[i+1:])
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()|", rune(s[j])) {
				j++
			}
			toks = append(toks, condToken{s[i:j], i})
			i = j
		}
	}
	return toks, ""
}

// errAggregation marks a condition with "| aggregation": a correlation.
var errAggregation = errors.New("aggregation (count/sum/near over time) is a correlation: unsupported")

// condParser compiles one condition against a detection's searches.
type condParser struct {
	toks     []condToken
	i        int
	depth    int
	searches map[string]*search
	names    []string // sorted search names
}

// parseCondition compiles a condition string into a cond over searches.
func parseCondition(s string, searches map[string]*search, names []string) (cond, error) {
	toks, agg := lexCondition(s)
	if agg != "" || strings.Contains(s, "|") {
		return nil, fmt.Errorf("%q: %w", "| "+agg, errAggregation)
	}
	if len(toks) == 0 {
		return nil, errors.New("condition is empty")
	}
	p := &condParser{toks: toks, searches: searches, names: names}
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, fmt.Errorf("condition %q: unexpected %q at column %d", s, t.text, t.pos+1)
	}
	return c, nil
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i].text
	}
	return ""
}

// keyword reports whether the next token is the keyword kw (any case, as
// sigma-go accepted) and consumes it.
func (p *condParser) keyword(kw string) bool {
	if strings.EqualFold(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

func (p *condParser) or() (cond, error) {
	return p.chain("or", p.and, func(cs []cond) cond { return orCond(cs) })
}

func (p *condParser) and() (cond, error) {
	return p.chain("and", p.not, func(cs []cond) cond { return andCond(cs) })
}

// chain parses operands joined by the keyword op (left-associative, n-ary).
func (p *condParser) chain(op string, operand func() (cond, error), join func([]cond) cond) (cond, error) {
	var out []cond
	for {
		c, err := operand()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		if !p.keyword(op) {
			break
		}
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return join(out), nil
}

func (p *condParser) not() (cond, error) {
	if !p.keyword("not") {
		return p.operand()
	}
	if p.depth++; p.depth > maxConditionDepth {
		return nil, fmt.Errorf("condition nested deeper than %d levels", maxConditionDepth)
	}
	c, err := p.not()
	p.depth--
	if err != nil {
		return nil, err
	}
	return notCond{c}, nil
}

func (p *condParser) operand() (cond, error) {
	t := p.peek()
	switch {
	case t == "":
		return nil, errors.New("condition ends where a search name or '(' was expected")
	case t == "(":
		if p.depth++; p.depth > maxConditionDepth {
			return nil, fmt.Errorf("condition nested deeper than %d levels", maxConditionDepth)
		}
		p.i++
		c, err := p.or()
		p.depth--
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errors.New("condition: '(' without its ')'")
		}
		p.i++
		return c, nil
	case t == ")":
		return nil, fmt.Errorf("condition: unexpected ')' at column %d", p.toks[p.i].pos+1)
	case isKeyword(t, "and", "or", "of", "them"):
		return nil, fmt.Errorf("condition: unexpected %q at column %d", t, p.toks[p.i].pos+1)
	}
	if isKeyword(t, "1", "any", "all") && p.i+1 < len(p.toks) && strings.EqualFold(p.toks[p.i+1].text, "of") {
		all := strings.EqualFold(t, "all")
		p.i += 2
		target := p.peek()
		if target == "" || target == "(" || target == ")" {
			return nil, fmt.Errorf("condition: %q wants a pattern or them", t+" of")
		}
		p.i++
		return p.selector(all, target)
	}
	p.i++
	s, ok := p.searches[t]
	if !ok {
		return nil, fmt.Errorf("condition names search %q, which the detection does not define", t)
	}
	return s, nil
}

// selector is "1 of X" / "all of X": X is them, a pattern or one name.
func (p *condParser) selector(all bool, target string) (cond, error) {
	quant := "1 of "
	if all {
		quant = "all of "
	}
	var m []cond
	switch {
	case strings.EqualFold(target, "them"):
		for _, n := range p.names {
			if !strings.HasPrefix(n, "_") { // Sigma: "them" skips _-prefixed searches
				m = append(m, p.searches[n])
			}
		}
	case strings.Contains(target, "*"):
		// '*' is the only wildcard and the pattern matches the whole name
		// ('.' and '/' included, as in pySigma; path.Match's '?', '[' and
		// '\' would be special, and its '*' would stop at '/')
		parts := strings.Split(target, "*")
		for _, n := range p.names {
			// as pySigma: _-prefixed searches are left out of patterns,
			// unless the pattern itself asks for them
			if strings.HasPrefix(n, "_") && !strings.HasPrefix(target, "_") {
				continue
			}
			if globMatch(parts, n) {
				m = append(m, p.searches[n])
			}
		}
	default:
		s, ok := p.searches[target]
		if !ok {
			return nil, fmt.Errorf("condition names search %q, which the detection does not define", target)
		}
		return s, nil
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("condition %q matches no search", quant+target)
	}
	if all {
		return andCond(m), nil
	}
	return orCond(m), nil
}

func isKeyword(t string, kws ...string) bool {
	for _, k := range kws {
		if strings.EqualFold(t, k) {
			return true
		}
	}
	return false
}
