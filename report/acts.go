package report

import "github.com/auditchain/auditchain/detect"

// ruleIDs lists every rule that matched a finding's act, primary first; a
// finding made elsewhere than the engine (a test, a sensor alert) without
// the list is its one rule.
func ruleIDs(f *detect.Finding) []string {
	ids := f.RuleIDs
	if len(ids) == 0 {
		ids = []string{f.RuleID}
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = valid(id)
	}
	return out
}
