package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUnusedScriptWrites: a script written into the web root keeps its
// severity when the log shows it used (the classic web shell, requested
// by its URL) and drops one level when nothing ever uses it (benign-busy's
// compiled templates, written by the shop and included, never requested).
func TestUnusedScriptWrites(t *testing.T) {
	for _, c := range []struct {
		dir, file, want string
	}{
		{"webshell-classic", "/var/www/html/uploads/avatar.php", "high"},
		{"benign-busy", "/var/www/html/cache/tpl/", "medium"},
	} {
		code, out, stderr := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", "../../testdata/lab/"+c.dir+"/")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.dir, code, stderr)
		}
		var rep struct {
			Findings []struct {
				RuleID   string `json:"rule_id"`
				Severity string `json:"severity"`
				File     string `json:"file"`
				Summary  string `json:"summary"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range rep.Findings {
			if f.RuleID != "webroot-script-write" || !strings.Contains(f.Summary, c.file) {
				continue
			}
			n++
			if f.Severity != c.want {
				t.Errorf("%s: %s is %s, want %s", c.dir, f.Summary, f.Severity, c.want)
			}
		}
		if n == 0 {
			t.Errorf("%s: no script write of %s", c.dir, c.file)
		}
	}
}

// TestUnusedDownloads: a download nothing uses later drops one level (the
// busy day's cron feed); a tool that is run after it is fetched keeps its
// severity (webshell-variant's /tmp/.sysd).
func TestUnusedDownloads(t *testing.T) {
	for _, c := range []struct {
		dir, arg, want string
	}{
		{"webshell-variant", "/tmp/.sysd", "high"},
		{"benign-busy", "/var/www/html/data/rates.json", "medium"},
	} {
		_, out, _ := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", "../../testdata/lab/"+c.dir+"/")
		var rep struct {
			Findings []struct {
				RuleID   string `json:"rule_id"`
				Severity string `json:"severity"`
				Process  struct {
					Args []string `json:"args"`
				} `json:"process"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range rep.Findings {
			if f.RuleID == "ingress-tool-download" && strings.Contains(strings.Join(f.Process.Args, " "), c.arg) {
				n++
				if f.Severity != c.want {
					t.Errorf("%s: download of %s is %s, want %s", c.dir, c.arg, f.Severity, c.want)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no download of %s", c.dir, c.arg)
		}
	}
}
