package timeline

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestRequestLinksCGIScript: on cgi-backdoor (lighttpd → php-cgi <script>
// per request, a log to the second with %D) the CGI program is the
// request's own process, and the script it runs names the request.
func TestRequestLinksCGIScript(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "cgi-backdoor"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		name     string
		serial   uint64 // an exec of the CGI program or of its child
		path     string // the request's path
		durUS    int64  // its logged %D, to tell identical lines apart (0: any)
		basis    string
		inferred bool
	}{
		// GET / and GET /status.php of two visitors in flight together:
		// only the one whose path names index.php started this php-cgi
		{"index.php for GET /", 7288, "/", 0, BasisScript, false},
		{"status.php's shell", 7304, "/status.php", 0, BasisScript, false},
		// the backdoor re-entry: help.php's php-cgi execs id directly, no
		// parameter of the request is in any argv
		{"backdoor id under help.php", 8076, "/help.php", 0, BasisScript, false},
		// two GET /help.php end in one logged second: the log's line order
		// and durations leave one pairing
		{"first of two identical help.php", 8338, "/help.php", 158335, BasisScript, true},
		{"second of two identical help.php", 8350, "/help.php", 318413, BasisScript, true},
		// the injection in a POST body (not logged): the GET
		// /report.php?month=2026-9 in flight too ran its own php-cgi (its
		// month is in that one's argv), which leaves the POST
		{"injected uname through POST report.php", 7636, "/report.php", 0, BasisScript, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, found := linkOfExec(t, cz, bySerial, tc.serial)
			switch {
			case !found:
				t.Fatalf("serial %d: no request link", tc.serial)
			case rl.Request == nil:
				t.Fatalf("serial %d: no request named: %s", tc.serial, rl.Reason)
			case rl.Request.HTTP.Path != tc.path:
				t.Errorf("serial %d: linked to %s, want %s (%s)", tc.serial, describeRequest(rl.Request), tc.path, rl.Reason)
			case tc.durUS != 0 && rl.Request.HTTP.Duration.Microseconds() != tc.durUS:
				t.Errorf("serial %d: linked to the line with %%D %d, want %d (%s)", tc.serial, rl.Request.HTTP.Duration.Microseconds(), tc.durUS, rl.Reason)
			case tc.basis != "" && rl.Basis != tc.basis || rl.Inferred != tc.inferred:
				t.Errorf("serial %d: basis %q inferred %v, want %q %v (%s)", tc.serial, rl.Basis, rl.Inferred, tc.basis, tc.inferred, rl.Reason)
			case rl.Basis == BasisScript && !strings.Contains(rl.Reason, "document root /srv/reports/www"):
				t.Errorf("serial %d: the learned document root is not said: %s", tc.serial, rl.Reason)
			}
		})
	}
}

// linkOfExec returns the request link of the exec with an audit serial:
// its process's, or its nearest ancestor's.
func linkOfExec(t *testing.T, cz causality, bySerial map[uint64]*parser.Event, serial uint64) (RequestLink, bool) {
	t.Helper()
	ev := bySerial[serial]
	if ev == nil || ev.Proc == nil {
		t.Fatalf("serial %d: no exec", serial)
	}
	for p := ev.Proc; p != nil; p = p.Parent {
		if rl, ok := cz.execs[p]; ok {
			return rl, true
		}
	}
	return RequestLink{}, false
}

func TestNamesScript(t *testing.T) {
	for _, tc := range []struct {
		root, url, script string
		want              bool
	}{
		{"/srv/www", "/status.php", "/srv/www/status.php", true},
		{"/srv/www", "/", "/srv/www/index.php", true},
		{"/srv/www", "/admin/", "/srv/www/admin/index.php", true},
		{"/srv/www", "/admin/", "/srv/www/index.php", false},
		{"/srv/www", "/index.php/a/b", "/srv/www/index.php", true},
		{"/srv/www", "/status%2ephp", "/srv/www/status.php", true},
		{"/srv/www", "/x/../status.php", "/srv/www/status.php", true},
		{"/srv/www", "/help.php", "/srv/www/status.php", false},
		{"/srv/www", "/index.php.bak", "/srv/www/index.php", false},
		{"/srv/www", "/cache/status.php", "/srv/www/status.php", false},
	} {
		if got := namesScript(tc.root, tc.url, tc.script); got != tc.want {
			t.Errorf("namesScript(%q, %q, %q) = %v, want %v", tc.root, tc.url, tc.script, got, tc.want)
		}
	}
}

// TestRequestLinksLaggingClock: lighttpd stamps its access lines with a
// clock its event loop refreshes about once a second, so a line may carry
// a second that ended before its request did (benign-reports: status.php
// served 00:15:50.920..51.157 is logged at 00:15:50, its php-cgi started
// at 51.026). The request's end may lie up to a second past its logged
// second: taken as ending in that second, the request was out of flight,
// its php-cgi went unlinked, and its shell was tied to the only request
// left (GET /help.php), which the one-worker rule then had to undo.
func TestRequestLinksLaggingClock(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-reports"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		name   string
		serial uint64
		path   string
		query  string
	}{
		{"status.php's php-cgi", 81656, "/status.php", ""},
		{"status.php's uptime", 81662, "/status.php", ""},
		{"report.php's php-cgi", 81665, "/report.php", "month=2026-10"},
		{"report.php's rptgen", 81666, "/report.php", "month=2026-10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, found := linkOfExec(t, cz, bySerial, tc.serial)
			switch {
			case !found:
				t.Fatalf("serial %d: no request link", tc.serial)
			case rl.Request == nil:
				t.Fatalf("serial %d: no request named: %s", tc.serial, rl.Reason)
			case rl.Request.HTTP.Path != tc.path || rl.Request.HTTP.Query != tc.query:
				t.Errorf("serial %d: linked to %s, want %s?%s (%s)", tc.serial, describeRequest(rl.Request), tc.path, tc.query, rl.Reason)
			}
		})
	}
}

// TestPairingHoldsTrailingClock: a line stamped by a clock that trails
// (lighttpd's, sp.late) ended no earlier than its logged second; the lag
// moves only the upper bound. benign-reports: GET /report.php?month=…
// (64.7 ms) and POST /report.php (67.8 ms) logged in one second, in that
// order, and two php-cgi programs of report.php 256 ms apart: only the
// pairing that gives the first program the GET holds. Read from the
// lagged end truncated to its second, the lower bound of each end was a
// second late, no pairing held, and both programs stayed ambiguous.
func TestPairingHoldsTrailingClock(t *testing.T) {
	sec := time.Date(2026, 12, 5, 0, 16, 46, 0, time.UTC)
	at := func(ms int) time.Time { return sec.Add(time.Duration(ms) * time.Millisecond) }
	line := func(n int, method string, dur time.Duration) *parser.Event {
		return &parser.Event{Time: sec, HTTP: &parser.HTTPRequest{Method: method, Path: "/report.php", Duration: dur, HasDuration: true},
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: "lighttpd-access.log", Line: n}}}}
	}
	prog := func(exec, last int) *cgiMatch {
		return &cgiMatch{rootMatch: rootMatch{root: &parser.Process{}, ex: &parser.Event{Time: at(exec)}}, last: at(last)}
	}
	for _, tc := range []struct {
		name   string
		late   time.Duration
		assign []int // the first and the second program's request
		want   bool
	}{
		{"in order, no lag", 0, []int{0, 1}, true},
		{"swapped, no lag", 0, []int{1, 0}, false},
		{"in order, a clock 1.5 s behind", 1500 * time.Millisecond, []int{0, 1}, true},
		{"swapped, a clock 1.5 s behind", 1500 * time.Millisecond, []int{1, 0}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reqs := []*parser.Event{line(77, "GET", 64749*time.Microsecond), line(79, "POST", 67771*time.Microsecond)}
			var infos []reqInfo
			for _, r := range reqs {
				infos = append(infos, reqInfo{ev: r, span: spanWith(r, 2*time.Second, loggedEnd, false, tc.late)})
			}
			cs := []*cgiMatch{prog(230, 258), prog(486, 530)}
			if got := pairingHolds(cs, []int{0, 1}, tc.assign, []int{0, 1}, reqs, infos, 2*time.Second); got != tc.want {
				t.Errorf("pairing %v holds: %v, want %v", tc.assign, got, tc.want)
			}
		})
	}
}

// TestShareParams: a child's parameter found in one request's URL leaves
// its CGI program that request, but a POST's body is not logged and may
// carry the same value: when two programs are left with one request this
// way, each program a parameter narrowed gets back every request in
// flight naming its script (the log's order and durations decide next).
// A request two programs share by time alone, a program no other one
// contends with, or one that had no other request to begin with, stay.
func TestShareParams(t *testing.T) {
	prog := func(byParam string, options, wide []int) *cgiMatch {
		return &cgiMatch{byParam: byParam, options: options, named: options, wide: wide}
	}
	for _, tc := range []struct {
		name  string
		cs    []*cgiMatch
		wants [][]int // each program's options after
	}{
		{"two programs narrowed to one GET by its month",
			[]*cgiMatch{prog("2026-12", []int{0}, []int{0, 1}), prog("2026-12", []int{0}, []int{0, 1})},
			[][]int{{0, 1}, {0, 1}}},
		{"the other left with it by time: only the narrowed one widens",
			[]*cgiMatch{prog("2026-12", []int{0}, []int{0, 1}), prog("", []int{0}, nil)},
			[][]int{{0, 1}, {0}}},
		{"no other program left with it",
			[]*cgiMatch{prog("2026-12", []int{0}, []int{0, 1}), prog("", []int{1}, nil)},
			[][]int{{0}, {1}}},
		{"nothing else was in flight",
			[]*cgiMatch{prog("2026-12", []int{0}, []int{0}), prog("2026-12", []int{0}, []int{0})},
			[][]int{{0}, {0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := shareParams(tc.cs)
			want := false
			for k, c := range tc.cs {
				if !slices.Equal(c.options, tc.wants[k]) || !slices.Equal(c.named, c.options) {
					t.Errorf("program %d: options %v named %v, want %v", k, c.options, c.named, tc.wants[k])
				}
				if len(tc.wants[k]) > 1 {
					want = true
					if c.byParam != "" || c.shared != 1 || c.sharedBy != "2026-12" {
						t.Errorf("program %d: byParam %q, shared %d by %q", k, c.byParam, c.shared, c.sharedBy)
					}
				}
			}
			if changed != want {
				t.Errorf("widened: %v, want %v", changed, want)
			}
		})
	}
}

// TestRequestLinksSharedMonth: benign-reports' visitor asks for a month's
// report (GET /report.php?month=2026-12) and the finance UI mails the same
// month (POST /report.php, its month in the body) a moment later, a
// php-cgi each whose rptgen carries 2026-12: each program gets its own
// request, by the log's order and durations, and says why.
func TestRequestLinksSharedMonth(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-reports"), nil)
	cz := b.matchRequests()
	for _, tc := range []struct {
		serial uint64
		method string
		basis  string
		note   bool // says the month is the GET's too
	}{
		{81717, "GET", BasisParameter, false}, // rptgen under the first php-cgi (00:15:59.054): its month is the GET's
		{81716, "GET", BasisScript, false},    // the first php-cgi itself
		{81729, "POST", BasisScript, true},    // rptgen under the second (00:15:59.206)
		{81734, "POST", BasisScript, true},    // the second's sendmail
	} {
		rl, found := linkOfExec(t, cz, bySerial, tc.serial)
		switch {
		case !found || rl.Request == nil:
			t.Errorf("serial %d: no request named (%s)", tc.serial, rl.Reason)
		case rl.Request.HTTP.Method != tc.method || rl.Request.HTTP.Path != "/report.php":
			t.Errorf("serial %d: linked to %s, want %s /report.php (%s)", tc.serial, describeRequest(rl.Request), tc.method, rl.Reason)
		case rl.Basis != tc.basis || rl.Inferred != (tc.basis != BasisParameter) || !strings.Contains(rl.Reason, "line order") || strings.Contains(rl.Reason, `"2026-12" is also in GET`) != tc.note:
			t.Errorf("serial %d: basis %q inferred %v: %s", tc.serial, rl.Basis, rl.Inferred, rl.Reason)
		}
	}
}
