package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestTraversalWrites: the server's own write of the file an in-flight
// request's ../ parameter resolves to is the way in, a finding of its own
// with both records; another file, a request with no traversal, or a
// write a finding already covers make none.
func TestTraversalWrites(t *testing.T) {
	for _, c := range []struct {
		name, target, file string
		flagged            bool
		want               bool
	}{
		{"the file the traversal names", "/api/receipts?name=../../conf/.w", "/srv/app/conf/.w", false, true},
		{"another file", "/api/receipts?name=../../conf/.w", "/srv/app/data/r1.png", false, false},
		{"no traversal", "/api/receipts?name=r1.png", "/srv/app/data/r1.png", false, false},
		{"a write a rule flagged already", "/api/receipts?name=../../conf/app.json", "/srv/app/conf/app.json", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			req := s.http(10, "POST", c.target, 201, "203.0.113.7", "python-requests/2.31")
			w := s.write(9.5, worker1, parser.KindFileWrite, c.file)
			if c.flagged {
				s.find(w, detect.StageWebshellUpload, detect.SeverityHigh, "Server's Own Configuration Rewritten")
			}
			r := s.build()
			var got *detect.Finding
			for _, f := range r.Findings {
				if f.RuleID == RuleTraversalWrite {
					got = f
				}
			}
			if (got != nil) != c.want {
				t.Fatalf("traversal-write finding: %v, want %v", got != nil, c.want)
			}
			if got == nil {
				return
			}
			if got.Event != w || got.Stage != detect.StageInitialAccess || len(got.Related) != 1 || got.Related[0] != req {
				t.Errorf("finding on %s stage %v related %v: want the write on stage 1 with the request", got.Event.Path, got.Stage, got.Related)
			}
			if !strings.HasPrefix(got.Reason, "observed: php-fpm8.2[101], a web server process, wrote /srv/app/conf/.w") {
				t.Errorf("reason %q", got.Reason)
			}
		})
	}
}

// --disable-rule reaches the correlation rules: disabled, none is made.
func TestTraversalWritesDisabled(t *testing.T) {
	s := newSim(t, Options{Disabled: []string{RuleTraversalWrite}})
	s.webServer()
	s.http(10, "POST", "/api/receipts?name=../../conf/.w", 201, "203.0.113.7", "python-requests/2.31")
	s.write(9.5, worker1, parser.KindFileWrite, "/srv/app/conf/.w")
	for _, f := range s.build().Findings {
		if f.RuleID == RuleTraversalWrite {
			t.Fatalf("disabled, yet: %s", f.Reason)
		}
	}
}
