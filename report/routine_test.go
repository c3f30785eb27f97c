package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/timeline"
)

// TestRoutineSection: the routine activity of a Case reaches the JSON (valid
// against the schema), text and HTML reports, naming the demoted findings.
func TestRoutineSection(t *testing.T) {
	c := attackCase(fixtureOptions{})
	f := c.Findings[0]
	c.Routine = []*timeline.Routine{{
		Host: "web01", Server: "php-fpm8.2 pid 900", Template: "sh -c date -u +%s <\x1b[31m>",
		Count: 30, Counted: 28, Buckets: 19, FirstSeen: f.Time.Add(-time.Hour), LastSeen: f.Time,
		Why: "ran 30 times", Findings: []*detect.Finding{f}, Before: []detect.Severity{detect.SeverityMedium},
	}}
	out := render(t, "json", goldenOptions(), c)
	if err := ValidateJSON(out); err != nil {
		t.Fatalf("schema: %v", err)
	}
	var doc struct {
		Routine []DocRoutine `json:"routine"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Routine) != 1 || strings.Join(doc.Routine[0].FindingIDs, ",") != "F0001" ||
		strings.Join(doc.Routine[0].SeveritiesBefore, ",") != "medium" || doc.Routine[0].SlicesTotal != timeline.RoutineSlices {
		t.Fatalf("routine = %+v", doc.Routine)
	}
	text := string(render(t, "text", goldenOptions(), c))
	for _, want := range []string{"Routine activity (1 command template, 1 finding demoted, not deleted)", "php-fpm8.2 pid 900", "demoted 1 medium: F0001", "1 routine finding demoted"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	if strings.Contains(text, "\x1b[31m") {
		t.Error("text report prints the template's control characters raw")
	}
	html := string(render(t, "html", goldenOptions(), c))
	if !strings.Contains(html, `<section id="routine">`) || !strings.Contains(html, `<a href="#F0001">F0001</a>`) {
		t.Error("HTML report lacks the routine section")
	}
}
