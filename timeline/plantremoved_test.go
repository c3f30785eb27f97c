package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestPlantTakenOut: a script of the site the web side changed, written
// again by a process that removes its own staging files in the same
// moment, is the plant taken out (clean-up, stage 8, T1070.004); the same
// rewrite with no removal beside it, or with one far apart, is judged as
// before.
func TestPlantTakenOut(t *testing.T) {
	for _, c := range []struct {
		name    string
		removal float64 // seconds after the rewrite; <0: none
		want    bool
	}{
		{"rewrite and removal in one act", 0.008, true},
		{"no removal", -1, false},
		{"a removal a minute later", 60, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			const mod = "/var/www/html/lib/helpers.php"
			plant := s.find(s.write(10, worker1, parser.KindFileWrite, mod), detect.StagePersistence, detect.SeverityHigh, "Existing Script In Web Root Changed By Web Server")
			plant.RuleID, plant.RuleIDs = "webroot-script-modified", []string{"webroot-script-modified"}
			agent := who{pid: 900, ppid: 1, uid: 0, exe: "/usr/bin/python3.11", cwd: "/"}
			again := s.find(s.write(100, agent, parser.KindFileWrite, mod), detect.StagePersistence, detect.SeverityHigh, "Existing Script In Web Root Changed By Web Server")
			again.RuleID, again.RuleIDs = "webroot-script-modified", []string{"webroot-script-modified"}
			if c.removal >= 0 {
				s.find(s.write(100+c.removal, agent, parser.KindUnlink, "/var/www/html/static/.t/o"), detect.StageExfiltrationImpact, detect.SeverityMedium, "Web Content Deleted By Web Server Descendant")
			}
			r := s.build()
			var got *detect.Finding
			for _, f := range r.Findings {
				if f.Event == again.Event {
					got = f
				}
			}
			if got == nil {
				t.Fatal("the rewrite's finding is not in the result")
			}
			if (got.Stage == detect.StageExfiltrationImpact) != c.want {
				t.Fatalf("the rewrite placed on %d (%s), want clean-up (8): %v", got.Stage, got.Reason, c.want)
			}
			if c.want && (got.Severity != detect.SeverityMedium || len(got.Attack) != 1 || got.Attack[0] != "T1070.004") {
				t.Errorf("clean-up: severity %s, attack %v; want medium, [T1070.004]", got.Severity, got.Attack)
			}
		})
	}
}
