package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestNDJSONSummary: the first NDJSON line is the run's summary, with the
// counts and the same summary the JSON report carries; no finding line has
// auditchain.report.
func TestNDJSONSummary(t *testing.T) {
	out := render(t, "ndjson", goldenOptions(), attackCase(fixtureOptions{}))
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	var first struct {
		Event struct {
			Kind, Action string
		} `json:"event"`
		Auditchain struct {
			Report *struct {
				Findings   int            `json:"findings"`
				BySeverity map[string]int `json:"by_severity"`
				Chains     int            `json:"chains"`
				Summary    *DocSummary    `json:"summary"`
			} `json:"report"`
		} `json:"auditchain"`
	}
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	r := first.Auditchain.Report
	if first.Event.Action != "report-summary" || r == nil {
		t.Fatalf("the first line is %s, want the summary", lines[0])
	}
	if r.Findings != 8 || r.Chains != 1 || r.BySeverity["critical"] != 2 {
		t.Errorf("summary counts %+v, want 8 findings, 1 chain, 2 critical", r)
	}
	want := NewDocument(attackCase(fixtureOptions{}), goldenOptions()).Summary
	if r.Summary == nil || len(r.Summary.Chains) != 1 || r.Summary.Chains[0].Headline != want.Chains[0].Headline ||
		len(r.Summary.Cleanup) != len(want.Cleanup) || len(r.Summary.Cleanup) == 0 {
		t.Errorf("the summary line's summary differs from the report's: %+v", r.Summary)
	}
	for _, l := range lines[1:] {
		if bytes.Contains(l, []byte(`"report":`)) {
			t.Errorf("a line other than the first has auditchain.report: %s", l)
		}
	}
}

// TestCSVSummary: the CSV opens with the summary as ordinary rows
// (data_type auditchain:summary) under the one header: a csv reader gets
// the same column count on every row, and every summary row is timed.
func TestCSVSummary(t *testing.T) {
	out := render(t, "csv", goldenOptions(), attackCase(fixtureOptions{}))
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll() // fails on a ragged row
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var kinds []string
	summaryDone := false
	for _, r := range recs[1:] {
		if r[col["data_type"]] != "auditchain:summary" {
			summaryDone = true
			continue
		}
		if summaryDone {
			t.Errorf("a summary row after the event rows: %q", r[col["message"]])
		}
		if r[col["datetime"]] == "" || strings.HasPrefix(r[col["datetime"]], "0001") {
			t.Errorf("summary row %q has no time", r[col["message"]])
		}
		kinds = appendNew(kinds, r[col["kind"]])
	}
	if got := strings.Join(kinds, " "); got != "summary-chain summary-stage summary-cleanup summary-ioc" {
		t.Errorf("summary rows of kinds %q, want chain, stage, cleanup and ioc rows in that order", got)
	}
	if !strings.Contains(string(out), "C01 stage 4: ") {
		t.Error("no summary row tells stage 4 of C01")
	}
}
