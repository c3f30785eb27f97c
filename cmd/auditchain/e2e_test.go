package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
)

var updateBaseline = flag.Bool("update-baseline", false, "record the current end-to-end results as testdata/lab/e2e-baseline.json")

// labResult is one scenario's score, as recorded in the baseline.
type labResult struct {
	Expected      []int `json:"expected"`       // stages with evidence in the logs
	Found         []int `json:"found"`          // stages the leading chain reached in their window
	Extra         []int `json:"extra"`          // stages the leading chain claims beyond the ground truth (stage 1 excepted)
	WithFindings  []int `json:"with_findings"`  // stages with a finding in their window
	HighOnBenign  int   `json:"high_on_benign"` // high/critical findings citing a benign step's serial
	TreeStepsSeen int   `json:"tree_steps"`     // evidence serials found as events with a process
	TreeSteps     int   `json:"tree_steps_all"` // evidence serials in the ground truth
}

func labScenarios(t *testing.T) []string {
	dirs, _ := filepath.Glob("../../testdata/lab/*/ground-truth.json")
	if len(dirs) == 0 {
		t.Fatal("no lab captures under testdata/lab")
	}
	var out []string
	for _, d := range dirs {
		out = append(out, filepath.Dir(d))
	}
	sort.Strings(out)
	return out
}

// TestLabEndToEnd runs the whole pipeline on every committed lab capture and
// scores it against its ground truth the way acceptance does; it fails on a
// regression below testdata/lab/e2e-baseline.json.
func TestLabEndToEnd(t *testing.T) {
	results := map[string]labResult{}
	for _, dir := range labScenarios(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			gt, err := groundtruth.Load(filepath.Join(dir, "ground-truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			res := scoreTrees(t, dir, gt)
			scoreScan(t, dir, gt, &res)
			results[name] = res
		})
	}
	printTable(results)
	base := "../../testdata/lab/e2e-baseline.json"
	if *updateBaseline {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(base, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(base)
	if err != nil {
		t.Logf("no baseline yet (%v); run with -update-baseline", err)
		return
	}
	var want map[string]labResult
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		g, ok := results[name]
		if !ok {
			t.Errorf("%s: in the baseline but not captured", name)
			continue
		}
		if len(g.Found) < len(w.Found) || len(g.WithFindings) < len(w.WithFindings) || g.TreeStepsSeen < w.TreeStepsSeen {
			t.Errorf("%s regressed: stages found %v (baseline %v), with findings %v (baseline %v), tree steps %d (baseline %d)",
				name, g.Found, w.Found, g.WithFindings, w.WithFindings, g.TreeStepsSeen, w.TreeStepsSeen)
		}
		if len(g.Extra) > len(w.Extra) || g.HighOnBenign > w.HighOnBenign {
			t.Errorf("%s regressed: extra stages %v (baseline %v), high findings on benign steps %d (baseline %d)",
				name, g.Extra, w.Extra, g.HighOnBenign, w.HighOnBenign)
		}
	}
}

// scoreTrees checks what the parser alone must get right: every audit
// serial the ground truth cites is an event, attributed to a process whose
// ancestry is known.
func scoreTrees(t *testing.T, dir string, gt *groundtruth.Truth) labResult {
	ins, _ := parser.Resolve([]string{dir}, nil)
	r := parser.NewReader(ins, parser.Options{})
	bySerial := map[uint64]*parser.Event{}
	if err := r.All(func(ev *parser.Event) {
		if ev.Source == "auditd" {
			bySerial[ev.Serial] = ev
		}
	}); err != nil {
		t.Fatal(err)
	}
	var res labResult
	for _, s := range gt.Steps {
		for _, e := range s.Evidence {
			for _, h := range e.Hits {
				res.TreeSteps++
				ev := bySerial[h.Serial]
				switch {
				case ev == nil:
					t.Errorf("step %s (%s): serial %d is not an event", s.ID, e.What, h.Serial)
				case ev.PID > 0 && ev.Proc == nil:
					t.Errorf("step %s (%s): serial %d has no process", s.ID, e.What, h.Serial)
				default:
					res.TreeStepsSeen++
				}
			}
		}
	}
	return res
}

// scoreScan runs 'auditchain scan --format json' and scores its report.
func scoreScan(t *testing.T, dir string, gt *groundtruth.Truth, res *labResult) {
	var out, errb bytes.Buffer
	code := run([]string{"scan", "--format", "json", "--reproducible", "--fail-on", "none", dir}, nil, &out, &errb)
	if code != 0 {
		t.Fatalf("scan exit %d: %s", code, errb.String())
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Stage    int    `json:"stage"`
			Severity string `json:"severity"`
			Time     string `json:"time"`
			Evidence []struct {
				Serial uint64 `json:"serial"`
				Role   string `json:"role"`
			} `json:"evidence"`
		} `json:"findings"`
		Chains []struct {
			Stages []struct {
				Stage     int    `json:"stage"`
				Observed  bool   `json:"observed"`
				FirstSeen string `json:"first_seen"`
			} `json:"stages"`
		} `json:"chains"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("scan output: %v", err)
	}
	win, expected, benignSteps := gt.Windows()
	benign := map[uint64]bool{}
	for s := range benignSteps {
		benign[s] = true
	}
	in := func(stage int, ts string) bool {
		tm, err := time.Parse(time.RFC3339Nano, ts)
		w, ok := win[stage]
		return err == nil && ok && w.Contains(tm)
	}
	res.Expected = keys(expected)
	if len(doc.Chains) > 0 {
		for _, st := range doc.Chains[0].Stages {
			switch {
			case !st.Observed:
			case expected[st.Stage] && in(st.Stage, st.FirstSeen):
				res.Found = append(res.Found, st.Stage)
			case !expected[st.Stage] && st.Stage != 1:
				res.Extra = append(res.Extra, st.Stage)
			}
		}
	}
	known, err := groundtruth.LoadKnownHigh(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, len(known))
	with := map[int]bool{}
	for _, f := range doc.Findings {
		if expected[f.Stage] && in(f.Stage, f.Time) {
			with[f.Stage] = true
		}
		high := f.Severity == "high" || f.Severity == "critical"
		if high {
			var serial uint64
			for _, e := range f.Evidence {
				if e.Role == "event" {
					serial = e.Serial
				}
			}
			if groundtruth.Known(known, seen, f.RuleID, serial) {
				continue // recorded in known-high.json, with why
			}
		}
		if high {
			for _, e := range f.Evidence {
				if benign[e.Serial] {
					res.HighOnBenign++
					break
				}
			}
		}
	}
	res.WithFindings = keys(with)
	if len(expected) == 0 { // a benign capture: nothing may reach high
		for _, f := range doc.Findings {
			if (f.Severity == "high" || f.Severity == "critical") && !knownHigh(known, f.RuleID, f.Evidence) {
				t.Errorf("benign capture has a %s finding at %s (stage %d)", f.Severity, f.Time, f.Stage)
			}
		}
	}
	for i, k := range known {
		if !seen[i] && !k.EngineOnly {
			t.Errorf("known-high.json records %s on serial %d, which no longer happens: remove the entry", k.Rule, k.Serial)
		}
	}
	sort.Ints(res.Found)
	sort.Ints(res.Extra)
}

func keys(m map[int]bool) []int {
	var out []int
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	sort.Ints(out)
	return out
}

// printTable prints scenario × stage: expected / found in the leading chain.
func printTable(results map[string]labResult) {
	var names []string
	for n := range results {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("| scenario | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | tree steps | high on benign |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, n := range names {
		r := results[n]
		fmt.Fprintf(&b, "| %s |", n)
		for s := 1; s <= 8; s++ {
			exp, found, extra := has(r.Expected, s), has(r.Found, s), has(r.Extra, s)
			cell := "·"
			switch {
			case exp && found:
				cell = "✔"
			case exp:
				cell = "✘ missed"
			case extra:
				cell = "+ extra"
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		fmt.Fprintf(&b, " %d/%d | %d |\n", r.TreeStepsSeen, r.TreeSteps, r.HighOnBenign)
	}
	fmt.Print(b.String())
}

func has(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// knownHigh reports whether a finding is one of the recorded known highs.
func knownHigh(known []groundtruth.KnownHigh, rule string, evidence []struct {
	Serial uint64 `json:"serial"`
	Role   string `json:"role"`
}) bool {
	for _, e := range evidence {
		if e.Role == "event" && groundtruth.Known(known, make([]bool, len(known)), rule, e.Serial) {
			return true
		}
	}
	return false
}
