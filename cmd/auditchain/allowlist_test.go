package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auditchain/auditchain/report"
)

// TestAllowlistAccounted: what --allowlist keeps out of the findings is
// counted and listed, and the allowlist is an input with its hash; a
// FIFO given as the allowlist is refused at once; the --audit-rules file
// found again in the folder of logs is an input, not "skipped".
func TestAllowlistAccounted(t *testing.T) {
	dir := t.TempDir()
	allow := filepath.Join(dir, "allow.yml")
	if err := os.WriteFile(allow, []byte(`- rule: web-server-shell-spawn
  reason: kube-probe health check
  CommandLine|contains: "date -u"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(classic, "audit.rules")
	args := []string{"scan", "--format", "json", "--reproducible", "--fail-on", "none",
		"--allowlist", allow, "--audit-rules", rules, classic}
	code, out, stderr := runCLIWithin(t, 60*time.Second, nil, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Inputs []struct {
			Path, Format, SHA256 string
		}
		SkippedInputs []struct{ Path string } `json:"skipped_inputs"`
		Findings      []struct {
			RuleID  string `json:"rule_id"`
			Summary string
		}
		Allowlisted *struct {
			Total   int
			Matches []struct {
				RuleID    string `json:"rule_id"`
				EntryLine int    `json:"entry_line"`
				Reason    string
				Summary   string
				File      string
				Line      int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if err := report.ValidateJSON([]byte(out)); err != nil {
		t.Errorf("the report does not validate: %v", err)
	}
	if doc.Allowlisted == nil || doc.Allowlisted.Total == 0 || len(doc.Allowlisted.Matches) != doc.Allowlisted.Total {
		t.Fatalf("allowlisted = %+v", doc.Allowlisted)
	}
	for _, m := range doc.Allowlisted.Matches {
		if m.RuleID != "web-server-shell-spawn" || m.EntryLine != 1 || m.Reason != "kube-probe health check" ||
			!strings.Contains(m.Summary, "date -u") || m.File == "" || m.Line == 0 {
			t.Errorf("match %+v", m)
		}
	}
	for _, f := range doc.Findings {
		if f.RuleID == "web-server-shell-spawn" && strings.Contains(f.Summary, "date -u") {
			t.Errorf("allowlisted match still a finding: %s", f.Summary)
		}
	}
	formats := map[string]string{}
	for _, in := range doc.Inputs {
		formats[in.Format] = in.Path
		if in.SHA256 == "" {
			t.Errorf("input %s has no hash", in.Path)
		}
	}
	if formats["allowlist"] != allow || formats["audit-rules"] != rules {
		t.Errorf("inputs by format %v: want the allowlist and the audit rules", formats)
	}
	for _, s := range doc.SkippedInputs {
		if filepath.Base(s.Path) == "audit.rules" {
			t.Errorf("the --audit-rules file is listed as skipped")
		}
	}
	_, text, _ := runCLIWithin(t, 60*time.Second, nil, "scan", "--reproducible", "--allowlist", allow, classic)
	if !strings.Contains(text, "Allowlisted (") || !strings.Contains(text, "allowlist line 1: kube-probe health check") {
		t.Error("the text report does not list the allowlisted matches")
	}

	fifo := filepath.Join(dir, "allow.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLIWithin(t, 10*time.Second, nil, "scan", "--allowlist", fifo, classic); code != 2 || !strings.Contains(stderr, "allow.fifo") {
		t.Errorf("a FIFO allowlist: exit %d, %q", code, stderr)
	}
}
