package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// diffDocs returns last night's report (the attack had not gone past the
// reverse shell; a scanner finding later tuned away) and tonight's, both
// read back from JSON as `auditchain diff` reads them.
func diffDocs(t *testing.T) (old, new *Document) {
	t.Helper()
	read := func(c *Case) *Document {
		d, err := ReadDocument(bytes.NewReader(render(t, "json", goldenOptions(), c)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	return read(attackCase(fixtureOptions{early: true, scan: true})), read(attackCase(fixtureOptions{}))
}

func TestDiff(t *testing.T) {
	old, new := diffDocs(t)
	r := Diff(old, new, goldenOptions())

	rules := func(fs []DocFinding) string {
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.ID+":"+f.RuleID)
		}
		return strings.Join(ids, " ")
	}
	// Ids shift (the scanner finding was F0001 last night) yet only the
	// real changes show: findings are matched by content.
	if got, want := rules(r.NewFindings), "F0006:ac-cron-write F0007:ac-exfil-curl-upload"; got != want {
		t.Errorf("new findings %q, want %q", got, want)
	}
	if got, want := rules(r.GoneFindings), "F0001:ac-web-scan"; got != want {
		t.Errorf("gone findings %q, want %q", got, want)
	}
	if len(r.NewChains) != 0 || len(r.GoneChains) != 0 {
		t.Errorf("the chain continues, yet new %d gone %d", len(r.NewChains), len(r.GoneChains))
	}
	var stages []string
	for _, s := range r.NewStages {
		stages = append(stages, fmt.Sprintf("%s<%s:%d:%s", s.ChainID, s.OldChainID, s.Stage, s.StageID))
	}
	if got, want := strings.Join(stages, " "), "C01<C01:5:persistence C01<C01:8:exfiltration-impact"; got != want {
		t.Errorf("stages newly reached %q, want %q", got, want)
	}
	if !r.HasNewAtOrAbove(detect.SeverityHigh) || r.HasNewAtOrAbove(detect.SeverityCritical) {
		t.Errorf("HasNewAtOrAbove: high %v critical %v, want true false",
			r.HasNewAtOrAbove(detect.SeverityHigh), r.HasNewAtOrAbove(detect.SeverityCritical))
	}
	if !strings.Contains(r.Text, "+    2024-03-05T10:02:00.001Z  F0006 high     stage 5 persistence  Cron job written") {
		t.Errorf("the text diff lacks the new cron finding:\n%s", r.Text)
	}
	if strings.Contains(r.Text, "\x1b") {
		t.Error("ESC in the text diff")
	}

	var out bytes.Buffer
	if err := r.WriteText(&out, goldenOptions()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "attack.diff.golden", out.Bytes())

	same := Diff(new, new, goldenOptions())
	if !same.Empty() || same.Text != "" || same.HasNewAtOrAbove(detect.SeverityInformational) {
		t.Errorf("a report differs from itself: %+v", same)
	}
}

// TestDiffNewChain: a chain that shares no finding with an old one is new,
// and the old one is gone.
func TestDiffNewChain(t *testing.T) {
	old, new := diffDocs(t)
	new.Chains[0].Host = "web02" // another host: no continuation possible
	r := Diff(old, new, goldenOptions())
	if len(r.NewChains) != 1 || len(r.GoneChains) != 1 || len(r.NewStages) != 0 {
		t.Errorf("new %d gone %d stages %d, want 1 1 0", len(r.NewChains), len(r.GoneChains), len(r.NewStages))
	}
}
