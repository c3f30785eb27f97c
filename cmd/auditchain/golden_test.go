package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auditchain/auditchain/internal/golden"
	"github.com/auditchain/auditchain/report"
)

// TestScanGoldens renders the classic lab capture in every format with
// --reproducible and compares with testdata/scan-classic.<format>.golden
// (go test ./cmd/auditchain -run TestScanGoldens -update rewrites them).
// The JSON must also validate against the report schema.
func TestScanGoldens(t *testing.T) {
	if _, err := os.Stat(classic); err != nil {
		t.Fatal("lab capture missing")
	}
	for _, format := range []string{"text", "json", "ndjson", "csv", "html"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", "scan", "--reproducible", "--fail-on", "none", "--format", format,
				filepath.Join(classic, "audit.log.gz"), filepath.Join(classic, "access.log"))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if format == "json" {
				if err := report.ValidateJSON([]byte(out)); err != nil {
					t.Fatalf("the report does not validate: %v", err)
				}
			}
			golden.Check(t, "testdata/scan-classic."+format+".golden", []byte(out), *update)
		})
	}
}

// TestScanReproducible: the same inputs give byte-identical JSON.
func TestScanReproducible(t *testing.T) {
	if _, err := os.Stat(classic); err != nil {
		t.Fatal("lab capture missing")
	}
	args := []string{"scan", "--reproducible", "--fail-on", "none", "--format", "json", classic}
	_, a, _ := runCLI(t, "", args...)
	_, b, _ := runCLI(t, "", args...)
	if a != b || len(a) == 0 {
		t.Fatal("two runs over the same inputs differ")
	}
}

// TestScanFailOn: exit 1 when findings reach --fail-on, 0 with none.
func TestScanFailOn(t *testing.T) {
	if _, err := os.Stat(classic); err != nil {
		t.Fatal("lab capture missing")
	}
	if code, _, _ := runCLI(t, "", "scan", "--format", "json", classic); code != exitFindings {
		t.Errorf("exit %d, want %d (the attack has high findings)", code, exitFindings)
	}
	if code, _, _ := runCLI(t, "", "scan", "--format", "json", "--fail-on", "none", classic); code != exitOK {
		t.Errorf("exit %d with --fail-on none", code)
	}
}
