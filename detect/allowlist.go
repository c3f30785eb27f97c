package detect

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/auditchain/auditchain/parser"
	"gopkg.in/yaml.v3"
)

// An allowlist file names known-benign activity so that it stops being
// reported. It is a YAML list; each entry names a rule id ("*" for every
// rule), an optional reason, and Sigma field conditions that must all hold
// (same field names and modifiers as the rules):
//
//   - rule: web-server-shell-spawn
//     reason: kube-probe health check in status.php
//     CommandLine|startswith: "sh -c date"
//     User: www-data
//
// Entries are data, not code: a typo in a rule id or field name fails the
// load with path:line: msg instead of silently allowing nothing.
type allowlist struct {
	entries []*allowEntry
}

type allowEntry struct {
	rule   string
	reason string
	line   int
	fields []allowField
	byCat  [catCount][]*fieldMatch // compiled per category on load
}

type allowField struct {
	name   string
	mods   modifiers
	values []any
	line   int
}

func parseAllowlist(file string, data []byte, e *Engine) (*allowlist, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		return nil, &RuleError{file, errLine(err), fmt.Errorf("allowlist is not valid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if len(root.Content) == 0 {
		return &allowlist{}, nil
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		list = mapValue(list, "allow")
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, &RuleError{file, root.Content[0].Line, errors.New("allowlist: want a list of entries (or allow: [entries])")}
	}
	rules := map[string]*Rule{}
	for _, r := range e.rules {
		rules[r.ID] = r
	}
	al := &allowlist{}
	for _, n := range list.Content {
		if n.Kind != yaml.MappingNode {
			return nil, &RuleError{file, n.Line, errors.New("allowlist entry: want a mapping with rule: and field conditions")}
		}
		ent := &allowEntry{line: n.Line}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "rule":
				ent.rule = v.Value
			case "reason", "comment":
				ent.reason = v.Value
			default:
				parts := strings.Split(k.Value, "|")
				af := allowField{name: parts[0], mods: parseModifiers(parts[1:]), line: k.Line}
				if len(af.mods.unsupported) > 0 {
					return nil, &RuleError{file, k.Line, fmt.Errorf("allowlist field %s: unsupported modifier %s", af.name, strings.Join(af.mods.unsupported, ", "))}
				}
				switch v.Kind {
				case yaml.ScalarNode:
					var x any
					if err := v.Decode(&x); err != nil {
						return nil, &RuleError{file, v.Line, err}
					}
					af.values = []any{x}
				case yaml.SequenceNode:
					if err := v.Decode(&af.values); err != nil {
						return nil, &RuleError{file, v.Line, err}
					}
				default:
					return nil, &RuleError{file, v.Line, fmt.Errorf("allowlist field %s: want a value or a list of values", af.name)}
				}
				ent.fields = append(ent.fields, af)
			}
		}
		if ent.rule == "" {
			return nil, &RuleError{file, n.Line, errors.New("allowlist entry without rule: (a rule id, or \"*\" for any rule)")}
		}
		if len(ent.fields) == 0 {
			return nil, &RuleError{file, n.Line, fmt.Errorf("allowlist entry for %s has no field condition; disable the rule instead", ent.rule)}
		}
		r := rules[ent.rule]
		if ent.rule != "*" && r == nil {
			return nil, &RuleError{file, n.Line, fmt.Errorf("allowlist entry: no rule has id %s", ent.rule)}
		}
		for cat := catProcessCreation; cat < catCount; cat++ {
			for _, af := range ent.fields {
				ref, ok := e.ft.ref(cat, af.name)
				if !ok && r != nil && r.cat == cat {
					return nil, &RuleError{file, af.line, fmt.Errorf("allowlist field %s is not provided for %s events (rule %s)", af.name, cat, r.ID)}
				}
				vals, err := compileValues(af.mods, af.values)
				if err != nil {
					return nil, &RuleError{file, af.line, fmt.Errorf("allowlist field %s: %w", af.name, err)}
				}
				m := &fieldMatch{ref: ref, all: af.mods.all, vals: vals}
				for i := range vals {
					m.lower = m.lower || vals[i].needsLower()
				}
				ent.byCat[cat] = append(ent.byCat[cat], m)
			}
		}
		al.entries = append(al.entries, ent)
	}
	return al, nil
}

// allows reports whether an entry covers the match of r on the event in c.
func (a *allowlist) allows(r *Rule, c *evalCtx) *allowEntry {
	for _, ent := range a.entries {
		if ent.rule != "*" && ent.rule != r.ID {
			continue
		}
		ok := true
		for _, m := range ent.byCat[r.cat] {
			if !m.eval(c) {
				ok = false
				break
			}
		}
		if ok {
			return ent
		}
	}
	return nil
}

// Allowed is a rule match the allowlist suppressed: never a finding, but
// never silent either — the report counts them per entry and lists the
// first ones, so an allowlist that hides an attack can be seen doing it.
type Allowed struct {
	RuleID string
	Entry  int    // line of the allowlist entry that matched
	Reason string // the entry's reason
	Event  *parser.Event
}

// AllowedMatches are the suppressed matches: the first MaxAllowedListed
// of them, and the total.
type AllowedMatches struct {
	List  []Allowed
	Total int
}

// MaxAllowedListed bounds the suppressed matches kept for the report; the
// rest are counted.
const MaxAllowedListed = 1000

func (m *AllowedMatches) add(r *Rule, ent *allowEntry, ev *parser.Event) {
	m.Total++
	if len(m.List) < MaxAllowedListed {
		ev.Retain(parser.KeepText) // the report lists it
		m.List = append(m.List, Allowed{RuleID: r.ID, Entry: ent.line, Reason: ent.reason, Event: ev})
	}
}
