package main

import (
	"encoding/json"
	"testing"
)

// scanInto runs `scan --format json --fail-on none ARGS…`, fails the test
// unless it exits 0, decodes the report into v and returns stderr.
func scanInto(t *testing.T, v any, args ...string) (stderr string) {
	t.Helper()
	code, out, stderr := runCLI(t, "", append([]string{"scan", "--format", "json", "--fail-on", "none"}, args...)...)
	if code != 0 {
		t.Fatalf("scan %v: exit %d: %s", args, code, stderr)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatal(err)
	}
	return stderr
}
