package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestPlaceInclusions: the server's own open of a file that an in-flight
// request's parameter climbs to (../) is the way in (stage 1); another
// file, or a request with no traversal, leaves the finding where it was.
func TestPlaceInclusions(t *testing.T) {
	for _, c := range []struct {
		name, target, file string
		kind               parser.Kind
		was, stage         detect.Stage
	}{
		{"the file the traversal names", "/page.php?p=../../../../etc/shadow", "/etc/shadow", parser.KindFileRead, detect.StageSuspiciousSpawn, detect.StageInitialAccess},
		{"another file", "/page.php?p=../../../../etc/hosts", "/etc/shadow", parser.KindFileRead, detect.StageSuspiciousSpawn, detect.StageSuspiciousSpawn},
		{"no traversal", "/page.php?p=about", "/etc/shadow", parser.KindFileRead, detect.StageSuspiciousSpawn, detect.StageSuspiciousSpawn},
		// a plant written through the traversal: the effect wins
		{"a plant written through it", "/upload.php?name=../../conf/app.json", "/srv/app/conf/app.json", parser.KindFileWrite, detect.StageWebshellUpload, detect.StageWebshellUpload},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			req := s.http(10, "GET", c.target, 200, "203.0.113.7", "curl/8")
			f := s.find(s.write(9.5, worker1, c.kind, c.file), c.was, detect.SeverityHigh, "Credential File Read")
			r := s.build()
			var got *detect.Finding
			for _, g := range r.Findings {
				if g.Event == f.Event {
					got = g
				}
			}
			if got.Stage != c.stage {
				t.Fatalf("stage %v, want %v (%s)", got.Stage, c.stage, got.Reason)
			}
			if c.stage == detect.StageInitialAccess && !strings.Contains(got.Reason, "a file inclusion or path traversal") {
				t.Errorf("reason %q", got.Reason)
			}
			if traced := tracedRequest(got); (traced == req) != (got.Reason != f.Reason) {
				t.Errorf("the request in the finding's evidence: %v, want it exactly when the traversal is named", traced)
			}
			if c.kind == parser.KindFileWrite && !strings.Contains(got.Reason, "written through a path traversal") {
				t.Errorf("a plant's reason does not name the traversal: %q", got.Reason)
			}
		})
	}
}
