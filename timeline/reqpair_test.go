package timeline

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestPairRuns (rule 5d): a route whose requests and a command's runs are
// as many, every request holding a run and every run inside a request,
// ran the command once per request; ordered in time they pair one to one,
// and a run that can pair with only one request in every such pairing is
// that request's (benign-tomcat: the health check every 1.5 s in a log to
// the second with no duration, two of its requests in flight at each df).
// A run that two pairings place differently, or counts that differ, decide
// nothing.
func TestPairRuns(t *testing.T) {
	base := time.Date(2026, 12, 3, 15, 48, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	// a request logged at second sec, no duration: [sec−2 s, sec+1 s)
	logged := func(secs ...float64) []reqSpan {
		var out []reqSpan
		for _, s := range secs {
			out = append(out, reqSpan{start: at(s - 2), end: at(s + 1).Add(-time.Nanosecond)})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		runs []float64
		reqs []reqSpan
		want []int // per run: its request, -1 for none
	}{
		{name: "in flight with the next one: the pairing decides", runs: []float64{42.794, 44.346, 45.99}, reqs: logged(42, 44, 45), want: []int{0, 1, 2}},
		{name: "two runs inside both of two requests", runs: []float64{43.1, 43.5}, reqs: logged(43, 44), want: []int{-1, -1}},
		{name: "a request more than runs", runs: []float64{42.794, 44.346}, reqs: logged(42, 44, 45), want: []int{-1, -1}},
		{name: "a run outside every request", runs: []float64{42.794, 50}, reqs: logged(42, 44), want: []int{-1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var runs []time.Time
			for _, r := range tc.runs {
				runs = append(runs, at(r))
			}
			for j := range runs {
				got, ok := pairedRequest(runs, tc.reqs, j)
				if !ok {
					got = -1
				}
				if got != tc.want[j] {
					t.Errorf("run %d at %.3f: paired with %d, want %d", j, tc.runs[j], got, tc.want[j])
				}
			}
		})
	}
}

// TestUnionPairs (rule 5e): a command two routes run (mail from the
// subscribe form and from the comment form) has no route at every run,
// so rule 5b names none. When each of those routes' requests held a run
// and together they have as many requests as the command has runs,
// pairing one to one in time, a run is the request every pairing gives
// it. A request of theirs with no run, or a route in flight at runs it
// did not cause (a reader's page), breaks the count: nothing is named.
func TestUnionPairs(t *testing.T) {
	const sub, com, page = 0, 1, 2
	routes := []string{"POST /subscribe.php", "POST /comment.php", "GET /article.php"}
	base := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	for _, tc := range []struct {
		name     string
		subIdle  bool // a subscribe request that sent no mail
		pageWith bool // a reader's page in flight at every run too (and once without)
		before   bool // three runs before the log's first line
		gap      bool // a run between two rounds, nothing in flight
		want     bool
	}{
		{name: "two routes, one run per request", want: true},
		{name: "two routes and a page always beside them", pageWith: true, want: true},
		{name: "a subscribe request without mail", subIdle: true},
		// runs before the log's first line have their requests outside
		// the log (a log emptied or rotated away): they count for nothing
		{name: "runs before the log begins", before: true, want: true},
		// a run inside the log with no request in flight is a line missing
		// from it: the counts differ
		{name: "a run inside the log with nothing in flight", gap: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var infos []reqInfo
			req := func(route int, start, end float64) int {
				infos = append(infos, reqInfo{route: routes[route], eligible: true, span: reqSpan{start: at(start), end: at(end)}})
				return len(infos) - 1
			}
			var ms []*rootMatch
			want := map[*rootMatch]int{}
			for k := range 12 {
				t0 := float64(10 * (k + 1))
				r := sub
				if k%3 == 2 {
					r = com
				}
				i := req(r, t0-0.5, t0+1.5) // a wide window: the next round's not in it
				in := []int{i}
				if tc.pageWith {
					in = append(in, req(page, t0-1, t0+1))
				}
				m := &rootMatch{root: &parser.Process{}, sig: "dash|sendmail -t -i", ex: &parser.Event{Time: at(t0)}, inFlight: in, around: in}
				ms = append(ms, m)
				want[m] = i
			}
			if tc.pageWith {
				req(page, 500, 501)
			}
			var extra []float64
			if tc.before {
				extra = append(extra, 1, 2, 3)
			}
			if tc.gap {
				extra = append(extra, 65)
			}
			for _, t0 := range extra {
				ms = append(ms, &rootMatch{root: &parser.Process{}, sig: "dash|sendmail -t -i", ex: &parser.Event{Time: at(t0)}})
			}
			if tc.subIdle {
				req(sub, 600, 601)
			}
			union := unionPairs(ms, infos)
			for _, m := range ms {
				if len(m.inFlight) == 0 {
					continue // asked only for runs with requests in flight
				}
				i, _, ok := union(m)
				if ok != tc.want || ok && i != want[m] {
					t.Fatalf("run at %s: request %d %v, want %d %v", m.ex.Time.Format("15:04:05"), i, ok, want[m], tc.want)
				}
			}
		})
	}
}

// TestRequestLinksLogEmptied: cuspid-labelfmt's access log holds no line
// before 03:31:38 (the intruder's grep -v ../ matched every line). The
// hundreds of runs of the PDF export's shell before it have no request in
// the log, and counted in rule 5b they left the command no route: each
// export after it stayed ambiguous among its case page, the probe and its
// own request. Counted only inside the time the log holds, the note.pdf
// route is the one whose every request held a run (rule 5c).
func TestRequestLinksLogEmptied(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "cuspid-labelfmt"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		serial uint64
		path   string
	}{
		{176652, "/cases/2609/note.pdf"}, // sh -c groff … N-2609.ms | ps2pdf
		{176930, "/cases/2612/note.pdf"},
	} {
		rl, found := linkOfExec(t, cz, bySerial, tc.serial)
		switch {
		case !found || rl.Request == nil:
			t.Errorf("serial %d: no request named (%s)", tc.serial, rl.Reason)
		case rl.Request.HTTP.Path != tc.path:
			t.Errorf("serial %d: linked to %s, want %s (%s)", tc.serial, describeRequest(rl.Request), tc.path, rl.Reason)
		case rl.Basis != BasisRoute:
			t.Errorf("serial %d: basis %q, reason %q", tc.serial, rl.Basis, rl.Reason)
		}
	}
}

// TestRequestLinksSeveralRoutes: benign-news sends mail from its subscribe
// form and from its comment form (the same sendmail), no route in flight
// at every run; rule 5e names each run's request and says how.
func TestRequestLinksSeveralRoutes(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-news"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		serial uint64
		path   string
	}{
		{30512, "/comment.php"},
		{30559, "/subscribe.php"},
	} {
		rl, found := linkOfExec(t, cz, bySerial, tc.serial)
		switch {
		case !found || rl.Request == nil:
			t.Errorf("serial %d: no request named (%s)", tc.serial, rl.Reason)
		case rl.Request.HTTP.Path != tc.path:
			t.Errorf("serial %d: linked to %s, want %s (%s)", tc.serial, describeRequest(rl.Request), tc.path, rl.Reason)
		case rl.Basis != BasisRoute || rl.Confidence != ConfidenceLow || !strings.Contains(rl.Reason, "one-to-one pairing") || !strings.Contains(rl.Reason, "POST /comment.php and POST /subscribe.php"):
			t.Errorf("serial %d: basis %q confidence %q, reason %q", tc.serial, rl.Basis, rl.Confidence, rl.Reason)
		}
	}
}
