package timeline

import (
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestFrontServedRoutes (rule 5g's count, reqfront.go): a path that names
// no PHP script (GET /) may be answered by nginx itself or passed to
// php-fpm; the log's seconds say which, and rule 5g counts its lines only
// when php-fpm serves it. Each visitor round logs GET /, GET
// /products.php and GET /status.php in one second, no duration; worker1
// ends the product page at .3, worker2 the status page at .6, and the
// shell worker2 started at .5 ran date. With GET / counted as a script
// line the second has one line more than php-fpm's ends and rule 5g named
// nothing. The verdict is the path's: a scanner's OPTIONS / (405) in the
// last round is nginx's too, not a script line that takes a worker's end.
func TestFrontServedRoutes(t *testing.T) {
	worker3 := who{pid: 103, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	for _, tc := range []struct {
		name   string
		rounds int
		fpmAt  []int  // rounds in which php-fpm (worker3) served GET / too
		want   string // the request the last round's shell is tied to, "" for ambiguous
		front  bool   // the reason says the front server answers GET /
		probe  bool   // the last round also logs a scanner's OPTIONS / (405)
	}{
		{name: "GET / never had a worker's end: nginx answers it", rounds: 4, want: "/status.php", front: true},
		{name: "GET / never had a worker's end: nginx answers OPTIONS / too", rounds: 4, want: "/status.php", front: true, probe: true},
		{name: "two rounds are too few to say", rounds: 2},
		{name: "GET / had a worker's end every round: php-fpm serves it, counted", rounds: 4, fpmAt: []int{0, 1, 2, 3}, want: "/status.php"},
		{name: "GET / had an end in one round of four: its seconds disagree", rounds: 4, fpmAt: []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.touch(0, worker3)
			for _, w := range []who{worker1, worker2, worker3} {
				ev := s.proc(parser.KindAccept, 5, w, "accept")
				ev.Peer = parser.Addr{Family: "unix"}
				s.feed(ev)
			}
			accept := s.poolAccept
			line := func(n int, at float64, method, path string, status int, bytes int64) {
				r := s.http(at, method, path, status, "198.51.100.7", "Mozilla/5.0")
				r.HTTP.Bytes = bytes
				r.Evidence[0].Pos.Line = n
			}
			var last *parser.Event
			for k := 0; k < tc.rounds; k++ {
				sec := float64(10 + 10*k)
				served := false
				for _, r := range tc.fpmAt {
					served = served || r == k
				}
				if served {
					accept(worker3, sec+0.15)
				}
				accept(worker1, sec+0.3)
				last = s.exec(sec+0.5, shellOf(500+k, worker2, "/var/www/html"), "/bin/sh", "-c", "date -u")
				accept(worker2, sec+0.6)
				if tc.probe && k == tc.rounds-1 {
					line(4*k+1, sec, "OPTIONS", "/", 405, 157)
				}
				line(4*k+2, sec, "GET", "/", 200, 338)
				line(4*k+3, sec, "GET", "/products.php", 200, 144)
				line(4*k+4, sec, "GET", "/status.php", 200, 35)
			}
			rl, ok := s.b.matchRequests().execs[last.Proc]
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
				t.Fatalf("link %v basis %q (%s), want %s by end order, low, inferred", rl.Request, rl.Basis, rl.Reason, tc.want)
			}
			if said := strings.Contains(rl.Reason, "the front server answers itself"); said != tc.front {
				t.Errorf("the reason says the front server answers GET /: %v, want %v (%s)", said, tc.front, rl.Reason)
			}
		})
	}
}
