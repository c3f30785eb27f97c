package report

import (
	"strings"
	"testing"
)

// TestRuleSetInReport: the skipped rules reach the JSON report (valid
// against the schema), a header line of the text report (escaped) and the
// HTML report; without a rule set the section is left out.
func TestRuleSetInReport(t *testing.T) {
	c := attackCase(fixtureOptions{})
	c.RuleSet = &RuleSet{Run: 221, Skipped: []SkippedRule{
		{RuleID: "bad\x1b[31m", Title: "Bad", File: "rules/bad.yml", Line: 9, Reason: "condition names search \"x\", which the detection does not define"},
	}}
	js := render(t, "json", Options{Reproducible: true}, c)
	if err := ValidateJSON(js); err != nil {
		t.Fatalf("schema: %v", err)
	}
	if !strings.Contains(string(js), `"rule_set": {"run":221,"skipped":1,`) {
		t.Error("json lacks rule_set")
	}
	text := string(render(t, "text", Options{Reproducible: true}, c))
	if !strings.Contains(text, "Rule set:    221 run, 1 skipped") || !strings.Contains(text, `skipped rules/bad.yml:9: bad\x1b[31m: condition names search "x"`) {
		t.Errorf("text lacks the rule set lines:\n%s", text[:min(len(text), 1500)])
	}
	html := string(render(t, "html", Options{Reproducible: true}, c))
	if !strings.Contains(html, "<th>Rule set</th>") || !strings.Contains(html, "rules/bad.yml:9") {
		t.Error("html lacks the rule set row")
	}
	c.RuleSet = nil
	if js := render(t, "json", Options{Reproducible: true}, c); strings.Contains(string(js), "rule_set") {
		t.Error("rule_set present without a rule set")
	}
}
