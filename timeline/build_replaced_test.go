package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestReplacedFollowsCopies: a finding copied by one pass and its copy by
// another (demoted, then placed on stage 1 as an opening probe) is the
// last copy in the report's list, as it is in its chain.
func TestReplacedFollowsCopies(t *testing.T) {
	orig := &detect.Finding{Title: "id", Stage: detect.StageCommandExecution}
	demoted := &detect.Finding{Title: "id", Stage: detect.StageCommandExecution, Severity: detect.SeverityMedium}
	opening := &detect.Finding{Title: "id", Stage: detect.StageInitialAccess, Severity: detect.SeverityMedium}
	other := &detect.Finding{Title: "other"}
	repl := map[*detect.Finding]*detect.Finding{orig: demoted, demoted: opening}
	all := []*detect.Finding{orig, other}
	got := replaced(all, []*detect.Finding{orig}, repl)
	if all[0] != opening || all[1] != other || len(got) != 1 || got[0] != opening {
		t.Errorf("all %v, chainable %v: want the last copy in both, the rest untouched", all, got)
	}
}
