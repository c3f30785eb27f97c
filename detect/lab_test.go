package detect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// labDirs are the nginx + php-fpm web-shell captures the scenario tests
// (TestHeadlineOnLab, the SigmaHQ-style rules, the benchmark) run on, first
// found wins: the project's own, then the public nginx capture copied in.
var labDirs = []string{
	"../testdata/lab/webshell-classic",
	"../testdata/public/corpus/lab-nginx",
}

// labCaptures returns every lab capture with an audit log and a ground
// truth: the project's own (testdata/lab/<scenario>/) and the public one.
func labCaptures(tb testing.TB) []string {
	tb.Helper()
	var out []string
	dirs, _ := filepath.Glob("../testdata/lab/*")
	for _, d := range append(dirs, "../testdata/public/corpus/lab-nginx") {
		if _, err := os.Stat(filepath.Join(d, "ground-truth.json")); err != nil {
			continue
		}
		if auditLog(d) != "" {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no lab capture under testdata/lab")
	}
	return out
}

// auditLog returns a capture's audit.log or audit.log.gz, or "".
func auditLog(dir string) string {
	for _, n := range []string{"audit.log", "audit.log.gz"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return filepath.Join(dir, n)
		}
	}
	return ""
}

// labCapture returns the directory of a lab capture with audit.log and
// ground-truth.json, skipping the test when none is present.
func labCapture(tb testing.TB) string {
	tb.Helper()
	for _, d := range labDirs {
		if auditLog(d) != "" {
			return d
		}
	}
	tb.Fatal("no lab capture under testdata/lab")
	return ""
}

// labEvents parses a capture's audit.log with its trees.
func labEvents(tb testing.TB, dir string) ([]*parser.Event, *parser.Tree) {
	tb.Helper()
	ins, skipped := parser.Resolve([]string{auditLog(dir)}, nil)
	if len(skipped) > 0 || len(ins) == 0 {
		tb.Fatalf("resolve %s: %v", dir, skipped)
	}
	r := parser.NewReader(ins, parser.Options{})
	var evs []*parser.Event
	if err := r.All(func(ev *parser.Event) { evs = append(evs, ev) }); err != nil {
		tb.Fatal(err)
	}
	return evs, r.Tree()
}

// runLab feeds the lab's events through an engine in order.
func runLab(tb testing.TB, e *Engine, evs []*parser.Event, tree *parser.Tree) []*Finding {
	var out []*Finding
	for _, ev := range evs {
		out = append(out, e.Observe(ev, tree)...)
	}
	return append(out, e.Finish()...)
}

// reportJSON writes findings in the report contract's shape (the fields
// /work/shared/tools/ground-truth-check.py reads).
func reportJSON(fs []*Finding) ([]byte, error) {
	type ev struct {
		Serial uint64 `json:"serial"`
	}
	type fj struct {
		RuleID   string `json:"rule_id"`
		Time     string `json:"time"`
		Stage    int    `json:"stage"`
		Severity string `json:"severity"`
		Evidence []ev   `json:"evidence"`
	}
	var doc struct {
		Findings []fj `json:"findings"`
	}
	for _, f := range fs {
		j := fj{RuleID: f.RuleID, Time: f.Time.UTC().Format(time.RFC3339Nano), Stage: int(f.Stage), Severity: f.Severity.String()}
		for _, e := range append([]*parser.Event{f.Event}, f.Related...) {
			j.Evidence = append(j.Evidence, ev{e.FirstEvidence().Serial})
		}
		doc.Findings = append(doc.Findings, j)
	}
	return json.MarshalIndent(doc, "", " ")
}
