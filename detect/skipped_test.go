package detect

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestBrokenRuleAmongGood: rule files that cannot be read or run are
// listed with file, line and reason and skipped; the good ones beside them
// load and match, and New does not fail.
func TestBrokenRuleAmongGood(t *testing.T) {
	const head = "logsource:\n    product: linux\n    category: process_creation\n"
	files := map[string]string{
		"good.yml":     "title: Good\nid: good\n" + head + "detection:\n    sel:\n        Image|endswith: /id\n    condition: sel\nlevel: high\n",
		"dotted.yml":   "title: Dotted\nid: dotted\n" + head + "detection:\n    sel.a:\n        Image|endswith: /id\n    filter_main_x.conf:\n        User: root\n    condition: sel.a and not 1 of filter_main_*\nlevel: low\n",
		"badyaml.yml":  "title: x\ndetection:\n  sel: [\n",
		"nodetect.yml": "title: x\nid: nodetect\n" + head,
		"zdup.yml":     "title: Dup\nid: good\n" + head + "detection:\n    sel:\n        Image|endswith: /id\n    condition: sel\n",
		"agg.yml":      "title: Agg\nid: agg\n" + head + "detection:\n    sel:\n        Image|endswith: /id\n    condition: sel | count() > 5\n",
		"undef.yml":    "title: Undef\nid: undef\n" + head + "detection:\n    sel:\n        Image|endswith: /id\n    condition:\n        - sel\n        - sel and not filter\n",
		"list.yml":     "- a\n- b\n",
		"empty.yml":    "# nothing\n",
		"big.yml":      "title: Big\n#" + strings.Repeat("x", MaxRuleFileBytes) + "\n",
	}
	dir := t.TempDir()
	for n, text := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a FIFO would block a reader that opens it without O_NONBLOCK
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{RuleDirs: []string{dir}, NoBuiltin: true})
	if err != nil {
		t.Fatalf("New failed on one broken file among good ones: %v", err)
	}
	want := map[string]struct { // skipped rule → line, reason
		line   int
		reason string
	}{
		"badyaml.yml":  {3, "not valid YAML"},
		"nodetect.yml": {1, "rule has no detection"},
		"zdup.yml":     {1, "duplicate rule id good"},
		"agg.yml":      {9, "correlation"},
		"undef.yml":    {11, `search "filter", which the detection does not define`},
		"list.yml":     {1, "a rule is a YAML mapping"},
		"empty.yml":    {0, "no rule in file"},
		"big.yml":      {0, "larger than 4 MiB"},
		"fifo.yml":     {0, "not a regular file"},
	}
	var skipped []string
	for _, r := range e.Skipped() {
		name := filepath.Base(r.File)
		skipped = append(skipped, name)
		w, ok := want[name]
		if !ok {
			t.Errorf("%s skipped: %s", name, r.SkipReason())
			continue
		}
		p := r.SkipProblem()
		if p.Line != w.line || !strings.Contains(r.SkipReason(), w.reason) || r.Runnable {
			t.Errorf("%s: line %d reason %q, want line %d reason containing %q", name, p.Line, r.SkipReason(), w.line, w.reason)
		}
	}
	if len(skipped) != len(want) {
		t.Errorf("skipped %v, want the %d of %v", skipped, len(want), want)
	}
	s := newSynth()
	got := ids(e.Observe(s.exec(100, 1, 1000, "u", "/", "/usr/bin/id", "id"), s.tree))
	if !slices.Equal(got, []string{"dotted", "good"}) && !slices.Equal(got, []string{"good", "dotted"}) {
		t.Errorf("findings of the good rules: %v, want good and dotted", got)
	}
	got = ids(e.Observe(s.exec(101, 1, 0, "root", "/", "/usr/bin/id", "id"), s.tree))
	if !slices.Equal(got, []string{"good"}) {
		t.Errorf("dotted filter_main_x.conf not applied: %v", got)
	}
	if _, err := New(Options{RuleDirs: []string{filepath.Join(dir, "missing")}}); err == nil {
		t.Error("a --rules folder that does not exist loaded")
	}
}
