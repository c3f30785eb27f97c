package timeline

import (
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestTransientPlant: a preload written by the web account's process and
// removed 16 ms later by sudo (uid 33, euid 0: code the preload loaded
// into it) was in place only for sudo: the write and its removal are the
// escalation (stage 4), not persistence and a later clean-up. The same
// file removed by the account's own unprivileged process keeps its
// stages: nothing says it fired for root.
func TestTransientPlant(t *testing.T) {
	for _, c := range []struct {
		name     string
		euid     uint32
		want     detect.Stage
		wantGone detect.Stage
	}{
		{"removed inside sudo", 0, detect.StageSuspiciousSpawn, detect.StageSuspiciousSpawn},
		{"removed by the web account", 33, detect.StagePersistence, detect.StageExfiltrationImpact},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			sh := shellOf(200, worker1, "/var/tmp")
			fSh := s.find(s.exec(1, sh, "sh", "-c", "sh /var/tmp/.c/w.sh"), detect.StageSuspiciousSpawn, detect.SeverityHigh, "Web Server Exploitation")
			waiter := child(201, sh)
			s.exec(1.1, waiter, "sh", "/var/tmp/.c/w.sh")
			fw := s.find(s.write(10, waiter, parser.KindFileWrite, "/etc/ld.so.preload"), detect.StagePersistence, detect.SeverityHigh, "Persistence File Written")
			sudo := child(202, waiter)
			s.exec(10.001, sudo, "sudo", "-n", "true")
			rm := s.write(10.016, sudo, parser.KindUnlink, "/etc/ld.so.preload")
			rm.EUID = parser.ID{N: c.euid, Set: true}
			fRm := s.find(rm, detect.StageExfiltrationImpact, detect.SeverityMedium, "Own File Removed")
			fRm.RuleID = "own-file-removed"
			r := s.build()
			ch := chainOf(r, fSh)
			wantIn(t, r, ch, "one intrusion", fw, fRm)
			for _, g := range ch.Findings {
				switch {
				case g.Event == fw.Event && g.Stage != c.want:
					t.Errorf("the preload's write on stage %d, want %d (%s)", g.Stage, c.want, g.Reason)
				case g.Event == fRm.Event && g.Stage != c.wantGone:
					t.Errorf("its removal on stage %d, want %d (%s)", g.Stage, c.wantGone, g.Reason)
				}
			}
		})
	}
}
