package timeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditchain/auditchain/parser"
)

// TestWorkerNextAccept: a php-fpm worker serves one request at a time, so
// a request logged well after the worker accepted its next connection was
// not the one a child of it came from. Each case is a shell of worker1 at
// 10.2 s; GET /status.php (logged at 10 s) is its request; GET
// /products.php is logged at 12 s, which without durations is in flight
// too. The bound may only narrow when every condition of reqworker.go
// holds; otherwise the link stays ambiguous.
func TestWorkerNextAccept(t *testing.T) {
	other := who{pid: 201, ppid: 200, uid: 33, exe: "/usr/sbin/lighttpd", cwd: "/var/www/html"}
	cases := []struct {
		name     string
		worker   who
		accepts  []float64 // pool (unix) accepts of the worker
		bind     []float64 // inet accepts of the worker (a bind shell in a script)
		bytes    int64     // the products page's response size
		loggedAt float64   // when the products request is logged
		narrowed bool
	}{
		{name: "next accept rules out the later request", worker: worker1, accepts: []float64{10.1, 10.4}, bytes: 200, loggedAt: 12, narrowed: true},
		{name: "logged within the slack of the next accept", worker: worker1, accepts: []float64{10.1, 10.4}, bytes: 200, loggedAt: 11},
		{name: "big response: its line may come long after the worker is free", worker: worker1, accepts: []float64{10.1, 10.4}, bytes: 20000, loggedAt: 12},
		{name: "no accept after the exec", worker: worker1, accepts: []float64{10.1}, bytes: 200, loggedAt: 12},
		{name: "a bind shell's accept is no new request", worker: worker1, accepts: []float64{5, 10.1, 30, 40}, bind: []float64{10.4}, bytes: 200, loggedAt: 12},
		{name: "not php-fpm: a worker may serve several requests at once", worker: other, accepts: []float64{10.1, 10.4}, bytes: 200, loggedAt: 12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			s.touch(0, who{pid: 200, ppid: 1, uid: 0, exe: "/usr/sbin/lighttpd"})
			s.touch(0, tc.worker)
			for _, at := range tc.accepts {
				ev := s.proc(parser.KindAccept, at, tc.worker, "accept")
				ev.Peer = parser.Addr{Family: "unix"}
				s.feed(ev)
			}
			for _, at := range tc.bind {
				s.accept(at, tc.worker, "203.0.113.9", 40000)
			}
			sh := s.exec(10.2, shellOf(500, tc.worker, "/var/www/html"), "/bin/sh", "-c", "date -u")
			st := s.http(10, "GET", "/status.php", 200, "127.0.0.1", "kube-probe/1.29")
			st.HTTP.Bytes = 35
			pr := s.http(tc.loggedAt, "GET", "/products.php", 200, "198.51.100.7", "Mozilla/5.0")
			pr.HTTP.Bytes = tc.bytes
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("the shell has no request link at all")
			}
			if !tc.narrowed {
				if rl.Basis != BasisAmbiguous || len(rl.Candidates) != 2 {
					t.Errorf("basis %q, %d candidates (%s): want ambiguous between the two", rl.Basis, len(rl.Candidates), rl.Reason)
				}
				return
			}
			if rl.Request != st || rl.Basis != BasisOnly || !rl.Inferred {
				t.Fatalf("link %v basis %q inferred %v (%s): want GET /status.php, only-in-flight, inferred", rl.Request, rl.Basis, rl.Inferred, rl.Reason)
			}
			if !strings.Contains(rl.Reason, "went back to accept its next connection") || !strings.Contains(rl.Reason, "one request at a time") {
				t.Errorf("the reason does not say which evidence narrowed it: %q", rl.Reason)
			}
		})
	}
}

// TestWorkerBusyVeto: the worker went back to accept only at 13.9 s, so
// the request it was serving ended then; GET / (logged at 11 s), the only
// request the 2 s window holds, ended before and was not it: no request
// is named (desk-attachname: a web shell's GET held 4.7 s). A client that
// left (499) is logged before its worker ends: no veto.
func TestWorkerBusyVeto(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		vetoed bool
	}{
		{"the only candidate ended before the worker did", 200, true},
		{"a client that left is logged before its worker ends", 499, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			for _, at := range []float64{10.1, 13.9} {
				ev := s.proc(parser.KindAccept, at, worker1, "accept")
				ev.Peer = parser.Addr{Family: "unix"}
				s.feed(ev)
			}
			sh := s.exec(10.2, shellOf(500, worker1, "/var/www/html"), "/usr/bin/ssh", "-f", "-N", "-D", "127.0.0.1:1080", "deploy@127.0.0.1")
			r := s.http(11, "GET", "/", tc.status, "198.51.100.7", "Mozilla/5.0")
			r.HTTP.Bytes = 300
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("no link at all")
			}
			switch {
			case tc.vetoed && (rl.Request != nil || !strings.HasPrefix(rl.Reason, "no request named: the only candidate")):
				t.Errorf("linked to %v (%s): want no request named", rl.Request, rl.Reason)
			case !tc.vetoed && rl.Request != r:
				t.Errorf("link %v (%s): want GET /", rl.Request, rl.Reason)
			}
		})
	}
}

// TestWorkerBusyCandidates: without a duration in the log the window's
// bound is an assumption, and the worker's next accept is a fact: the
// request a php-fpm worker's child came from was still being served at
// the exec and ended before the worker accepted again (its line follows
// within the slack). A web shell's POST held past the assumed bound is
// such a request: it is a candidate, where before the list held only the
// visitor's GET / of the window (a list without the cause). Each case: a
// shell of worker1 at 10.2 s whose worker went back to accept at
// nextAccept; GET / logged at 11 s; the web shell's POST logged at
// postAt.
func TestWorkerBusyCandidates(t *testing.T) {
	cases := []struct {
		name       string
		worker     who
		cwd        string
		nextAccept float64 // 0: none after the exec
		postAt     float64
		want       string // "post": named; "both": ambiguous, both listed; "end-order": the POST named by rule 5g, both listed; "get": GET / alone as before; "none": no request named
	}{
		{name: "held past the bound: the script's folder names it", worker: worker1, cwd: "/var/www/html/img", nextAccept: 16.4, postAt: 16, want: "post"},
		// both are candidates; the worker's end at 16.4 s is the only end
		// of that second, whose only script line is the POST (rule 5g,
		// reqorder.go)
		{name: "held past the bound, no folder tells: both are candidates, the end's second names the POST", worker: worker1, cwd: "/var/www/html", nextAccept: 16.4, postAt: 16, want: "end-order"},
		{name: "its line within the slack after the accept", worker: worker1, cwd: "/var/www/html", nextAccept: 16.4, postAt: 17, want: "both"},
		{name: "logged after the worker was long free: not its request", worker: worker1, cwd: "/var/www/html/img", nextAccept: 13.9, postAt: 16, want: "none"},
		{name: "no accept after the exec: the bound stands", worker: worker1, cwd: "/var/www/html/img", postAt: 16, want: "get"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			accepts := []float64{10.1}
			if tc.nextAccept > 0 {
				accepts = append(accepts, tc.nextAccept)
			}
			for _, at := range accepts {
				ev := s.proc(parser.KindAccept, at, tc.worker, "accept")
				ev.Peer = parser.Addr{Family: "unix"}
				s.feed(ev)
			}
			sh := s.exec(10.2, shellOf(500, tc.worker, tc.cwd), "/bin/sh", "-c", "id; hostname")
			get := s.http(11, "GET", "/", 200, "198.51.100.7", "Mozilla/5.0")
			get.HTTP.Bytes = 300
			post := s.http(tc.postAt, "POST", "/img/.mt.php", 200, "203.0.113.9", "python-requests/2.31.0")
			post.HTTP.Bytes = 100
			rl, ok := s.b.matchRequests().execs[sh.Proc]
			if !ok {
				t.Fatal("the shell has no request link at all")
			}
			has := func(r *parser.Event) bool { return slices.Contains(rl.Candidates, r) }
			switch tc.want {
			case "post":
				if rl.Request != post || rl.Basis != BasisOnly {
					t.Fatalf("link %v basis %q (%s): want the POST, only-in-flight", rl.Request, rl.Basis, rl.Reason)
				}
				if !strings.Contains(rl.Reason, "went back to accept") {
					t.Errorf("the reason does not say the worker's busy time widened the candidates: %q", rl.Reason)
				}
			case "end-order":
				if rl.Request != post || rl.Basis != BasisEndOrder || !has(get) || !has(post) {
					t.Fatalf("link %v basis %q, %d candidates (%s): want the POST by end order, GET / and the POST listed", rl.Request, rl.Basis, len(rl.Candidates), rl.Reason)
				}
			case "both":
				if rl.Request != nil || !has(get) || !has(post) {
					t.Fatalf("link %v, %d candidates (%s): want ambiguous between GET / and the POST", rl.Request, len(rl.Candidates), rl.Reason)
				}
			case "get":
				if rl.Request != get {
					t.Fatalf("link %v (%s): want GET /", rl.Request, rl.Reason)
				}
			case "none":
				if rl.Request != nil || has(post) {
					t.Fatalf("link %v, %d candidates (%s): want no request named, the POST no candidate", rl.Request, len(rl.Candidates), rl.Reason)
				}
			}
		})
	}
}

// TestVetoOffersWhatStillFits: the route history picks /a.php, whose
// line (second 10) ended before the worker went back to accept at
// 11.6; /b.php, logged at 11, was in flight too and fits the worker's
// busy time. No request is named (a script may have sent its response
// early), but /b.php is offered with the vetoed pick, and the reason
// does not claim the cause lay outside the window.
func TestVetoOffersWhatStillFits(t *testing.T) {
	s := newSim(t, Options{})
	s.webServer()
	accept := s.poolAccept
	line := 0
	logLine := func(at float64, path string) {
		line++
		r := s.http(at, "GET", path, 200, "198.51.100.7", "Mozilla/5.0")
		r.HTTP.Bytes = 300
		r.Evidence[0].Pos.Line = line
	}
	for k, sec := range []float64{2, 4, 6} { // /a.php alone at three runs
		accept(worker1, sec+0.1)
		s.exec(sec+0.3, shellOf(400+k, worker1, "/var/www/html"), "/bin/sh", "-c", "convert in.png out.png")
		accept(worker1, sec+0.5)
		logLine(sec+0.5, "/a.php")
	}
	accept(worker1, 10.1)
	sh := s.exec(10.5, shellOf(500, worker1, "/var/www/html"), "/bin/sh", "-c", "convert in.png out.png")
	accept(worker1, 11.6)
	logLine(10, "/a.php")
	logLine(11, "/b.php")
	rl, ok := s.b.matchRequests().execs[sh.Proc]
	if !ok {
		t.Fatal("no link")
	}
	if rl.Request != nil {
		t.Fatalf("named %s (%s), want no request named", describeRequest(rl.Request), rl.Reason)
	}
	var paths []string
	for _, c := range rl.Candidates {
		paths = append(paths, c.HTTP.Path)
	}
	if strings.Join(paths, " ") != "/b.php /a.php" || !strings.Contains(rl.Reason, "still fits") || strings.Contains(rl.Reason, "did not reach") {
		t.Errorf("candidates %v, reason %q: want /b.php offered before the vetoed /a.php, said so", paths, rl.Reason)
	}
}
