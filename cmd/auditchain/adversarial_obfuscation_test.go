package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// TestAdversarialObfuscation: each command of
// testdata/adversarial/obfuscation/pairs.tsv is run by a php-fpm worker as
// written and as an attacker hides it from a rule (quotes in a word, a
// backslash, a variable, a pattern for a file name, printf of an escape,
// eval, a pipeline through rev). The hidden form is found by the same rule
// at the same severity: the rules see what the shell runs
// (detect/obfuscation.go).
func TestAdversarialObfuscation(t *testing.T) {
	const dir = "../../testdata/adversarial/obfuscation/"
	pairs, err := os.ReadFile(dir + "pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLIWithin(t, 60*time.Second, nil, "scan", "--format", "json", "--reproducible", "--fail-on", "none", dir+"audit.log")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
			Process  struct {
				PID int `json:"pid"`
			} `json:"process"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{"low": 1, "medium": 2, "high": 3, "critical": 4}
	type verdict struct {
		rule string
		sev  int
	}
	top := map[int]verdict{}
	for _, f := range doc.Findings {
		if s := rank[f.Severity]; s > top[f.Process.PID].sev {
			top[f.Process.PID] = verdict{f.RuleID, s}
		}
	}
	pid := 600
	for _, line := range strings.Split(string(pairs), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cmds := strings.Split(line, "\t")
		plain, hidden := top[pid], top[pid+1]
		if plain.sev == 0 {
			t.Fatalf("%q: no finding for the plain command", cmds[0])
		}
		if hidden.sev < plain.sev || hidden.rule != plain.rule {
			t.Errorf("%q: %s at %d, want %s at %d as %q", cmds[1], hidden.rule, hidden.sev, plain.rule, plain.sev, cmds[0])
		}
		pid += 2
	}
}
