package detect

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
)

// valueOp is how one expected value is compared with an event value.
type valueOp uint8

const (
	opEq       valueOp = iota // equal (case-insensitive unless cased)
	opContains                // substring
	opPrefix                  // startswith
	opSuffix                  // endswith
	opRegexp                  // re, and wildcard values with "?"
	opGlob                    // wildcard values with "*" only: literal parts in order
	opCIDR                    // cidr
	opGt
	opGte
	opLt
	opLte
	opNull      // "field: null": the field is absent or empty
	opExists    // "field|exists: true"
	opNotExists // "field|exists: false"
)

// valueMatcher is one compiled expected value.
type valueMatcher struct {
	op     valueOp
	s      string // lower-cased unless cased
	cased  bool
	re     *lazydfa.Matcher // MatchString on a DFA: a rule's regexp over a 6 MiB command line costs one pass
	parts  []string         // opGlob: the literal parts between stars, in order
	prefix netip.Prefix
	num    float64
	// lits are literals one of which every match of re contains
	// (prefilter.go); litsFold says they are lower-cased.
	lits     []string
	litsFold bool
	// minLen is the fewest bytes a match of re has (minMatchLen): a
	// shorter value is not run through re
	minLen int
}

// absentOK reports whether the matcher is about the field's presence, so
// an absent field is decided by it rather than failing every comparison.
func (m *valueMatcher) presence() bool {
	return m.op == opNull || m.op == opExists || m.op == opNotExists
}

func (m *valueMatcher) matchPresence(n int) bool {
	switch m.op {
	case opNull, opNotExists:
		return n == 0
	case opExists:
		return n > 0
	}
	return false
}

// match compares one event value; lower is its lower-cased form.
func (m *valueMatcher) match(v, lower string) bool {
	s := lower
	if m.cased {
		s = v
	}
	switch m.op {
	case opEq:
		return s == m.s
	case opContains:
		return strings.Contains(s, m.s)
	case opPrefix:
		return strings.HasPrefix(s, m.s)
	case opSuffix:
		return strings.HasSuffix(s, m.s)
	case opRegexp:
		return len(v) >= m.minLen && m.mayMatch(v, lower) && m.re.MatchString(v)
	case opGlob:
		return globMatch(m.parts, s)
	case opCIDR:
		a, err := netip.ParseAddr(v)
		return err == nil && m.prefix.Contains(a.Unmap())
	case opGt, opGte, opLt, opLte:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		switch m.op {
		case opGt:
			return f > m.num
		case opGte:
			return f >= m.num
		case opLt:
			return f < m.num
		}
		return f <= m.num
	}
	return false
}

// needsLower reports whether the matcher compares lower-cased values.
func (m *valueMatcher) needsLower() bool {
	switch m.op {
	case opEq, opContains, opPrefix, opSuffix, opGlob:
		return !m.cased
	case opRegexp:
		return m.litsFold // its prefilter looks in the lower-cased text
	}
	return false
}

// globMatch matches s against a pattern split at its stars: parts[0] is a
// prefix, the last part a suffix, the others occur in order between them.
// Wildcards are the common case in rules ("/php-fpm*" in a list checked on
// every exec), and a regular expression with a leading .* backtracks.
func globMatch(parts []string, s string) bool {
	last := len(parts) - 1
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1:last] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(parts[last]) && strings.HasSuffix(s, parts[last])
}

// modifiers are the parsed "|mod" suffixes of a field.
type modifiers struct {
	op          valueOp // opEq, opContains, opPrefix, opSuffix, opRegexp, opCIDR, opGt…, opExists
	all         bool
	cased       bool
	reFlags     string
	base64      bool
	base64off   bool
	windash     bool
	unsupported []string
}

func parseModifiers(mods []string) modifiers {
	var m modifiers
	for _, mod := range mods {
		switch strings.ToLower(mod) {
		case "contains":
			m.op = opContains
		case "startswith":
			m.op = opPrefix
		case "endswith":
			m.op = opSuffix
		case "re":
			m.op = opRegexp
		case "i":
			m.reFlags += "i"
		case "m":
			m.reFlags += "m"
		case "s":
			m.reFlags += "s"
		case "cidr":
			m.op = opCIDR
		case "gt":
			m.op = opGt
		case "gte":
			m.op = opGte
		case "lt":
			m.op = opLt
		case "lte":
			m.op = opLte
		case "exists":
			m.op = opExists
		case "all":
			m.all = true
		case "cased":
			m.cased = true
		case "base64":
			m.base64 = true
		case "base64offset":
			m.base64off = true
		case "windash":
			m.windash = true
		default:
			// fieldref, expand (placeholders), utf16*/wide (Windows
			// encodings) and anything newer than Sigma 2.0.
			m.unsupported = append(m.unsupported, mod)
		}
	}
	return m
}

// compileValues turns a field's expected values into matchers.
func compileValues(mods modifiers, values []any) ([]valueMatcher, error) {
	var out []valueMatcher
	for _, raw := range values {
		if raw == nil {
			out = append(out, valueMatcher{op: opNull})
			continue
		}
		var s string
		switch v := raw.(type) {
		case string:
			s = v
		case int, int64, uint64, float64:
			s = fmt.Sprint(v)
		case bool:
			s = strconv.FormatBool(v)
		default:
			return nil, fmt.Errorf("value %v (%T) is not a string, number or boolean", raw, raw)
		}
		if mods.op == opExists {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return nil, fmt.Errorf("exists wants true or false, got %q", s)
			}
			if b {
				out = append(out, valueMatcher{op: opExists})
			} else {
				out = append(out, valueMatcher{op: opNotExists})
			}
			continue
		}
		for _, variant := range transforms(mods, s) {
			m, err := compileValue(mods, variant)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// transforms applies the value modifiers (base64, base64offset, windash)
// that turn one written value into the values actually searched for.
func transforms(mods modifiers, s string) []string {
	vals := []string{s}
	if mods.windash {
		var w []string
		for _, v := range vals {
			for _, dash := range []string{"-", "/", "\u2013", "\u2014", "\u2015"} {
				w = append(w, strings.ReplaceAll(v, "-", dash))
			}
		}
		vals = w
	}
	if mods.base64 {
		for i, v := range vals {
			vals[i] = base64.StdEncoding.EncodeToString([]byte(v))
		}
	}
	if mods.base64off {
		var w []string
		for _, v := range vals {
			w = append(w, base64Offsets(v)...)
		}
		vals = w
	}
	return vals
}

// base64Offsets returns the three encodings of s at every byte alignment,
// trimmed of the characters that depend on neighbouring bytes (as pySigma).
func base64Offsets(s string) []string {
	start := [3]int{0, 2, 3}
	end := [3]int{0, -3, -2}
	var out []string
	for i := 0; i < 3; i++ {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", i) + s))
		e := len(enc)
		if cut := end[(len(s)+i)%3]; cut != 0 {
			e += cut
		}
		if start[i] <= e {
			out = append(out, enc[start[i]:e])
		}
	}
	return out
}

func compileValue(mods modifiers, s string) (valueMatcher, error) {
	m := valueMatcher{op: mods.op, cased: mods.cased}
	switch mods.op {
	case opRegexp:
		flags := mods.reFlags
		if flags != "" {
			flags = "(?" + flags + ")"
		}
		re, err := regexp.Compile(flags + s)
		if err != nil {
			return m, fmt.Errorf("regular expression %q: %v (Go's RE2 has no look-around or back-references)", s, err)
		}
		m.re = lazydfa.New(re)
		m.lits, m.litsFold = requiredLiterals(flags + s)
		m.minLen = minMatchLen(flags + s)
		return m, nil
	case opCIDR:
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return m, fmt.Errorf("cidr %q: %v", s, err)
		}
		m.prefix = p.Masked()
		return m, nil
	case opGt, opGte, opLt, opLte:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return m, fmt.Errorf("numeric comparison with %q: %v", s, err)
		}
		m.num = f
		return m, nil
	}
	// Plain, contains, startswith, endswith: Sigma wildcards * and ? (with
	// \* \? \\ escapes). sigma-go compares them literally; SigmaHQ relies
	// on them ("/home/*/.bashrc"), so wildcard values become anchored
	// regular expressions, the rest stay fast string comparisons.
	lit, glob := unescapeWildcards(s)
	if glob == "" {
		if !m.cased {
			lit = strings.ToLower(lit)
		}
		m.s = lit
		return m, nil
	}
	if parts, ok := starParts(s); ok {
		switch mods.op {
		case opContains:
			parts = append(append([]string{""}, parts...), "")
		case opPrefix:
			parts = append(parts, "")
		case opSuffix:
			parts = append([]string{""}, parts...)
		}
		if !m.cased {
			for i := range parts {
				parts[i] = strings.ToLower(parts[i])
			}
		}
		m.op, m.parts = opGlob, parts
		return m, nil
	}
	switch mods.op {
	case opContains:
		glob = ".*" + glob + ".*"
	case opPrefix:
		glob += ".*"
	case opSuffix:
		glob = ".*" + glob
	}
	flags := "(?s)"
	if !m.cased {
		flags = "(?si)"
	}
	re, err := regexp.Compile(flags + "^" + glob + "$")
	if err != nil {
		return m, fmt.Errorf("wildcard value %q: %v", s, err)
	}
	m.op, m.re = opRegexp, lazydfa.New(re)
	m.minLen = minMatchLen(flags + "^" + glob + "$")
	return m, nil
}

// unescapeWildcards returns the literal value of s when it has no
// wildcard, else a regular expression equivalent of its wildcards.
func unescapeWildcards(s string) (literal, re string) {
	var lit, rx strings.Builder
	wild := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\'):
			i++
			lit.WriteByte(s[i])
			rx.WriteString(regexp.QuoteMeta(s[i : i+1]))
		case c == '*':
			wild = true
			rx.WriteString(".*")
		case c == '?':
			wild = true
			rx.WriteString(".")
		default:
			lit.WriteByte(c)
			rx.WriteString(regexp.QuoteMeta(s[i : i+1]))
		}
	}
	if !wild {
		return lit.String(), ""
	}
	return "", rx.String()
}

// starParts splits a wildcard value without "?" at its unescaped stars
// into literal parts; ok is false when the value has a "?".
func starParts(s string) (parts []string, ok bool) {
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\'):
			i++
			cur.WriteByte(s[i])
		case c == '?':
			return nil, false
		case c == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String()), true
}
