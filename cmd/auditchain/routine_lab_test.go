package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/report"
)

// TestRoutineOnLab checks the routine pass on every lab capture: on an
// innocent day the application's regular shell-outs are demoted and listed
// in the report's routine section, never deleted; on an attack no finding
// that shows an attack step is demoted.
func TestRoutineOnLab(t *testing.T) {
	for _, tc := range []struct {
		scenario    string
		minRoutine  int // routine templates at least
		minFindings int // findings they cover at least
	}{
		{"benign-day", 2, 15}, // every probe shell of the day: 10 status.php date, 5 monitor pings
		{"benign-node", 2, 24},
		{"webshell-classic", 0, 0},
		{"webshell-variant", 0, 0},
		{"container", 0, 0},
		{"node-api", 0, 0},
		// Java starts each child through jspawnhelper: the launcher is not
		// the command (timeline/launcher.go)
		{"tomcat-manager", 0, 0},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			dir := filepath.Join("../../testdata/lab", tc.scenario)
			code, out, errs := runCLI(t, "", "scan", "--format", "json", "--reproducible", "--fail-on", "none", dir)
			if code != 0 {
				t.Fatalf("scan exit %d: %s", code, errs)
			}
			if err := report.ValidateJSON([]byte(out)); err != nil {
				t.Fatalf("report does not validate: %v", err)
			}
			var doc struct {
				Findings []struct {
					ID       string `json:"id"`
					Severity string `json:"severity"`
					Reason   string `json:"reason"`
					Evidence []struct {
						Serial uint64 `json:"serial"`
					} `json:"evidence"`
				} `json:"findings"`
				Routine []report.DocRoutine `json:"routine"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			byID := map[string]int{}
			for i, f := range doc.Findings {
				byID[f.ID] = i
			}
			covered := map[string]bool{}
			for _, r := range doc.Routine {
				if r.Count < r.Established || r.Established < 1 || r.FirstSeen.After(r.LastSeen) || r.Why == "" {
					t.Errorf("routine %q: count %d, established %d, %s..%s, why %q", r.Template, r.Count, r.Established, r.FirstSeen, r.LastSeen, r.Why)
				}
				for _, id := range r.FindingIDs {
					i, ok := byID[id]
					if !ok {
						t.Fatalf("routine %q names %s, which is not among the findings: demoted findings are never deleted", r.Template, id)
					}
					f := doc.Findings[i]
					if f.Severity != "low" && f.Severity != "informational" || !strings.Contains(f.Reason, "demoted from") {
						t.Errorf("%s of routine %q is %s (%q)", id, r.Template, f.Severity, f.Reason)
					}
					covered[id] = true
				}
			}
			if len(doc.Routine) < tc.minRoutine || len(covered) < tc.minFindings {
				t.Errorf("%d routine templates covering %d findings, want at least %d and %d", len(doc.Routine), len(covered), tc.minRoutine, tc.minFindings)
			}
			for _, f := range doc.Findings {
				if strings.Contains(f.Reason, "demoted from") && !covered[f.ID] {
					t.Errorf("%s was demoted but the routine section does not list it", f.ID)
				}
			}
			gt, err := groundtruth.Load(filepath.Join(dir, "ground-truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			attack := map[uint64]string{}
			for _, s := range gt.Steps {
				if s.Stage == 0 {
					continue
				}
				for _, e := range s.Evidence {
					for _, h := range e.Hits {
						attack[h.Serial] = s.ID
					}
				}
			}
			for _, f := range doc.Findings {
				if !covered[f.ID] {
					continue
				}
				for _, e := range f.Evidence {
					if step, ok := attack[e.Serial]; ok {
						t.Errorf("%s shows attack step %s (serial %d) and was demoted as routine", f.ID, step, e.Serial)
					}
				}
			}
		})
	}
}
