package timeline

import "testing"

// TestTickOrder: an accept of the worker stamped with the same clock tick
// as its child's exec is ordered by the records' serials (taken at the
// syscalls' exits). The second at 10 s logs GET /products.php (worker1
// ends at .3), GET /status.php and POST /contact.php; worker2's shell
// runs date at 10.5, and worker2 accepts at 10.5 (same tick) and at 10.6.
// After the exec by its serial, the accept at 10.5 ended the run's
// request (the status page, second of three ends); before it, the run
// came from the request that accept took, which ended at 10.6 (the
// contact form, third). Two accepts in the tick: the order is unknown.
func TestTickOrder(t *testing.T) {
	for _, tc := range []struct {
		name      string
		after     bool // the tick's accept is numbered after the exec
		twoInTick bool
		want      string // "" for ambiguous
		wantEnd   float64
	}{
		{name: "the accept numbered after the exec: the run's request ended in its tick", after: true, want: "/status.php", wantEnd: 10.5},
		{name: "the accept numbered before the exec: the run came from the request it took", after: false, want: "/contact.php", wantEnd: 10.6},
		{name: "two accepts in the tick: the order is unknown, the end taken the later one", after: true, twoInTick: true, wantEnd: 10.6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			accept := s.poolAccept
			accept(worker1, 5)
			accept(worker2, 5)
			accept(worker1, 10.3)
			if !tc.after {
				accept(worker2, 10.5)
			}
			sh := s.exec(10.5, shellOf(500, worker2, "/var/www/html"), "/bin/sh", "-c", "date -u")
			if tc.after {
				accept(worker2, 10.5)
				if tc.twoInTick {
					accept(worker2, 10.5)
				}
			}
			accept(worker2, 10.6)
			for n, p := range []string{"/products.php", "/status.php", "/contact.php"} {
				method := "GET"
				if p == "/contact.php" {
					method = "POST"
				}
				r := s.http(10, method, p, 200, "198.51.100.7", "Mozilla/5.0")
				r.HTTP.Bytes = 100
				r.Evidence[0].Pos.Line = n + 1
			}
			if end, ok := s.b.workerAccepts.endAfter(sh.Proc.Parent, sh); !ok || !end.Equal(s.at(tc.wantEnd)) {
				t.Errorf("the run's request ended %v (%v), want %v", end, ok, s.at(tc.wantEnd))
			}
			rl := s.b.matchRequests().execs[sh.Proc]
			if tc.want == "" {
				if rl.Request != nil {
					t.Fatalf("named %s (%s), want ambiguous", describeRequest(rl.Request), rl.Reason)
				}
				return
			}
			if rl.Request == nil || rl.Request.HTTP.Path != tc.want || rl.Basis != BasisEndOrder {
				t.Fatalf("link %v basis %q (%s), want %s by end order", rl.Request, rl.Basis, rl.Reason, tc.want)
			}
		})
	}
}
