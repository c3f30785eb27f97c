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
		{name: "an accept in the exec's own clock tick, numbered before it (reqtick.go): one end more than the lines", w1: []float64{5, 10.3}, w2: []float64{5, 10.5, 10.6}, exec: 10.5},
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

// TestEndOrderKnownPairs (rule 5g): the second's other ends whose
// request another rule named must sit at their own rank among its lines;
// a line written later than its worker's end shows so, and the second
// names nothing. Four workers end in one second: worker3 at .2 (an
// export whose zip carries the request's pack=tote42, a parameter link),
// worker1 at .4 (the product page), worker2 at .6 (the status page,
// whose shell ran date), worker4 at .8 (the contact form).
func TestEndOrderKnownPairs(t *testing.T) {
	worker3 := who{pid: 103, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	worker4 := who{pid: 104, ppid: 100, uid: 33, exe: "/usr/sbin/php-fpm8.2", cwd: "/var/www/html"}
	for _, tc := range []struct {
		name  string
		order []string // the second's lines, in the log's order
		want  string
	}{
		{name: "the export's line at its end's rank: the order holds", order: []string{"/export.php", "/products.php", "/status.php", "/contact.php"}, want: "/status.php"},
		{name: "the export's line written last: the order is broken", order: []string{"/products.php", "/status.php", "/contact.php", "/export.php"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.touch(0, worker3)
			s.touch(0, worker4)
			accept := s.poolAccept
			for _, w := range []who{worker1, worker2, worker3, worker4} {
				accept(w, 5)
			}
			s.exec(10.1, shellOf(600, worker3, "/var/www/html"), "/usr/bin/zip", "-j", "-q", "/tmp/pack-tote42.zip", "tote42.png")
			accept(worker3, 10.2)
			accept(worker1, 10.4)
			sh := s.exec(10.5, shellOf(500, worker2, "/var/www/html"), "/bin/sh", "-c", "date -u")
			accept(worker2, 10.6)
			accept(worker4, 10.8)
			for n, p := range tc.order {
				method, target := "GET", p
				switch p {
				case "/export.php":
					method, target = "POST", "/export.php?pack=tote42"
				case "/contact.php":
					method = "POST"
				}
				r := s.http(10, method, target, 200, "198.51.100.7", "Mozilla/5.0")
				r.HTTP.Bytes = 100
				r.Evidence[0].Pos.Line = n + 1
			}
			cz := s.b.matchRequests()
			var zip RequestLink
			for p, rl := range cz.execs {
				if p.Key.PID == 600 {
					zip = rl
				}
			}
			if zip.Request == nil || zip.Request.HTTP.Path != "/export.php" || zip.Basis != BasisParameter {
				t.Fatalf("the zip's link: %v basis %q (%s), want the export by its parameter", zip.Request, zip.Basis, zip.Reason)
			}
			rl := cz.execs[sh.Proc]
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

// TestEndOrderOverCarrierHistory: a form's GET and its POST to one URL
// both carry the order number, and both render the invoice. The GET
// route was alone in flight at earlier renders (its history); the POST,
// always beside its GET, has none. In the second where both are logged,
// the workers' order of ends (rule 5g) says which render was whose; the
// history names only the route it knows and must not take the POST's
// render (benign-shop-invoices: 60 renders left unnamed by that).
func TestEndOrderOverCarrierHistory(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	accept := s.poolAccept
	const url = "/account/invoice.php?order=1044"
	render := func(pid int, w who, at float64) *parser.Event {
		return s.exec(at, shellOf(pid, w, "/var/www/html"), "/usr/local/bin/wkhtmltopdf", "--title", "Invoice 1044", "/var/www/html/data/invoices/1044.pdf")
	}
	// the history: the GET alone in flight at three earlier renders
	line := 0
	for k, sec := range []float64{2, 5, 8} {
		accept(worker1, sec+0.1)
		render(400+k, worker1, sec+0.3)
		accept(worker1, sec+0.5)
		line++
		r := s.http(sec+0.5, "GET", url, 200, "198.51.100.7", "Mozilla/5.0")
		r.HTTP.Bytes = 2581
		r.Evidence[0].Pos.Line = line
	}
	// second 20: the GET served by worker1 (ends at .4), the POST by
	// worker2 (ends at .8), both in flight at both renders
	accept(worker1, 19.0)
	accept(worker2, 19.0)
	get := render(500, worker1, 20.2)
	post := render(501, worker2, 20.5)
	accept(worker1, 20.4)
	accept(worker2, 20.8)
	for _, l := range []struct {
		method string
		bytes  int64
	}{{"GET", 2581}, {"POST", 52}} {
		line++
		r := s.http(20, l.method, url, 200, "198.51.100.7", "Mozilla/5.0")
		r.HTTP.Bytes = l.bytes
		r.Evidence[0].Pos.Line = line
	}
	links := s.b.matchRequests().execs
	for _, c := range []struct {
		ev   *parser.Event
		want string
	}{{get, "GET"}, {post, "POST"}} {
		rl := links[c.ev.Proc]
		if rl.Request == nil || rl.Request.HTTP.Method != c.want || rl.Request.Time.Second() != 20 {
			t.Fatalf("%s's render: linked to %v (%s), want the %s of second 20", c.want, rl.Request, rl.Reason, c.want)
		}
	}
	if rl := links[post.Proc]; rl.Basis != BasisEndOrder || !strings.Contains(rl.Reason, "route history's pick") || len(rl.Candidates) != 2 {
		t.Errorf("the POST's render: basis %q, %d candidates, reason %q: want rule 5g over the history, saying so, with both carriers offered", rl.Basis, len(rl.Candidates), rl.Reason)
	}
}
