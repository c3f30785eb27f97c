package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDiffJSONSnakeCase checks that 'diff --format json' names its fields
// the way the report does, so one JSON reader serves both.
func TestDiffJSONSnakeCase(t *testing.T) {
	dir := t.TempDir()
	old, cur := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if code, _, stderr := runCLI(t, "", "scan", "--format", "json", "--reproducible", "-o", old,
		filepath.Join(classic, "audit.log.gz")); code > 1 {
		t.Fatalf("scan old: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "scan", "--format", "json", "--reproducible", "-o", cur,
		filepath.Join(classic, "audit.log.gz"), filepath.Join(classic, "access.log")); code > 1 {
		t.Fatalf("scan new: %d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "diff", "--format", "json", old, cur)
	if code > 1 {
		t.Fatalf("diff: %d %s", code, stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !snake.MatchString(k) {
					t.Errorf("%s: key %q is not snake_case", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	walk("$", v)
	m, _ := v.(map[string]any)
	if _, ok := m["new_findings"]; !ok {
		t.Errorf("no new_findings in %.200s", stdout)
	}
}
