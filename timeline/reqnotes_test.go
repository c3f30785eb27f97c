package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
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

// A link's reason counts the same lines as the coverage note: those that
// could have run code, not every line of the access log.
func TestRequestLinkReasonSaysWhatItCounts(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	s.http(10, "GET", "/img/logo.png", 200, "192.0.2.1", "Mozilla/5.0")
	s.http(10, "GET", "/status.php", 200, "192.0.2.1", "kube-probe/1.29")
	f := s.find(s.exec(9.5, shellOf(300, worker1, "/var/www/html"), "sh", "-c", "date -u"), detect.StageCommandExecution, detect.SeverityMedium, "Shell Spawn")
	c := chainOf(s.build(), f)
	if c == nil || len(c.Requests) == 0 {
		t.Fatalf("no request tied to the shell: %+v", c)
	}
	why := c.Requests[0].Reason
	if strings.Contains(why, "1 of 1 access lines carry") || !strings.Contains(why, "1 of the 1 access lines that could have run code carry no duration") {
		t.Errorf("reason %q: want the count of the lines that could have run code", why)
	}
}
