package detect

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzRuleFile: any bytes as a rule file load without a panic, and every
// rule either runs or says why it is skipped.
func FuzzRuleFile(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/adversarial/broken-rule-file/*.yml")
	more, _ := filepath.Glob("../testdata/sigmahq/rules/linux/process_creation/proc_creation_lnx_susp_*.yml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	// the built-in rules carry auditchain.matches (per-match meaning)
	for _, n := range []string{"rules/web_server_exploitation.yml", "rules/data_destruction.yml"} {
		if b, err := builtinRules.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ft fieldTable
		for _, r := range parseRuleFile("fuzz.yml", data, &ft) {
			if !r.Runnable && r.SkipReason() == "" {
				t.Errorf("rule %s skipped without a reason", r.ID)
			}
			if r.Runnable && r.det == nil {
				t.Errorf("rule %s runnable without a detection", r.ID)
			}
		}
	})
}

// FuzzParseCondition: any condition text parses or fails with an error,
// never a panic or unbounded recursion.
func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{
		"1 of selection_img_* and selection_paths and not 1 of filter_main_*",
		"sel and not filter_main_mdadm.conf", "(a or b) and not (c)", "all of them", "sel | count() > 5",
	} {
		f.Add(s)
	}
	names := []string{"a", "b", "c", "filter_main_mdadm.conf", "sel", "selection_img_1", "selection_paths"}
	searches := map[string]*search{}
	for _, n := range names {
		searches[n] = &search{name: n}
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCondition(s, searches, names)
		if (c == nil) == (err == nil) {
			t.Errorf("%q: cond %v, err %v", s, c, err)
		}
	})
}
