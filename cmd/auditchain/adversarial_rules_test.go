package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const (
	brokenRulesDir = "../../testdata/adversarial/broken-rule-file"
	classicLog     = "../../testdata/lab/webshell-classic/audit.log.gz"
)

// scanRuleSet is the part of a JSON report these tests read.
type scanRuleSet struct {
	RuleSet *struct {
		Run          int `json:"run"`
		Skipped      int `json:"skipped"`
		SkippedRules []struct {
			RuleID string `json:"rule_id"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"skipped_rules"`
	} `json:"rule_set"`
	Findings []struct {
		RuleIDs []string `json:"rule_ids"` // every rule of the act
		Process *struct {
			Args []string `json:"args"`
		} `json:"process"`
	} `json:"findings"`
}

// TestAdversarialBrokenRuleFile: one --rules folder, good rules beside
// broken ones. The scan runs to the end with the good rules (exit by
// findings, not 2), and names each broken file with line and reason on
// stderr and in the report.
func TestAdversarialBrokenRuleFile(t *testing.T) {
	code, out, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--reproducible", "--format", "json", "--fail-on", "none",
		"--rules", brokenRulesDir, classicLog)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	want := map[string]string{ // file → reason on stderr and in the report
		"aggregation.yml:9":      "correlation",
		"broken-yaml.yml:4":      "not valid YAML",
		"not-a-rule.yml:1":       "a rule is a YAML mapping",
		"undefined-search.yml:9": `condition names search "filter_missing"`,
	}
	for where, reason := range want {
		found := false
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, where) && strings.Contains(l, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("stderr lacks %s: …%s; stderr:\n%s", where, reason, stderr)
		}
	}
	if !strings.Contains(stderr, "4 skipped") {
		t.Errorf("stderr lacks the skipped count:\n%s", stderr)
	}
	var rep scanRuleSet
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.RuleSet == nil || rep.RuleSet.Skipped != 4 || len(rep.RuleSet.SkippedRules) != 4 {
		t.Fatalf("report rule_set = %+v, want 4 skipped", rep.RuleSet)
	}
	for _, s := range rep.RuleSet.SkippedRules {
		base := s.File[strings.LastIndex(s.File, "/")+1:]
		if r, ok := want[base+":"+itoa(s.Line)]; !ok || !strings.Contains(s.Reason, r) {
			t.Errorf("report skipped %s:%d %q", base, s.Line, s.Reason)
		}
	}
	// the good rules ran: crontab -l, and the two curl uploads of the
	// exfiltration step (ground-truth.json: exfil-curl-upload)
	got := map[string][]string{}
	for _, f := range rep.Findings {
		for _, id := range f.RuleIDs {
			if strings.HasPrefix(id, "adv-") && f.Process != nil {
				got[id] = append(got[id], strings.Join(f.Process.Args, " "))
			}
		}
	}
	if c := got["adv-good-crontab-list"]; len(c) != 1 || c[0] != "crontab -l" {
		t.Errorf("good rule beside broken ones: %q, want [crontab -l]", c)
	}
	if c := got["adv-dotted-identifier"]; len(c) != 2 {
		t.Errorf("dotted-identifier rule: %q, want the two curl uploads", c)
	}
}

// TestAdversarialRulesTestCannotRun: 'rules test' on a rule that cannot
// run exits 2 with the reason, never "0 matches" and 0.
func TestAdversarialRulesTestCannotRun(t *testing.T) {
	for _, tc := range []struct{ file, reason string }{
		{"aggregation.yml", "correlation"},
		{"undefined-search.yml", "filter_missing"},
		{"broken-yaml.yml", "not valid YAML"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			code, out, stderr := runCLIWithin(t, 60*time.Second, nil, "rules", "test", brokenRulesDir+"/"+tc.file, classicLog)
			if code != exitUsage || strings.Contains(out, "matches") || !strings.Contains(stderr, tc.file) || !strings.Contains(stderr, tc.reason) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %s: …%s on stderr", code, out, stderr, tc.file, tc.reason)
			}
		})
	}
	code, out, _ := runCLIWithin(t, 60*time.Second, nil, "rules", "test", brokenRulesDir+"/dotted-identifier.yml", classicLog)
	if code != exitOK || !strings.Contains(out, "2 matches") {
		t.Errorf("dotted identifiers: exit %d, stdout:\n%s", code, out)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
