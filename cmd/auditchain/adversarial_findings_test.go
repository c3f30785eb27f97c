package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAdversarialFindingFlood: a log with more findings of one rule than
// the bound (--max-findings-per-rule) keeps the first ones with their
// evidence, counts the rest, and says how many, of which rule, from where
// to where, on stderr and in the report's coverage notes; 0 keeps all. A
// long archive of a host attacked again and again is such a log: without
// the bound its findings were the memory that grew with it.
func TestAdversarialFindingFlood(t *testing.T) {
	const rule = "web-server-shell-spawn"
	type report struct {
		Coverage struct {
			Notes []string `json:"notes"`
		} `json:"coverage"`
		Findings []struct {
			RuleID string `json:"rule_id"`
		} `json:"findings"`
	}
	scan := func(bound string) (report, string) {
		t.Helper()
		code, out, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--reproducible", "--format", "json", "--fail-on", "none",
			"--max-findings-per-rule", bound, classicLog)
		if code != exitOK {
			t.Fatalf("--max-findings-per-rule %s: exit %d; stderr:\n%s", bound, code, stderr)
		}
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r, stderr
	}
	count := func(r report) int {
		n := 0
		for _, f := range r.Findings {
			if f.RuleID == rule {
				n++
			}
		}
		return n
	}
	all, stderr := scan("0")
	total := count(all)
	if total <= 5 || strings.Contains(stderr, "past the bound") {
		t.Fatalf("unbounded scan: %d findings of %s (want > 5), stderr:\n%s", total, rule, stderr)
	}
	cut, stderr := scan("5")
	if n := count(cut); n != 5 {
		t.Errorf("bound 5: %d findings of %s kept, want 5", n, rule)
	}
	note := regexp.MustCompile(`detection: rule ` + rule + `: ` + strconv.Itoa(total-5) +
		` further findings past the bound of 5 per rule and host were counted, not kept \(the first at \S+audit\.log\.gz:\d+, the last at \S+audit\.log\.gz:\d+\)`)
	if !note.MatchString(stderr) {
		t.Errorf("stderr lacks %s; stderr:\n%s", note, stderr)
	}
	found := false
	for _, n := range cut.Coverage.Notes {
		found = found || note.MatchString(n)
	}
	if !found {
		t.Errorf("report's coverage notes lack %s: %q", note, cut.Coverage.Notes)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--max-findings-per-rule", "-1", classicLog); code != exitUsage || !strings.Contains(stderr, "--max-findings-per-rule -1") {
		t.Errorf("--max-findings-per-rule -1: exit %d, stderr:\n%s", code, stderr)
	}
}
