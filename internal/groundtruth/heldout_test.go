package groundtruth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWithheld: a held-out folder's text is withheld unless asked for; any
// other folder's passes.
func TestWithheld(t *testing.T) {
	held, open := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(held, "held-out-ground-truth.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(open, "ground-truth.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AUDITCHAIN_SHOW_HELD_OUT", "")
	if got := Withheld(held, "the acts"); strings.Contains(got, "the acts") || !strings.Contains(got, "withheld") {
		t.Errorf("held out: %q", got)
	}
	if got := Withheld(open, "the acts"); got != "the acts" {
		t.Errorf("graduated: %q", got)
	}
	t.Setenv("AUDITCHAIN_SHOW_HELD_OUT", "1")
	if got := Withheld(held, "the acts"); got != "the acts" {
		t.Errorf("asked for: %q", got)
	}
}
