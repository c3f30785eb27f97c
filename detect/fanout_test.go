package detect

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestPortFanout: a process reaching many ports of one host once each
// within seconds is a sweep; a proxy cycling through its upstreams, or an
// application reaching its few services again, is not.
func TestPortFanout(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 13, 20, 26, 0, time.UTC)
	p := &parser.Process{Key: parser.ProcKey{PID: 8829}}
	connect := func(at time.Duration, ip string, port int) *parser.Event {
		return &parser.Event{Kind: parser.KindConnect, Time: t0.Add(at), Proc: p, Peer: parser.Addr{Family: "inet", IP: ip, Port: port}}
	}
	for _, tc := range []struct {
		name  string
		ports []int
		gap   time.Duration
		want  bool
	}{
		{"fsockopen sweep", []int{21, 22, 25, 80, 443, 3306, 5432, 6379, 8000}, time.Millisecond, true},
		{"seven ports", []int{21, 22, 25, 80, 443, 3306, 5432}, time.Millisecond, false},
		{"proxy upstreams, repeated", []int{8001, 8002, 8003, 8001, 8004, 8005, 8006, 8007, 8008}, 100 * time.Millisecond, false},
		{"too slow", []int{21, 22, 25, 80, 443, 3306, 5432, 6379}, 2 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f fanouts
			got := false
			for i, port := range tc.ports {
				got = f.note(connect(time.Duration(i)*tc.gap, "127.0.0.1", port)) || got
			}
			if got != tc.want {
				t.Errorf("sweep %v, want %v", got, tc.want)
			}
		})
	}
}
