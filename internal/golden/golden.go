// Package golden compares test output with .golden files the gofmt way:
// -update rewrites them, a mismatch prints a line diff and keeps what was
// produced under the test's temporary folder.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Check compares got with the golden file at path. With update it writes
// got there instead.
func Check(t *testing.T, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	keep := filepath.Join(t.TempDir(), filepath.Base(path))
	os.WriteFile(keep, got, 0o644)
	t.Errorf("%s differs (got written to %s; -update rewrites the golden file):\n%s", path, keep, LineDiff(string(want), string(got)))
}

// LineDiff returns a readable -/+ line diff of two texts (go-diff's line
// mode), with unchanged lines left out.
func LineDiff(a, b string) string {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		var mark string
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			mark = "-"
		case diffmatchpatch.DiffInsert:
			mark = "+"
		default:
			continue
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out.WriteString(mark + strings.TrimSuffix(l, "\n") + "\n")
			}
		}
	}
	return out.String()
}
