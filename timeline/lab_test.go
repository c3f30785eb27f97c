package timeline

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/internal/groundtruth"
	"github.com/auditchain/auditchain/parser"
)

// labDir is the public lab capture copied into testdata/public.
const labDir = "../testdata/public/corpus/lab-nginx"

// labRun reads the lab's audit.log and access.log through the parser and
// feeds every event to a Builder, as scan does.
func labRun(t *testing.T, engine *detect.Engine, withAccessLog bool) (*Builder, *parser.Tree, map[uint64]*parser.Event, []*detect.Finding) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(labDir, "ground-truth.json")); err != nil {
		t.Fatalf("lab corpus missing: %v", err)
	}
	files := []string{filepath.Join(labDir, "audit.log")}
	if withAccessLog {
		files = append(files, filepath.Join(labDir, "access.log"))
	}
	ins, skipped := parser.Resolve(files, nil)
	if len(ins) == 0 {
		t.Fatalf("no inputs: %v", skipped)
	}
	b, err := NewBuilder(Options{AuditRules: filepath.Join(labDir, "audit.rules")})
	if err != nil {
		t.Fatal(err)
	}
	r := parser.NewReader(ins, parser.Options{})
	defer r.Close()
	bySerial := map[uint64]*parser.Event{}
	var found []*detect.Finding
	err = r.All(func(ev *parser.Event) {
		b.Observe(ev)
		if ev.Source == "auditd" && bySerial[ev.Serial] == nil {
			bySerial[ev.Serial] = ev
		}
		if engine != nil {
			found = append(found, engine.Observe(ev, r.Tree())...)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if engine != nil {
		found = append(found, engine.Finish()...)
	}
	return b, r.Tree(), bySerial, found
}

func loadGroundTruth(t *testing.T) *groundtruth.Truth {
	t.Helper()
	gt, err := groundtruth.Load(filepath.Join(labDir, "ground-truth.json"))
	if err != nil {
		t.Fatalf("lab corpus missing: %v", err)
	}
	return gt
}

func epoch(f float64) time.Time {
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// checkLab scores the leading chain the way tools/ground-truth-check.py
// does: every stage with evidence observed, each first seen inside its
// steps' window (5 s before to 65 s after), no stage beyond them but an
// inferred 1, and no benign step's finding in the chain.
func checkLab(t *testing.T, gt *groundtruth.Truth, res *Result, benign map[*detect.Finding]bool) {
	t.Helper()
	if len(res.Chains) == 0 {
		t.Fatal("no chains")
	}
	top := res.Chains[0]
	windows, expected, _ := gt.Windows()
	for _, sl := range top.Stages {
		w, n := windows[int(sl.Stage)], int(sl.Stage)
		switch {
		case expected[n] && !sl.Observed:
			t.Errorf("stage %d (%s) not observed: %s", sl.Stage, sl.Stage.ID(), sl.Reason)
		case !expected[n] && sl.Observed && sl.Stage != detect.StageInitialAccess:
			t.Errorf("stage %d observed but not in the ground truth: %s", sl.Stage, sl.Reason)
		case sl.Observed && expected[n] && !w.Contains(sl.FirstSeen):
			t.Errorf("stage %d first seen %s, outside its window %s..%s", sl.Stage, stamp(sl.FirstSeen), stamp(epoch(w.Start)), stamp(epoch(w.End)))
		}
	}
	for _, f := range top.Findings {
		if benign[f] {
			t.Errorf("benign finding %q (pid %d, serial %d) is in the leading chain", f.Title, f.Event.PID, f.Event.Serial)
		}
	}
	if t.Failed() {
		dumpChains(t, res)
	}
}

// TestLabHandMadeFindings builds chains from one finding per ground-truth
// evidence serial (the attack's at its step's stage, the benign steps' as
// medium "web shell" lookalikes), so that it tests linking and placement
// independently of the rules.
func TestLabHandMadeFindings(t *testing.T) {
	t.Run("with-access-log", func(t *testing.T) { labHandMade(t, true) })
	t.Run("audit-only", func(t *testing.T) { labHandMade(t, false) })
}

func labHandMade(t *testing.T, withAccessLog bool) {
	gt := loadGroundTruth(t)
	b, tree, bySerial, _ := labRun(t, nil, withAccessLog)
	var fs []*detect.Finding
	benign := map[*detect.Finding]bool{}
	for _, s := range gt.Steps {
		for _, e := range s.Evidence {
			for _, h := range e.Hits {
				ev := bySerial[h.Serial]
				if ev == nil {
					t.Errorf("step %s: serial %d not among the parsed events", s.ID, h.Serial)
					continue
				}
				f := &detect.Finding{
					RuleID: "lab-" + s.ID, Title: e.What, Severity: detect.SeverityHigh, Stage: detect.Stage(s.Stage),
					Time: ev.Time, Host: ev.Host, Event: ev, Process: ev.Proc, Source: "rule",
				}
				if s.Stage == 0 {
					f.Stage, f.Severity = detect.StageCommandExecution, detect.SeverityMedium
					benign[f] = true
				}
				fs = append(fs, f)
			}
		}
	}
	res := b.Build(fs, tree)
	checkLab(t, gt, res, benign)
	top := res.Chains[0]
	if res.Coverage.AccessLog != withAccessLog || res.Coverage.RulesSource != "file" || len(res.Coverage.Tampering) != 0 {
		t.Errorf("coverage = %+v", res.Coverage)
	}
	if !withAccessLog {
		if !hasLink(top, "file:", "ran in /var/www/html/uploads, where shell.php had been written") {
			t.Errorf("audit only: no cwd link to shell.php: %q", top.Links)
		}
		return
	}
	for _, want := range []struct{ prefix, text string }{
		{"request:", "GET /uploads/shell.php?cmd=id"},
		{"file:", "shell.php written by pid 15329 (php-fpm8.2)"},
		{"ssh:", "session 13 (deploy)"},
		{"cron:", "crontab of www-data"},
		{"file:", "probe.txt (written by pid 15328 (php-fpm8.2)"},
	} {
		if !hasLink(top, want.prefix, want.text) {
			t.Errorf("leading chain lacks link %s …%s…", want.prefix, want.text)
		}
	}
	if s2 := top.Stages[1]; len(s2.Requests) != 1 || s2.Requests[0].HTTP.Method != "POST" {
		t.Errorf("stage 2 requests = %v", s2.Requests)
	}
}

// TestLabDetect runs the real rule engine when it loads.
func TestLabDetect(t *testing.T) {
	gt := loadGroundTruth(t)
	if _, err := detect.New(detect.Options{}); err != nil {
		t.Fatalf("detect engine: %v", err)
	}
	for _, withAccessLog := range []bool{true, false} {
		name := map[bool]string{true: "with-access-log", false: "audit-only"}[withAccessLog]
		t.Run(name, func(t *testing.T) {
			engine, err := detect.New(detect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, tree, _, fs := labRun(t, engine, withAccessLog)
			benignSerials := map[uint64]bool{}
			for _, s := range gt.Steps {
				for _, e := range s.Evidence {
					for _, h := range e.Hits {
						if s.Stage == 0 {
							benignSerials[h.Serial] = true
						}
					}
				}
			}
			benign := map[*detect.Finding]bool{}
			for _, f := range fs {
				if f.Event != nil && f.Event.Source == "auditd" && benignSerials[f.Event.Serial] {
					benign[f] = true
				}
			}
			checkLab(t, gt, b.Build(fs, tree), benign)
		})
	}
}
