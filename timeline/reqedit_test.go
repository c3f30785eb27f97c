package timeline

import (
	"strings"
	"testing"
)

// TestAccessLogEdited: an access log that a process filtered during the
// capture may lack the very request that caused a process (netdiag-profile:
// the intruder's sed deleted every /api/x/cache line, and each list of
// candidates for the web shell's commands left the cause out without
// saying why). Every inferred or ambiguous link of a process started
// before the edit says the log may lack lines, and the coverage says what
// edited it; reading the log (tail) edits nothing, and a process started
// after the edit is not concerned.
func TestAccessLogEdited(t *testing.T) {
	for _, tc := range []struct {
		name   string
		editor []string
		at     float64
		noted  bool // in the link
		edited bool // in the coverage
	}{
		{"sed deleting lines of it", []string{"sed", "-e", `/api\/x\/cache/d`, "/var/log/webapp/access.log"}, 30, true, true},
		{"sed -i in place", []string{"sed", "-i", "/python-requests/d", "/var/log/haproxy-ship/access.log"}, 30, true, true},
		{"truncated", []string{"truncate", "-s", "0", "/var/log/nginx/access.log"}, 30, true, true},
		{"only read", []string{"tail", "-n", "5", "/var/log/webapp/access.log"}, 30, false, false},
		{"sed printing lines, deleting none", []string{"sed", "-n", "1,5p", "/var/log/webapp/access.log"}, 30, false, false},
		{"edited before the process started", []string{"sed", "-i", "/x/d", "/var/log/nginx/access.log"}, 5, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := s.exec(10.2, shellOf(500, worker1, "/var/www/html"), "/bin/sh", "-c", "id; hostname")
			s.http(11, "GET", "/", 200, "198.51.100.7", "Mozilla/5.0")
			s.exec(tc.at, who{pid: 900, ppid: 1, uid: 0, cwd: "/root"}, tc.editor...)
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("no link")
			}
			said := strings.Contains(rl.Reason, "the access log may lack lines")
			notes := strings.Join(s.b.requestTimeNotes(), "\n")
			if said != tc.noted || strings.Contains(notes, "may lack lines") != tc.edited {
				t.Errorf("link says %v (%s), coverage %q; want %v, %v", said, rl.Reason, notes, tc.noted, tc.edited)
			}
			if tc.noted && !strings.Contains(rl.Reason, tc.editor[len(tc.editor)-1]) {
				t.Errorf("the link does not name the edited file: %s", rl.Reason)
			}
		})
	}
}
