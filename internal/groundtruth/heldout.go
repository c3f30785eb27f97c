package groundtruth

import (
	"os"
	"path/filepath"
)

// A capture held out of a round's tuning keeps its ground truth as
// held-out-ground-truth.json, which no test reads. The tests that compare
// two runs over every capture folder (spilled and in memory, packed and
// not) still scan it, and a failing one would print what the report or
// the tree holds: the capture's acts, read before it is scored. Withheld
// keeps such output out of a test's failure message for a held-out
// folder unless AUDITCHAIN_SHOW_HELD_OUT=1 asks for it (the nineteenth
// session's race run printed two lines of shop-returns' report so).

// HeldOut reports whether the capture folder dir is held out.
func HeldOut(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "held-out-ground-truth.json"))
	return err == nil
}

// Withheld returns text, or for a held-out capture folder a line saying
// it was withheld and how to see it.
func Withheld(dir, text string) string {
	if !HeldOut(dir) || os.Getenv("AUDITCHAIN_SHOW_HELD_OUT") == "1" {
		return text
	}
	return "(withheld: " + filepath.Base(dir) + " is a held-out capture; AUDITCHAIN_SHOW_HELD_OUT=1 shows it)"
}
