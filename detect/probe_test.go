package detect

import "testing"

// TestWholeProbe: a web server's shell that only echoes a marker, computes
// or sleeps is an injection being confirmed; anything that does work is not.
func TestWholeProbe(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want bool
	}{
		{"echo ev-42", true},
		{"echo cgi-$((7*6))", true},
		{"printf x:ok 2>&1", true},
		{"expr 7 * 6", true},
		{"sleep 5", true},
		{"echo hello > /tmp/x", false},        // writes a file
		{"echo $(id)", false},                 // runs a command
		{"echo aWQ= | base64 -d | sh", false}, // decodes and runs
		{"date -u +%Y-%m-%d", false},
		{"echo ok; id", false},
	} {
		if got := wholeProbe.MatchString(c.cmd); got != c.want {
			t.Errorf("wholeProbe(%q) = %v, want %v", c.cmd, got, c.want)
		}
	}
}
