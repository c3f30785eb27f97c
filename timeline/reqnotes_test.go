package timeline

import (
	"strings"
	"testing"
)

// The coverage notes on request times count what they say they count: the
// access lines that could have run code (a static file served is never
// kept), not every line of the log.
func TestRequestTimeNotesSayWhatTheyCount(t *testing.T) {
	s := newSim(t, Options{})
	s.http(1, "GET", "/img/logo.png", 200, "192.0.2.1", "Mozilla/5.0")
	s.http(2, "GET", "/status.php", 200, "192.0.2.1", "kube-probe/1.29")
	notes := strings.Join(s.b.requestTimeNotes(), "\n")
	for _, want := range []string{
		"requests: 1 of the 1 access lines that could have run code (all but static files served) carry no request duration",
		"requests: 1 of the 1 access lines that could have run code (all but static files served) give their end only to the second",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
}
