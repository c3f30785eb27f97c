package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestEndOrder (rule 5g): within one second of a log to the second, the
// lines of the requests php-fpm served are in the order its workers went
// back to accept. GET /products.php (line 1) and GET /status.php (line 2)
// are both logged at 10 s, no duration, both in flight at the shell
// worker2 started at 10.5 s; worker1 and worker2 had served earlier
// requests (accepts at 5 s). The rank of worker2's end among the
// second's ends names the line, only when every condition holds.
func TestEndOrder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w1, w2   []float64 // pool accepts of each worker
		exec     float64
		extra    string // a third line in the second: "contact" (a script), "404"
		bigBytes bool   // the status page's response is big
		want     string // the request named, "" for ambiguous
	}{
		{name: "worker2 ended second: the second line", w1: []float64{5, 10.3}, w2: []float64{5, 10.6}, exec: 10.5, want: "/status.php"},
		{name: "worker2 ended first: the first line", w1: []float64{5, 10.6}, w2: []float64{5, 10.3}, exec: 10.2, want: "/products.php"},
		{name: "a script line with no end: counts differ", w1: []float64{5, 10.3}, w2: []float64{5, 10.6}, exec: 10.5, extra: "contact"},
		{name: "a 404 in the second: php-fpm may have served it", w1: []float64{5, 10.3}, w2: []float64{5, 10.6}, exec: 10.5, extra: "404"},
		{name: "two ends 5 ms apart: their lines in either order", w1: []float64{5, 10.595}, w2: []float64{5, 10.6}, exec: 10.5},
		{name: "an end near the second's turn", w1: []float64{5, 10.3}, w2: []float64{5, 10.98}, exec: 10.5},
		// another end near a turn may have its line in either second: the
		// line count says how many did, and when that fixes how many lie
		// before the run's end, the rank holds
		{name: "another end near the next turn, after the run's: its line in the second", w1: []float64{5, 10.3, 10.98}, w2: []float64{5, 10.6}, exec: 10.5, extra: "contact", want: "/status.php"},
		{name: "another end near the next turn, after the run's: its line in the next second", w1: []float64{5, 10.3, 10.98}, w2: []float64{5, 10.6}, exec: 10.5, want: "/status.php"},
		{name: "an end near the start turn, its line in the second before", w1: []float64{5, 9.99, 10.3}, w2: []float64{5, 10.6}, exec: 10.5, want: "/status.php"},
		{name: "ends near both turns, one line more: before the run's or after, the count does not say", w1: []float64{5, 10.01, 10.3, 10.98}, w2: []float64{5, 10.6}, exec: 10.5, extra: "contact"},
		{name: "ends near a turn, lines more than they can give", w1: []float64{5, 10.3, 10.98}, w2: []float64{5, 10.6}, exec: 10.5, extra: "two"},
		{name: "a worker's first accept in the second ends nothing seen", w1: []float64{10.3, 10.45}, w2: []float64{5, 10.6}, exec: 10.5},
		{name: "a big response leaves at the client's pace", w1: []float64{5, 10.3}, w2: []float64{5, 10.6}, exec: 10.5, bigBytes: true},
		{name: "an accept in the exec's own clock tick", w1: []float64{5, 10.3}, w2: []float64{5, 10.5, 10.6}, exec: 10.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			for _, w := range []struct {
				who who
				at  []float64
			}{{worker1, tc.w1}, {worker2, tc.w2}} {
				for _, at := range w.at {
					ev := s.proc(parser.KindAccept, at, w.who, "accept")
					ev.Peer = parser.Addr{Family: "unix"}
					s.feed(ev)
				}
			}
			sh := s.exec(tc.exec, shellOf(500, worker2, "/var/www/html"), "/bin/sh", "-c", "date -u")
			line := func(n int, method, path string, status int, bytes int64) {
				r := s.http(10, method, path, status, "198.51.100.7", "Mozilla/5.0")
				r.HTTP.Bytes = bytes
				r.Evidence[0].Pos.Line = n
			}
			line(1, "GET", "/products.php", 200, 144)
			st := int64(35)
			if tc.bigBytes {
				st = 20000
			}
			line(2, "GET", "/status.php", 200, st)
			switch tc.extra {
			case "contact":
				line(3, "POST", "/contact.php", 200, 17)
			case "two":
				line(3, "POST", "/contact.php", 200, 17)
				line(4, "POST", "/newsletter.php", 200, 17)
			case "404":
				line(3, "GET", "/img/.x.php", 404, 5)
			}
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("no link")
			}
			if tc.want == "" {
				if rl.Request != nil {
					t.Fatalf("named %s (%s), want ambiguous", describeRequest(rl.Request), rl.Reason)
				}
				return
			}
			if rl.Request == nil || rl.Request.HTTP.Path != tc.want || rl.Basis != BasisEndOrder || rl.Confidence != ConfidenceLow || !rl.Inferred {
				t.Fatalf("link %v basis %q confidence %q (%s), want %s by end order, low, inferred", rl.Request, rl.Basis, rl.Confidence, rl.Reason, tc.want)
			}
			if !strings.Contains(rl.Reason, "order the workers ended") || len(rl.Candidates) < 2 {
				t.Errorf("the reason does not say why, or the candidates are not listed: %s (%d)", rl.Reason, len(rl.Candidates))
			}
		})
	}
}
