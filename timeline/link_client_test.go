package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// TestHTTPClientNeedsAnAgent: a finding on a request joins the web-shell
// root the same client drove next, when the client is known by address and
// user agent; an address alone (a common log format, a proxy) names every
// visitor, and nothing is joined.
func TestHTTPClientNeedsAnAgent(t *testing.T) {
	for _, c := range []struct {
		agent  string
		joined bool
	}{
		{"python-requests/2.31.0", true},
		{"", false},
	} {
		s := newSim(t, Options{})
		s.webServer()
		login := s.find(s.http(10, "GET", "/manager/text/list", 200, "203.0.113.7", c.agent),
			detect.StageInitialAccess, detect.SeverityHigh, "Web Login Won By Password Guessing")
		s.http(20, "GET", "/x.jsp?c=id", 200, "203.0.113.7", c.agent)
		sh := shellOf(300, worker1, "/var/www/html")
		cmd := s.find(s.exec(19.8, sh, "sh", "-c", "id"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
		r := s.build()
		if got := chainOf(r, login) == chainOf(r, cmd); got != c.joined {
			dumpChains(t, r)
			t.Errorf("agent %q: joined %v, want %v", c.agent, got, c.joined)
		}
	}
}
