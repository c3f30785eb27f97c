package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailedActsAreAttempts: on the classic capture the web shell's
// `cat /etc/shadow` was denied (success=no exit=-13). The report must say
// it was an attempt that failed, not that the file was read; the
// non-blocking connects (exit=-115) are of unknown outcome; a successful
// exec is a success.
func TestFailedActsAreAttempts(t *testing.T) {
	logs := []string{filepath.Join(classic, "audit.log.gz"), filepath.Join(classic, "access.log")}
	code, stdout, stderr := runCLI(t, "", append([]string{"scan", "--format", "json", "--reproducible"}, logs...)...)
	if code > 1 {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			ID, Kind, Summary, Outcome string
			OutcomeReason              string `json:"outcome_reason"`
			Evidence                   []struct{ Role, Raw string }
		}
		Stats struct {
			FailedAttempts int `json:"failed_attempts"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var shadow, inProgress, success, failures int
	for _, f := range doc.Findings {
		raw := ""
		for _, e := range f.Evidence {
			if e.Role == "event" {
				raw = e.Raw
			}
		}
		switch {
		case strings.Contains(raw, "success=no exit=-13"):
			shadow++
			if f.Outcome != "failure" || f.OutcomeReason != "EACCES (permission denied)" ||
				f.Summary != "attempted read /etc/shadow — failed: EACCES (permission denied)" {
				t.Errorf("%s: outcome %q (%q), summary %q", f.ID, f.Outcome, f.OutcomeReason, f.Summary)
			}
		case strings.Contains(raw, "exit=-115"):
			inProgress++
			if f.Outcome != "unknown" || !strings.HasPrefix(f.OutcomeReason, "EINPROGRESS") || strings.HasPrefix(f.Summary, "attempted") {
				t.Errorf("%s: outcome %q (%q), summary %q", f.ID, f.Outcome, f.OutcomeReason, f.Summary)
			}
		case f.Kind == "exec" && strings.Contains(raw, "success=yes"):
			success++
			if f.Outcome != "success" {
				t.Errorf("%s: a successful exec has outcome %q", f.ID, f.Outcome)
			}
		}
		if f.Outcome == "failure" {
			failures++
		}
	}
	if shadow != 1 || inProgress == 0 || success == 0 {
		t.Errorf("denied reads %d, in-progress connects %d, successful execs %d; want 1, >0, >0", shadow, inProgress, success)
	}
	if doc.Stats.FailedAttempts != failures || failures == 0 {
		t.Errorf("stats.failed_attempts = %d, failures counted %d", doc.Stats.FailedAttempts, failures)
	}
	_, text, _ := runCLI(t, "", append([]string{"scan", "--reproducible"}, logs...)...)
	if !strings.Contains(text, ", 1 failed attempt)") || !strings.Contains(text, "attempted read /etc/shadow — failed: EACCES") {
		t.Errorf("the text report does not say the read was an attempt")
	}
}
