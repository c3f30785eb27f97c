// Package golden compares test output with .golden files the gofmt way:
// -update rewrites them, a mismatch prints a line diff and keeps what was
// produced under the test's temporary folder.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/auditchain/auditchain/internal/linediff"
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
	t.Errorf("%s differs (got written to %s; -update rewrites the golden file):\n%s", path, keep, linediff.Diff(string(want), string(got)))
}
