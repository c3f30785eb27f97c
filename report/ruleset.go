package report

import (
	"strconv"
)

// RuleSet is what became of the detection rules of a run: how many ran and
// which were skipped, and why. A scan sets it when the user added rules
// (--rules) or when any rule was skipped; nil leaves it out of the report.
type RuleSet struct {
	Run     int // rules evaluated (built-in and the user's, not disabled)
	Skipped []SkippedRule
}

// SkippedRule is a rule that could not be loaded or run, by position.
type SkippedRule struct {
	RuleID string
	Title  string
	File   string
	Line   int
	Reason string
}

// DocRuleSet is the report's account of the rules in force beside
// tool.rules_version (the digest of every rule file read): how many ran and
// every rule skipped because it could not be loaded or run, with why.
type DocRuleSet struct {
	Run          int              `json:"run"`
	Skipped      int              `json:"skipped"`
	SkippedRules []DocSkippedRule `json:"skipped_rules"`
}

// DocSkippedRule is one skipped rule: where it is and why it did not run.
type DocSkippedRule struct {
	RuleID string `json:"rule_id"`
	Title  string `json:"title,omitempty"`
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

func ruleSetDoc(rs *RuleSet) *DocRuleSet {
	if rs == nil {
		return nil
	}
	d := &DocRuleSet{Run: rs.Run, Skipped: len(rs.Skipped), SkippedRules: make([]DocSkippedRule, 0, len(rs.Skipped))}
	for _, s := range rs.Skipped {
		d.SkippedRules = append(d.SkippedRules, DocSkippedRule{RuleID: valid(s.RuleID), Title: valid(s.Title),
			File: valid(s.File), Line: s.Line, Reason: valid(s.Reason)})
	}
	return d
}

// Summary is the one-line account of a rule set: "188 run, 22 skipped".
func (d *DocRuleSet) Summary() string {
	s := strconv.Itoa(d.Run) + " run"
	if d.Skipped > 0 {
		s += ", " + strconv.Itoa(d.Skipped) + " skipped (cannot be loaded or run; see 'auditchain rules')"
	}
	return s
}

// Where is a skipped rule's position, file:line.
func (s DocSkippedRule) Where() string {
	if s.Line > 0 {
		return s.File + ":" + strconv.Itoa(s.Line)
	}
	return s.File
}

// ruleSet prints the rule set's line and its skipped rules in the text
// report's header.
func (t *textRenderer) ruleSet() {
	rs := t.d.RuleSet
	if rs == nil {
		return
	}
	t.field("Rule set", rs.Summary())
	for _, s := range rs.SkippedRules {
		t.printf("  skipped %s: %s: %s\n", sanitize(s.Where()), sanitize(s.RuleID), sanitize(s.Reason))
	}
}

// SafeText makes text from a rule file or an input's name safe for a
// terminal, as the text report does (control and invisible characters
// escaped): rule files are not trusted either.
func SafeText(s string) string { return sanitize(s) }
