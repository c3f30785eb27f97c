// Package linediff is the one line diff of the project: `auditchain diff`
// shows it between two text reports, and the golden-file tests print their
// mismatches with it.
package linediff

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffContext is how many unchanged lines Diff shows around a change.
const diffContext = 2

// Diff compares two texts line by line (go-diff's line mode:
// DiffLinesToChars, DiffMain, DiffCharsToLines) and returns the changed
// lines as plain "-old" / "+new" lines with diffContext lines of " "
// context, hunks separated by "@@". It returns "" for equal texts.
// `auditchain diff` prints it, and the golden-file tests their mismatches.
func Diff(a, b string) string {
	if a == b {
		return ""
	}
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	type line struct {
		op   diffmatchpatch.Operation
		text string
	}
	var all []line
	for _, d := range diffs {
		text := strings.TrimSuffix(d.Text, "\n")
		for _, l := range strings.Split(text, "\n") {
			all = append(all, line{d.Type, l})
		}
	}
	show := make([]bool, len(all))
	for i, l := range all {
		if l.op == diffmatchpatch.DiffEqual {
			continue
		}
		for k := max(0, i-diffContext); k <= min(len(all)-1, i+diffContext); k++ {
			show[k] = true
		}
	}
	var out strings.Builder
	gap := false
	for i, l := range all {
		if !show[i] {
			gap = true
			continue
		}
		if gap && out.Len() > 0 {
			out.WriteString("@@\n")
		}
		gap = false
		switch l.op {
		case diffmatchpatch.DiffDelete:
			out.WriteString("-")
		case diffmatchpatch.DiffInsert:
			out.WriteString("+")
		default:
			out.WriteString(" ")
		}
		out.WriteString(l.text)
		out.WriteString("\n")
	}
	return out.String()
}
