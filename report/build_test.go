package report

import (
	"reflect"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// Big reports convert their findings on every core; the result must be
// the sequential conversion, in order (run with -race, it also shows the
// workers only read).
func TestFindingsConvertedInParallelAsInSequence(t *testing.T) {
	c := attackCase(fixtureOptions{})
	base := c.Findings
	var many []*detect.Finding
	for len(many) < 1000 {
		for _, f := range base {
			g := *f
			many = append(many, &g, nil) // nil findings keep their slot out
		}
	}
	c.Findings = many
	b := &builder{c: c, opts: goldenOptions(), ids: map[*detect.Finding]int{}, chainOf: map[*detect.Finding]string{}}
	got := b.findings()
	var want []DocFinding
	for i, f := range c.Findings {
		if f != nil {
			want = append(want, b.finding(i, f))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d findings, want %d", len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("finding %d differs:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestWatchesText: a log alone cannot show a watch (auditd records a
// rule's key and list, not its paths): "(none)" is said only when the
// rules themselves are known.
func TestWatchesText(t *testing.T) {
	for _, c := range []struct {
		cv   DocCoverage
		want string
	}{
		{DocCoverage{RulesSource: "file"}, "(none)"},
		{DocCoverage{RulesSource: "file", Watches: []string{"/etc/shadow", "/var/www"}}, "/etc/shadow, /var/www"},
		{DocCoverage{RulesSource: "log"}, "not shown by the log"},
		{DocCoverage{}, "unknown"},
	} {
		if got := c.cv.WatchesText(); !strings.HasPrefix(got, c.want) {
			t.Errorf("%+v: %q, want %q…", c.cv, got, c.want)
		}
	}
}
