package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestNoRequestsAccepts: with Options.NoRequests (every input an audit
// log) the accepts only request matching reads are not kept; a request
// that comes all the same turns them on, and the coverage says how many
// were not kept before it. Without the option they are kept as always.
func TestNoRequestsAccepts(t *testing.T) {
	cases := []struct {
		name       string
		noRequests bool
		request    bool // an access-log request after the first two accepts
		worker     int  // php-fpm accepts kept (workerAccepts.n)
		conns      int  // inet accepts kept (connAccepts.n)
		note       string
	}{
		{name: "requests may come: all kept", worker: 4, conns: 2},
		{name: "audit logs only: none kept", noRequests: true},
		{name: "audit logs only, a request all the same", noRequests: true, request: true, worker: 2, conns: 1,
			note: "2 accepts read before the first access-log request were not kept"},
		{name: "requests may come, and one does", request: true, worker: 4, conns: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{NoRequests: tc.noRequests})
			s.webServer()
			s.touch(0, who{pid: 100, ppid: 1, uid: 0, exe: "/usr/sbin/php-fpm8.2"})
			s.touch(0, worker1)
			pool := func(at float64) {
				ev := s.proc(parser.KindAccept, at, worker1, "accept")
				ev.Peer = parser.Addr{Family: "unix"}
				s.feed(ev)
			}
			pool(1)
			s.accept(2, worker1, "203.0.113.9", 40000)
			if tc.request {
				s.http(3, "GET", "/index.php", 200, "198.51.100.7", "Mozilla/5.0")
			}
			pool(4)
			s.accept(5, worker1, "203.0.113.9", 40001)
			if got := s.b.workerAccepts.n; got != tc.worker {
				t.Errorf("php-fpm accepts kept: %d, want %d", got, tc.worker)
			}
			if got := s.b.workerAccepts.conns.n; got != tc.conns {
				t.Errorf("connection accepts kept: %d, want %d", got, tc.conns)
			}
			cov, _ := s.b.coverage()
			found := ""
			for _, n := range cov.Notes {
				if strings.Contains(n, "accepts read before") {
					found = n
				}
			}
			switch {
			case tc.note == "" && found != "":
				t.Errorf("unexpected coverage note %q", found)
			case tc.note != "" && !strings.Contains(found, tc.note):
				t.Errorf("coverage note %q, want one containing %q", found, tc.note)
			}
		})
	}
}
