package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestMarkRefused: sudo's exec succeeds and the refusal follows in a
// user-space record of the same pid; a finding on sudo, or on the shell
// that only runs it, says it was refused. A sudo that worked, or a refusal
// of another pid, says nothing.
func TestMarkRefused(t *testing.T) {
	for _, c := range []struct {
		name     string
		viaShell bool
		res      bool // the USER_CMD record's res=success
		pid      int  // of the USER_CMD record
		refused  bool
	}{
		{"sudo refused", false, false, 401, true},
		{"sudo run by a shell, refused", true, false, 401, true},
		{"sudo allowed", false, true, 401, false},
		{"another pid refused", false, false, 999, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := shellOf(400, worker1, "/var/www/html")
			var f *detect.Finding
			sudo := child(401, sh)
			if c.viaShell {
				f = s.find(s.exec(10, sh, "sh", "-c", "sudo -n -l 2>&1"), detect.StageCommandExecution, detect.SeverityMedium, "Web Server Shell Spawn")
				s.exec(10.004, sudo, "/usr/bin/sudo", "-n", "-l")
			} else {
				s.exec(9.9, sh, "sh", "-c", "x")
				f = s.find(s.exec(10.004, sudo, "/usr/bin/sudo", "-n", "-l"), detect.StageCommandExecution, detect.SeverityMedium, "Sudo Run By Web Account")
			}
			s.feed(&parser.Event{Kind: parser.KindOther, Time: s.at(10.03), RecordType: "USER_CMD", PID: c.pid, UID: parser.NewID(33),
				Exe: "/usr/bin/sudo", Success: c.res, Serial: 77})
			r := s.build()
			var got *detect.Finding
			for _, g := range r.Findings {
				if g.Event == f.Event {
					got = g
				}
			}
			if refused := strings.HasPrefix(got.Refused, "refused: sudo[401] logged USER_CMD res=failed"); refused != c.refused {
				t.Fatalf("Refused %q, want refused %v", got.Refused, c.refused)
			}
		})
	}
}
