package timeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestRequestLinksWebshellClassic checks the wrong links issue 14 found on
// testdata/lab/webshell-classic (no request ground truth there: the cases
// are the issue's own).
func TestRequestLinksWebshellClassic(t *testing.T) {
	b, bySerial := labCausality(t, filepath.Join("..", "testdata", "lab", "webshell-classic"), nil)
	cz := b.matchRequests()
	rootOf := func(serial uint64) (*parser.Process, RequestLink, bool) {
		t.Helper()
		ev := bySerial[serial]
		if ev == nil || ev.Proc == nil {
			t.Fatalf("serial %d: no exec", serial)
		}
		p := ev.Proc
		for p.Parent != nil && !b.opts.isWebServer(p.Parent) {
			p = p.Parent // the web server's child: its first exec decides
		}
		rl, ok := cz.execs[p]
		return p, rl, ok
	}
	// the status probe's sh -c date (serial 17800, dash[1391]; serial
	// 10611, dash[724] in the capture before the request driver): GET /
	// is in the same second; it may never be named as fact, and
	// /status.php, the real cause, must be among the candidates. Since
	// rule 5g leaves out of its count the GET / nginx answers itself
	// (reqfront.go), the order php-fpm's workers ended in names
	// /status.php: low, inferred, the candidates listed
	for _, serial := range []uint64{17800} {
		p, rl, ok := rootOf(serial)
		if !ok {
			t.Fatalf("pid %d: no link at all", p.Key.PID)
		}
		var status bool
		for _, c := range rl.Candidates {
			status = status || c.HTTP.Path == "/status.php"
		}
		switch {
		case rl.Request == nil:
			if !status || rl.Basis != BasisAmbiguous || !strings.HasPrefix(rl.Reason, "ambiguous: ") {
				t.Errorf("pid %d: basis %q, reason %q: want ambiguous with GET /status.php among the candidates", p.Key.PID, rl.Basis, rl.Reason)
			}
		case rl.Request.HTTP.Path != "/status.php" || rl.Basis != BasisEndOrder || !rl.Inferred || rl.Confidence != ConfidenceLow || !status:
			t.Errorf("pid %d %q linked to %s (basis %q, confidence %q, inferred %v: %s); want none, or /status.php by end order, low, inferred, its candidates listed",
				p.Key.PID, p.CommandLine(), describeRequest(rl.Request), rl.Basis, rl.Confidence, rl.Inferred, rl.Reason)
		}
	}
	// no `date` of the probe is tied to a web-shell request (it was, to
	// GET /uploads/avatar.php?c=ls…, in another chain)
	observedIn := map[*parser.Event]*parser.Process{} // request → worker of its observed link
	for _, rl := range cz.execs {
		if rl.Request != nil && !rl.Inferred {
			observedIn[rl.Request] = rl.Worker
		}
	}
	for root, rl := range cz.execs {
		if strings.Contains(root.CommandLine(), "date -u") {
			if rl.Request != nil && strings.Contains(rl.Request.HTTP.Path, "avatar.php") {
				t.Errorf("pid %d %q linked to %s", root.Key.PID, root.CommandLine(), describeRequest(rl.Request))
			}
			for _, c := range rl.Candidates {
				if w, ok := observedIn[c]; ok && w != root.Parent {
					t.Errorf("pid %d %q: candidate %s is the web shell's request whose command another worker ran", root.Key.PID, root.CommandLine(), describeRequest(c))
				}
			}
		}
	}
	// the reverse shell (serial 17834): its request is logged at 14:13:49,
	// 23 s after the process started at 14:13:25: the link says so
	p, rl, ok := rootOf(17834)
	switch {
	case !ok || rl.Request == nil:
		t.Errorf("reverse shell pid %d: no request (%s)", p.Key.PID, rl.Reason)
	case rl.Basis != BasisParameter || rl.Inferred:
		t.Errorf("reverse shell: basis %q inferred %v, want an observed parameter link", rl.Basis, rl.Inferred)
	case !strings.Contains(rl.Reason, "logged 2") || !strings.Contains(rl.Reason, "after the process started"):
		t.Errorf("reverse shell: the gap between the exec and the logged request is not said: %q", rl.Reason)
	}
	// every link names its basis; only a parameter link is observed
	for root, rl := range cz.execs {
		if rl.Basis == "" || rl.Inferred == (rl.Basis == BasisParameter) {
			t.Errorf("pid %d: basis %q inferred %v", root.Key.PID, rl.Basis, rl.Inferred)
		}
	}
}

// TestOneWorkerPerRequest: one request is served by one worker, so a
// request inferred for processes of two workers names neither; an observed
// link (parameter in the argv) stands and the other becomes ambiguous.
func TestOneWorkerPerRequest(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 21, 34, 0, 0, time.UTC)
	req := &parser.Event{Kind: parser.KindHTTP, Time: t0, HTTP: &parser.HTTPRequest{Method: "POST", Path: "/x.php"}}
	w1 := &parser.Process{Key: parser.ProcKey{PID: 10}}
	w2 := &parser.Process{Key: parser.ProcKey{PID: 11}}
	a := &parser.Process{Key: parser.ProcKey{PID: 100}, Parent: w1}
	c := &parser.Process{Key: parser.ProcKey{PID: 200}, Parent: w2}
	for _, tc := range []struct {
		name           string
		aInferred      bool
		wantA, wantC   bool // still linked to req
		aBasis, cBasis string
	}{
		{"both inferred", true, false, false, BasisOnly, BasisOnly},
		{"one observed", false, true, false, BasisParameter, BasisOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := map[*parser.Process]RequestLink{
				a: {Request: req, Process: a, Worker: w1, Basis: tc.aBasis, Inferred: tc.aInferred},
				c: {Request: req, Process: c, Worker: w2, Basis: tc.cBasis, Inferred: true},
			}
			oneWorker(out)
			if got := out[a].Request != nil; got != tc.wantA {
				t.Errorf("pid 100 keeps the request: %v, want %v (%s)", got, tc.wantA, out[a].Reason)
			}
			if got := out[c].Request != nil; got != tc.wantC {
				t.Errorf("pid 200 keeps the request: %v, want %v (%s)", got, tc.wantC, out[c].Reason)
			}
			if out[c].Basis != BasisAmbiguous || !strings.Contains(out[c].Reason, "one request is served by one worker") {
				t.Errorf("pid 200: basis %q reason %q", out[c].Basis, out[c].Reason)
			}
			// the contradicted request is not offered as the candidate: the
			// cause may be one the inference set aside (benign-busy's
			// sendmail of POST /order.php was offered POST /contact.php)
			if len(out[c].Candidates) != 0 || !strings.HasPrefix(out[c].Reason, "no request named") {
				t.Errorf("pid 200: candidates %d, reason %q: want none named", len(out[c].Candidates), out[c].Reason)
			}
		})
	}
}

// TestRequestSpan: the request's life from what the parser read of the
// line: nginx msec and rt, lighttpd's %D with the end only to the second,
// a container log's nanosecond time, and the documented bound when the log
// has no duration.
func TestRequestSpan(t *testing.T) {
	sec := time.Date(2026, 12, 3, 8, 15, 8, 0, time.UTC)
	ev := func(h parser.HTTPRequest) *parser.Event {
		h.Method, h.Path = "GET", "/"
		return &parser.Event{Kind: parser.KindHTTP, Time: sec, Source: parser.FormatAccessLog, HTTP: &h}
	}
	for _, tc := range []struct {
		name       string
		ev         *parser.Event
		start, end time.Time
		dur        bool
		at         loggedAt
	}{
		{"nginx msec rt", ev(parser.HTTPRequest{Duration: 195 * time.Millisecond, HasDuration: true, EndAfter: 812 * time.Millisecond, EndBy: "msec"}),
			sec.Add(617 * time.Millisecond), sec.Add(812 * time.Millisecond), true, loggedEnd},
		{"lighttpd %D, end to the second", ev(parser.HTTPRequest{Duration: 465089 * time.Microsecond, HasDuration: true}),
			sec.Add(-465089 * time.Microsecond), sec.Add(time.Second - time.Nanosecond), true, loggedEnd},
		{"combined, no duration", ev(parser.HTTPRequest{}),
			sec.Add(-2 * time.Second), sec.Add(time.Second - time.Nanosecond), false, loggedEnd},
		{"container-log time", ev(parser.HTTPRequest{EndAfter: 566830679, EndBy: "container-log time"}),
			sec.Add(566830679 - 2*time.Second), sec.Add(566830679), false, loggedEnd},
		{"fine end far from the logged second: not used", ev(parser.HTTPRequest{EndAfter: time.Hour, EndBy: "msec"}),
			sec.Add(-2 * time.Second), sec.Add(time.Second - time.Nanosecond), false, loggedEnd},
		// Apache's %t is the receive time: the life runs forward from it
		{"apache %t + %D", ev(parser.HTTPRequest{Duration: 3 * time.Second, HasDuration: true}),
			sec, sec.Add(4*time.Second - time.Nanosecond), true, loggedStart},
		{"apache %t, no duration", ev(parser.HTTPRequest{}),
			sec, sec.Add(3*time.Second - time.Nanosecond), false, loggedStart},
		{"unknown server: both readings", ev(parser.HTTPRequest{Duration: 3 * time.Second, HasDuration: true}),
			sec.Add(-3 * time.Second), sec.Add(4*time.Second - time.Nanosecond), true, loggedEither},
		{"a fine end is the end whatever %t is", ev(parser.HTTPRequest{Duration: 195 * time.Millisecond, HasDuration: true, EndAfter: 812 * time.Millisecond, EndBy: "msec"}),
			sec.Add(617 * time.Millisecond), sec.Add(812 * time.Millisecond), true, loggedStart},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := requestSpanOf(tc.ev, 2*time.Second, tc.at)
			if !s.start.Equal(tc.start) || !s.end.Equal(tc.end) || s.durKnown != tc.dur {
				t.Errorf("span = %s .. %s (duration known %v), want %s .. %s (%v)", s.start.Format(time.RFC3339Nano), s.end.Format(time.RFC3339Nano), s.durKnown,
					tc.start.Format(time.RFC3339Nano), tc.end.Format(time.RFC3339Nano), tc.dur)
			}
		})
	}
}

// TestRequestLinksMostSpecificParameter: on webshell-variant the
// monitor's GET /api/ping?host=127.0.0.1 carries a value that is in every
// injected command too; the attacker's longer parameter decides, observed.
func TestRequestLinksMostSpecificParameter(t *testing.T) {
	b, _ := labCausality(t, filepath.Join("..", "testdata", "lab", "webshell-variant"), nil)
	cz := b.matchRequests()
	n := 0
	for root, rl := range cz.execs {
		cmd := root.CommandLine()
		if !strings.Contains(cmd, "127.0.0.1;") {
			continue
		}
		n++
		switch {
		case rl.Request == nil:
			t.Errorf("pid %d %q: no request named: %s", root.Key.PID, cmd, rl.Reason)
		case rl.Basis != BasisParameter || !strings.Contains(strings.ToLower(rl.Request.HTTP.Query), "%3b"):
			t.Errorf("pid %d %q: linked to %s by %s", root.Key.PID, cmd, describeRequest(rl.Request), rl.Basis)
		}
	}
	if n < 8 {
		t.Errorf("%d injected shells found, want the capture's 8 or more", n)
	}
}

// TestRequestLinksContainerTimes: in the container capture the access
// lines come from Docker's json-file log, whose nanosecond time shows that
// the visitor's GET /products.php had ended before the probe's sh -c date
// started; GET /status.php, still in flight, is the cause.
func TestRequestLinksContainerTimes(t *testing.T) {
	b, _ := labCausality(t, filepath.Join("..", "testdata", "lab", "container"), nil)
	cz := b.matchRequests()
	dates, byStatus := 0, 0
	for root, rl := range cz.execs {
		if !strings.Contains(root.CommandLine(), "date -u") {
			continue
		}
		dates++
		if rl.Request != nil && rl.Request.HTTP.Path != "/status.php" {
			t.Errorf("pid %d %q linked to %s (%s)", root.Key.PID, root.CommandLine(), describeRequest(rl.Request), rl.Reason)
		}
		if rl.Request != nil && rl.Request.HTTP.Path == "/status.php" {
			byStatus++
			if rl.Basis == BasisOnly && !strings.Contains(rl.Reason, "container-log time") {
				t.Errorf("pid %d: the deciding container-log time is not said: %s", root.Key.PID, rl.Reason)
			}
		}
	}
	if dates == 0 || byStatus < dates*9/10 {
		t.Errorf("%d of %d probe shells tied to GET /status.php, want 90%% or more", byStatus, dates)
	}
}

// TestRequestLinksCarriedByTwo: when two requests in flight both carry the
// command line's value (GET /article.php?id=printer-howto and GET
// /export.php?id=printer-howto while zip packs printer-howto), the route
// history still decides — export.php alone ran zip elsewhere in the log —
// and the reason says both carried it; before, the exec was left
// ambiguous without asking the history.
func TestRequestLinksCarriedByTwo(t *testing.T) {
	b, _ := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-apache"), nil)
	cz := b.matchRequests()
	n := 0
	for root, rl := range cz.execs {
		if root.Name() != "zip" || !strings.Contains(root.CommandLine(), "printer-howto.zip") {
			continue
		}
		n++
		if rl.Request == nil {
			t.Errorf("pid %d %q: no request named (%s)", root.Key.PID, root.CommandLine(), rl.Reason)
			continue
		}
		if rl.Request.HTTP.Path != "/export.php" {
			t.Errorf("pid %d: linked to %s, want GET /export.php (%s)", root.Key.PID, describeRequest(rl.Request), rl.Reason)
		}
		if strings.Contains(rl.Reason, "carry") && (rl.Basis != BasisRoute || !rl.Inferred) {
			t.Errorf("pid %d: basis %q inferred %v: a choice by history is inferred", root.Key.PID, rl.Basis, rl.Inferred)
		}
	}
	if n == 0 {
		t.Fatal("no zip of printer-howto in the capture")
	}
}

// TestRequestLinksNotFromLauncherArgv: a launcher's own argv is its
// machinery. On the Tomcat day jspawnhelper's file descriptor numbers
// ("54:55:57") equalled a thumbnail width (w=54), and a health probe's df
// was tied to that thumbnail request as if its parameter were in the
// command line. A parameter link's value must be in the command's argv.
func TestRequestLinksNotFromLauncherArgv(t *testing.T) {
	b, _ := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-tomcat"), nil)
	cz := b.matchRequests()
	n := 0
	for root, rl := range cz.execs {
		if rl.Basis != BasisParameter || rl.Request == nil {
			continue
		}
		n++
		cmd, _ := commandExec(root)
		found := false
		for _, v := range queryValues(rl.Request.HTTP) {
			if carriedCommand([]string{v}, strings.Join(cmd.Args, " ")) != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("pid %d %q tied to %s by a parameter its command does not hold (%s)", root.Key.PID, cmd.Args, describeRequest(rl.Request), rl.Reason)
		}
	}
	if n == 0 {
		t.Fatal("no parameter link at all")
	}
}

// TestCarriedInHyphenatedWords: one parameter value inside a hyphenated
// word of the command is a coincidence of names (an article id in an
// uploaded picture's name); two values of the same request in it are not.
func TestCarriedInHyphenatedWords(t *testing.T) {
	for _, c := range []struct {
		vals []string
		cmd  string
		want string
	}{
		{[]string{"marathon"}, "sh -c convert '/tmp/nrimgNOqqCB' -thumbnail 320x320 '/var/www/news/media/thumbs/marathon-route.jpg'", ""},
		{[]string{"budget-2027"}, "sh -c gs -sOutputFile='/var/www/news/exports/budget-2027.pdf' /tmp/x", "budget-2027"},
		{[]string{"reviews", "1.4.2"}, "sh -c cd /tmp && curl -fsS -o plugin-reviews.tgz http://127.0.0.1:8000/reviews-1.4.2.tgz", "reviews"},
		{[]string{"id"}, "sh -c id", "id"},
		{[]string{"id"}, "sh -c cat side", ""},
		// a plain word joined to a MIME type or a file name (benign-lookalike:
		// format=json of a health check and a webhook's curl, a wrong link)
		{[]string{"json"}, "sh -c curl -s -X POST -H 'Content-Type: application/json' -d @/tmp/shop-webhook-77.json http://127.0.0.1:9200/hooks", ""},
		{[]string{"5202"}, "sh -c curl -d @/tmp/shop-webhook-5202.json http://h/", ""},
		{[]string{"ls"}, "sh -c ls -la /var/www", "ls"},
		{[]string{"passwd"}, "sh -c cat /etc/passwd", ""}, // a path's part: two values or a whole word
		{[]string{"/etc/passwd"}, "sh -c cat /etc/passwd", "/etc/passwd"},
		// a record's number glued to a letter in a file name, beside another
		// value of the request (benign-cuspid: GET /cases/2606/photo?w=157
		// writes c2606-157.png; its case page GET /cases/2606 holds 2606 only)
		{[]string{"157", "2606"}, "/usr/bin/convert /srv/cuspid/data/photos/prep-0.png -resize 157x /var/lib/cuspid/thumbs/c2606-157.png", "157"},
		{[]string{"2606"}, "/usr/bin/convert /srv/cuspid/data/photos/prep-0.png -resize 157x /var/lib/cuspid/thumbs/c2606-157.png", ""},
		{[]string{"157", "260"}, "/usr/bin/convert /srv/cuspid/data/photos/prep-0.png -resize 157x /var/lib/cuspid/thumbs/c2606-157.png", ""}, // part of a longer number
		{[]string{"157", "26"}, "/usr/bin/convert /srv/cuspid/data/photos/prep-0.png -resize 157x /var/lib/cuspid/thumbs/c26-157.png", ""},    // too short to count glued
		{[]string{"640", "480"}, "/usr/bin/convert in.png -resize 640x480 out.png", "640"},
	} {
		if got := carriedCommand(c.vals, c.cmd); got != c.want {
			t.Errorf("carriedCommand(%q, %q) = %q, want %q", c.vals, c.cmd, got, c.want)
		}
	}
}

// TestRequestLinksOtherWorkersRequests: a request a named link gives to
// one worker was not served by another (rule 6), so it drops out of the
// candidates of the other workers' processes: a process left with one
// request in flight is that request's, and fewer candidates let the route
// history decide others (benign-apache: 811 → 815 right; Apache's prefork
// workers, two reader streams; TestRequestLinkPrecisionRecall holds each
// such link to the ground truth).
func TestRequestLinksOtherWorkersRequests(t *testing.T) {
	b, _ := labCausality(t, filepath.Join("..", "testdata", "lab", "benign-apache"), nil)
	cz := b.matchRequests()
	n := 0
	for _, rl := range cz.execs {
		if rl.Request != nil && strings.Contains(rl.Reason, "that no other worker served") {
			n++
		}
	}
	if n == 0 {
		t.Error("no link decided by setting aside the requests other workers served")
	}
}

// TestCommonRoute (rule 5b): a command whose every run had one route in
// flight, a route seldom in flight at the other commands, is that route's;
// two routes always together (a visitor's page and the health check of the
// same round), a route in flight at nearly everything (readers searching
// all day), or too few runs, decide nothing.
func TestCommonRoute(t *testing.T) {
	routes := []string{"POST /admin/import.php", "GET /status.php", "GET /", "GET /products.php", "GET /search.php"}
	infos := make([]reqInfo, len(routes))
	for i, r := range routes {
		infos[i].route = r
	}
	const imp, status, home, products, search = 0, 1, 2, 3, 4
	var ms []*rootMatch
	run := func(sig string, inFlight ...int) *rootMatch {
		m := &rootMatch{root: &parser.Process{}, sig: sig, inFlight: inFlight}
		ms = append(ms, m)
		return m
	}
	unzip := []*rootMatch{run("dash|unzip", imp, status), run("dash|unzip", imp, home, search), run("dash|unzip", imp, status, search)}
	for range 12 {
		run("dash|date", status, home, search)
	}
	together := []*rootMatch{run("dash|mail", products, status, search), run("dash|mail", products, status, search), run("dash|mail", products, status)}
	few := []*rootMatch{run("dash|zip", imp, search), run("dash|zip", imp)}
	background := []*rootMatch{run("dash|pdf", search, home), run("dash|pdf", search), run("dash|pdf", search, status)}
	common := commonRoutes(ms, infos, map[*parser.Process]RequestLink{})
	for _, m := range unzip {
		if r, n, _, _, ok := common(m); !ok || r != routes[imp] || n != 3 {
			t.Errorf("unzip: %q %d %v, want %q over 3 runs", r, n, ok, routes[imp])
		}
	}
	for name, ms := range map[string][]*rootMatch{"two routes together": together, "two runs": few, "a background route": background} {
		for _, m := range ms {
			if r, _, _, _, ok := common(m); ok {
				t.Errorf("%s: linked to %q", name, r)
			}
		}
	}
}

// TestOneServersLog: an Apache worker's child takes its requests from the
// log that names Apache when the host has one, never from one naming
// nginx (shop-search: the team KB's shell had been tied to a POST the
// shop's nginx logged); a worker that names no front server (php-fpm) and
// a log that names none are not held.
func TestOneServersLog(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"/var/log/apache2/access.log", "apache"},
		{"testdata/lab/shop-search/apache-access.log", "apache"},
		{"/var/log/httpd/ssl_access_log", "apache"},
		{"/var/log/nginx/access.log", "nginx"},
		{"testdata/lab/shop-search/access.log", ""},
	} {
		if got := logServer(c.file); got != c.want {
			t.Errorf("logServer(%q) = %q, want %q", c.file, got, c.want)
		}
	}
	req := func(file string) *reqInfo {
		return &reqInfo{ev: &parser.Event{Kind: parser.KindHTTP, HTTP: &parser.HTTPRequest{Path: "/x.php"},
			Evidence: []parser.Evidence{{Pos: parser.Pos{File: file, Line: 1}}}}, server: logServer(file)}
	}
	shop, kb := req("logs/access.log"), req("logs/apache-access.log")
	b := &Builder{requests: []*parser.Event{shop.ev, kb.ev}}
	for _, c := range []struct {
		r    *reqInfo
		own  string
		want bool
	}{
		{shop, "apache", false}, // the host has an Apache log: the unnamed one is another server's
		{kb, "apache", true},
		{kb, "nginx", false},
		{shop, "", true}, // php-fpm: any front server
		{kb, "", true},
	} {
		if got := b.mayServe(c.r, c.own); got != c.want {
			t.Errorf("mayServe(%s, %q) = %v, want %v", posOf(c.r.ev).File, c.own, got, c.want)
		}
	}
}

// A route is the application's handler: the ids of records in its path
// are abstracted, file names and words are not.
func TestRouteOfAbstractsIDs(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/invoices/1021/pdf", "GET /invoices/<id>/pdf"},
		{"GET", "/invoices/1007/pdf", "GET /invoices/<id>/pdf"},
		{"POST", "/api/v1/receipts", "POST /api/v1/receipts"},
		{"GET", "/uploads/1.php", "GET /uploads/1.php"},
		{"GET", "/orders/3f2c9a1e-77b0-4c1d-9e2a-0b1c2d3e4f50", "GET /orders/<id>"},
		{"GET", "/cache/deadbeef", "GET /cache/deadbeef"}, // a word, not a digest
		{"GET", "/blob/9f86d081884c7d659a2feaa0c55ad015", "GET /blob/<id>"},
		{"GET", "/a/../b/12", "GET /b/<id>"},
	} {
		if got := routeOf(&parser.HTTPRequest{Method: tc.method, Path: tc.path}); got != tc.want {
			t.Errorf("routeOf(%s %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

// Rule 2 looks for a path's ids beside the query's values, and only ids.
func TestWithPathIDs(t *testing.T) {
	for _, tc := range []struct {
		vals []string
		path string
		want []string
	}{
		{nil, "/invoices/1021/pdf", []string{"1021"}},
		{[]string{"x"}, "/invoices/1021/pdf", []string{"x", "1021"}},
		{[]string{"x"}, "/about", []string{"x"}},
		{nil, "/p/7/", nil}, // one character: as short query values, not looked for
		{nil, "/v2/status", nil},
	} {
		got := withPathIDs(tc.vals, tc.path)
		if !slices.Equal(got, tc.want) {
			t.Errorf("withPathIDs(%q, %q) = %q, want %q", tc.vals, tc.path, got, tc.want)
		}
	}
	vals := []string{"a"}
	_ = withPathIDs(vals[:1:1], "/x/12")
	if len(vals) != 1 || vals[0] != "a" {
		t.Errorf("withPathIDs changed its argument: %q", vals)
	}
}

// A value a route passes to one command again and again is its data: found
// in a command of another shape, the match is a coincidence and the
// request only a time candidate; the same shape again stays observed.
func TestCoincidentalRoutineValue(t *testing.T) {
	infos := []reqInfo{
		{route: "GET /api/ping", eligible: true},
		{route: "GET /api/ping", eligible: true},
		{route: "GET /api/ping", eligible: true},
		{route: "GET /api/ping", eligible: true},
		{route: "GET /api/lookup", eligible: true},
	}
	at := time.Date(2026, 12, 5, 1, 17, 42, 0, time.UTC)
	for i := range infos {
		infos[i].span = reqSpan{start: at.Add(-time.Second), end: at.Add(time.Second)}
	}
	m := func(req int, sig string) *rootMatch {
		return &rootMatch{ex: &parser.Event{Time: at}, sig: sig, content: []int{req}, values: []string{"127.0.0.1"}}
	}
	ms := []*rootMatch{m(0, "ping -c -W"), m(1, "ping -c -W"), m(2, "ping -c -W"), m(3, "dash|printf"), m(4, "dash|printf")}
	coincidences(ms, infos)
	for i, want := range []bool{true, true, true, false, true} {
		if got := len(ms[i].content) == 1; got != want {
			t.Errorf("match %d (%s): observed %v, want %v", i, ms[i].sig, got, want)
		}
	}
	if len(ms[3].inFlight) != 1 || ms[3].inFlight[0] != 3 {
		t.Errorf("the coincidence's request: in flight %v, want [3] (a time candidate)", ms[3].inFlight)
	}
}

// TestCommonRouteApart (rule 5c): two routes in flight at every run of a
// command (a visitor's product page fetched just before the status page
// whose date it shows) are told apart by being apart: the one requested
// at other times with no run in flight is not the command's; the one whose
// every request held a run is. Routes never apart, both always with a
// run, or apart too seldom, decide nothing (webshell-classic: the status
// page's sh -c date was ambiguous between it and the product page at
// every visitor round).
func TestCommonRouteApart(t *testing.T) {
	const status, products, contact = 0, 1, 2
	routes := []string{"GET /status.php", "GET /products.php", "POST /contact.php"}
	base := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	for _, tc := range []struct {
		name string
		// extra requests of a route at times with no run in flight
		alone map[int][]float64
		// routes requested at every run besides status
		with []int
		want string
	}{
		{name: "the product page apart three times", alone: map[int][]float64{products: {105, 115, 125}}, with: []int{products}, want: routes[status]},
		{name: "never apart", with: []int{products}},
		{name: "apart only twice", alone: map[int][]float64{products: {105, 115}}, with: []int{products}},
		{name: "the status page apart too", alone: map[int][]float64{products: {105, 115, 125}, status: {135}}, with: []int{products}},
		{name: "alone at every run: rule 5b", with: nil, want: routes[status]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var infos []reqInfo
			req := func(route int, end float64) int {
				e := at(end)
				infos = append(infos, reqInfo{route: routes[route], eligible: true, span: reqSpan{start: e.Add(-300 * time.Millisecond), end: e}})
				return len(infos) - 1
			}
			var ms []*rootMatch
			run := func(sig string, t float64, inFlight ...int) *rootMatch {
				m := &rootMatch{root: &parser.Process{}, sig: sig, ex: &parser.Event{Time: at(t)}, inFlight: inFlight, around: inFlight}
				ms = append(ms, m)
				return m
			}
			var dates []*rootMatch
			for k := range 4 {
				t0 := float64(10 * (k + 1))
				in := []int{req(status, t0+0.1)}
				for _, r := range tc.with {
					in = append(in, req(r, t0+0.2))
				}
				dates = append(dates, run("dash|date", t0, in...))
			}
			for r, ts := range tc.alone {
				for _, e := range ts {
					req(r, e)
				}
			}
			for k := range 10 {
				t0 := 200 + float64(5*k)
				run("dash|sendmail", t0, req(contact, t0+0.1))
			}
			common := commonRoutes(ms, infos, map[*parser.Process]RequestLink{})
			for _, m := range dates {
				r, _, _, note, ok := common(m)
				if ok && len(tc.with) > 0 && !strings.Contains(note, "also without one") {
					t.Errorf("the reason does not say the other route came without a run: %q", note)
				}
				if tc.want == "" && ok {
					t.Errorf("linked to %q, want no route", r)
				}
				if tc.want != "" && (!ok || r != tc.want) {
					t.Errorf("%q %v, want %q", r, ok, tc.want)
				}
			}
		})
	}
}

// TestQueryValuesOpenModeMarks: a file name given to a language's open
// that starts a shell (Perl's two-argument open of "x;id|", Ruby's
// Kernel#open of "|id") loses its pipe mark before the shell sees it, so
// the value is looked for without the marks at its ends as well.
func TestQueryValuesOpenModeMarks(t *testing.T) {
	for _, c := range []struct {
		query, cmd, want string
	}{
		{"file=x%3Bid%7C", "sh -c /srv/scaleyard/archive/x;id", "x;id"},
		{"src=%7Cuname+-a", "sh -c uname -a", "uname -a"},
		{"file=x%3Bid%7C", "sh -c x;id|", "x;id|"},
		{"q=%7C", "sh -c ls", ""},
		{"file=2026-11.csv", "sh -c /usr/local/bin/yardprint --ticket 2026", ""},
	} {
		vals := queryValues(&parser.HTTPRequest{Query: c.query})
		if got := carriedCommand(vals, c.cmd); got != c.want {
			t.Errorf("query %q in %q: carried %q, want %q (values %q)", c.query, c.cmd, got, c.want, vals)
		}
	}
}

// TestServedRoute: a framework requests a script without its extension
// (PSGI, Rails, a front controller); a URL with an extension names only a
// file with that one; a path-info may follow the file's path.
func TestServedRoute(t *testing.T) {
	for _, c := range []struct {
		f, u string
		want bool
	}{
		{"/srv/app/reports/tare_audit.pl", "/reports/tare_audit", true},
		{"/srv/app/reports/tare_audit.pl", "/reports/tare_audit.pl", true},
		{"/var/www/html/uploads/x.php", "/uploads/x.php", true},
		{"/var/www/html/x.html", "/x.php", false},
		{"/srv/app/reports/tare_audit.pl", "/audit", false},
		{"/srv/app/reports/tare_audit.pl", "/reports/", false},
		{"/srv/app/README", "/README", true},
		// a path-info after the file's own path (CGI's PATH_INFO; PHP's
		// cgi.fix_pathinfo runs a picture named before /.php)
		{"/var/www/html/uploads/avatars/c104729.gif", "/uploads/avatars/c104729.gif/.php", true},
		{"/var/www/html/index.php", "/index.php/admin/users", true},
		{"/var/www/html/uploads/avatars/c104729.gif", "/uploads/avatars/c104729.gifx/.php", false},
		{"/var/www/html/uploads/avatars/c104729.gif", "/avatars/c1/.php", false},
	} {
		if got := servedRoute(c.f, c.u); got != c.want {
			t.Errorf("servedRoute(%q, %q) = %v, want %v", c.f, c.u, got, c.want)
		}
	}
	if got := routeBases("/srv/app/reports/tare_audit.pl"); !slices.Equal(got, []string{"tare_audit.pl", "tare_audit"}) {
		t.Errorf("routeBases = %q", got)
	}
}

// TestCommonRouteBusyExact: a route in flight at most runs of the other
// commands is background for rule 5b (being at every run of one more
// tells nothing), but one whose every request in the log held a run of
// the command tells by its absences too (rule 5c's agreement and
// difference): only the chance of being at every run by coincidence
// still bars it (benign-desk: the ticket form's POST, in flight at 76% of
// the health check's df runs of the same rounds, was at all 17 runs of
// sendmail and never without one; and the health check at the ticket's).
// Each round: POST /ticket.php runs sendmail, GET /health.php runs df
// while the ticket's request is still in flight; some rounds have no
// ticket.
func TestCommonRouteBusyExact(t *testing.T) {
	const ticket, health = 0, 1
	routes := []string{"POST /ticket.php", "GET /health.php"}
	base := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	for _, tc := range []struct {
		name        string
		rounds      int       // rounds with both
		dfOnly      int       // rounds with the health check alone
		healthEarly bool      // the health check's request already in flight at sendmail's run
		idleTicket  []float64 // ticket requests with no run in flight
		idleRan     string    // the command those are observed running through their own parameters (rule 2), "" for none
		idleByTime  bool      // tied to it by time only (inferred), not by their parameters
		want        string    // sendmail's route, "" for none
	}{
		{name: "one route at every run, busy at the other command, never without a run", rounds: 30, dfOnly: 10, want: routes[ticket]},
		{name: "two routes at every run, the told-apart one busy", rounds: 30, dfOnly: 10, healthEarly: true, want: routes[ticket]},
		{name: "busy and once without a run: background", rounds: 30, dfOnly: 10, idleTicket: []float64{5000}},
		{name: "without a run, but running another command by its own parameters: left out", rounds: 30, dfOnly: 10, idleTicket: []float64{5000}, idleRan: "dash|id", want: routes[ticket]},
		{name: "without a run, tied to another command by time only: counts", rounds: 30, dfOnly: 10, idleTicket: []float64{5000}, idleRan: "dash|id", idleByTime: true},
		{name: "busy, too few runs to beat chance", rounds: 8, dfOnly: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var infos []reqInfo
			req := func(route int, start, end float64) int {
				infos = append(infos, reqInfo{route: routes[route], eligible: true, span: reqSpan{start: at(start), end: at(end)}})
				return len(infos) - 1
			}
			var ms, mails []*rootMatch
			run := func(sig string, t float64, inFlight ...int) *rootMatch {
				m := &rootMatch{root: &parser.Process{}, sig: sig, ex: &parser.Event{Time: at(t)}, inFlight: inFlight, around: inFlight}
				ms = append(ms, m)
				return m
			}
			for k := range tc.rounds + tc.dfOnly {
				t0 := float64(10 * (k + 1))
				hs := t0 + 0.2
				if tc.healthEarly {
					hs = t0
				}
				h := req(health, hs, t0+0.4)
				if k >= tc.rounds {
					run("dash|df", t0+0.3, h)
					continue
				}
				tk := req(ticket, t0-0.3, t0+0.5)
				in := []int{tk}
				if tc.healthEarly {
					in = append(in, h)
				}
				mails = append(mails, run("dash|sendmail", t0+0.1, in...))
				run("dash|df", t0+0.3, tk, h)
			}
			out := map[*parser.Process]RequestLink{}
			for _, e := range tc.idleTicket {
				i := req(ticket, e-0.3, e)
				infos[i].ev = &parser.Event{Time: at(e), HTTP: &parser.HTTPRequest{Method: "POST", Path: "/ticket.php"}}
				if tc.idleRan != "" {
					m := run(tc.idleRan, e-0.1)
					basis := BasisParameter
					if tc.idleByTime {
						basis = BasisOnly
					}
					out[m.root] = RequestLink{Request: infos[i].ev, Process: m.root, Basis: basis}
				}
			}
			common := commonRoutes(ms, infos, out)
			for _, m := range mails {
				r, _, _, _, ok := common(m)
				if tc.want == "" && ok {
					t.Fatalf("linked to %q, want no route", r)
				}
				if tc.want != "" && (!ok || r != tc.want) {
					t.Fatalf("%q %v, want %q", r, ok, tc.want)
				}
			}
		})
	}
}

// TestPathCodes: a path's record codes, and the rule that they count only
// beside another value of the request.
func TestPathCodes(t *testing.T) {
	for _, tc := range []struct {
		path string
		want string
	}{
		{"/api/berths/A04/plan.png", "A04"},
		{"/orders/INV1021/pdf", "INV1021"},
		{"/api/v10/items", ""},     // a version
		{"/api/v2/items", ""},      // too short, and a version
		{"/invoices/1021/pdf", ""}, // an id already (withPathIDs)
		{"/static/app.js", ""},     // no digit
		{"/img/h264.mp4", ""},      // a file name
		{"/a/B2/C3-x", ""},         // too short; a dash
		{"/x/sha256/A04/A04", "sha256 A04"},
		// a code written with dashes: capital letters and digits parts
		{"/cases/HV-2026-0152/exhibits/exhibit-A.png/thumb.png", "HV-2026-0152"},
		{"/invoices/INV-1021", "INV-1021"},
		{"/blog/spring-sale-2026", ""}, // a lowercase slug: a title
		{"/archive/2026-05", ""},       // digits only: a date
		{"/docs/API-REF", ""},          // letters only: a name
		{"/x/HV--2026", ""},            // an empty part
		{"/x/HV-20x6", ""},             // a mixed part
	} {
		if got := strings.Join(pathCodes(tc.path), " "); got != tc.want {
			t.Errorf("pathCodes(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	const argv = "/usr/bin/convert -size 149x74 xc:#e8f1f8 -annotate +20+30 A04 9 m /var/lib/berthplan/cache/plan-A04-149.png"
	for _, tc := range []struct {
		name        string
		vals, codes []string
		cmd         string
		want        string
	}{
		{name: "a code and a query value together", vals: []string{"149"}, codes: []string{"A04"}, cmd: argv, want: "A04"},
		{name: "a code alone is a coincidence", vals: []string{"612"}, codes: []string{"A04"}, cmd: argv},
		{name: "two query values without a code are carriedIn's to judge", vals: []string{"149", "74"}, cmd: argv},
		{name: "another berth", vals: []string{"149"}, codes: []string{"B07"}, cmd: argv},
		{name: "a dashed case number beside the width", vals: []string{"234"}, codes: []string{"HV-2026-0152"},
			cmd: "/usr/bin/convert /srv/docket/media/HV-2026-0152/exhibit-A.png -thumbnail 234x234 /var/lib/docket/cache/HV-2026-0152-exhibit-A.png-234.png", want: "HV-2026-0152"},
		{name: "another width of the same exhibit", vals: []string{"142"}, codes: []string{"HV-2026-0152"},
			cmd: "/usr/bin/convert /srv/docket/media/HV-2026-0152/exhibit-A.png -thumbnail 234x234 /var/lib/docket/cache/HV-2026-0152-exhibit-A.png-234.png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := carriedWithCodes(tc.vals, tc.codes, newCmdWords(tc.cmd)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCommonRouteCarriersPresent: a route counted at every run of a
// command because its requests carry the command's value (rule 2 put
// them in flight in place of the window's) is counted present at those
// runs too; counted at every run but present at none, its share of the
// other commands' runs fell below zero and any route passed for telling.
// Here GET /report carries the value of each of 12 runs of zip (two of
// its requests in flight at each, pending for the route history), is at
// every run of gs, and is in flight at 6 of the 10 runs of convert: it
// is background (0.6), and gs stays unnamed.
func TestCommonRouteCarriersPresent(t *testing.T) {
	const report, other = 0, 1
	routes := []string{"GET /report", "POST /upload"}
	var infos []reqInfo
	for _, r := range routes {
		infos = append(infos, reqInfo{route: r, eligible: true})
	}
	var ms, gs []*rootMatch
	run := func(sig string, around []int, inFlight ...int) *rootMatch {
		m := &rootMatch{root: &parser.Process{}, sig: sig, inFlight: inFlight, around: around}
		ms = append(ms, m)
		return m
	}
	for range 5 {
		gs = append(gs, run("gs", []int{report}, report))
	}
	for range 12 {
		m := run("zip", []int{other}, report, report)
		m.carried = "Q4"
	}
	for k := range 10 {
		if k < 6 {
			run("convert", []int{report, other}, report, other)
		} else {
			run("convert", []int{other}, other)
		}
	}
	common := commonRoutes(ms, infos, map[*parser.Process]RequestLink{})
	for _, m := range gs {
		if r, _, _, _, ok := common(m); ok {
			t.Fatalf("gs linked to %q: the route is in flight at 6 of the 10 runs of convert", r)
		}
	}
}

// TestCarriersToldApartByRoute: requests that all carry the command's
// value (a ticket's page /ticket/N and its print /print.php?id=N, both in
// flight at each run of yardprint --ticket N) are told apart by their
// routes' history as any requests in flight are (rules 5b-5c): the print
// route's every request held a run, the ticket page's were requested
// three times or more with none in flight, so the run is the print's. A
// ticket page that held a run each time too, or apart too seldom, decides
// nothing: the carriers stay ambiguous.
func TestCarriersToldApartByRoute(t *testing.T) {
	for _, tc := range []struct {
		name  string
		apart []float64 // ticket pages requested with no print in flight
		named bool
	}{
		{name: "the ticket page apart four times", apart: []float64{105, 115, 125, 135}, named: true},
		{name: "apart only twice", apart: []float64{105, 115}},
		{name: "never apart", apart: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{})
			s.webServer()
			var prints []*parser.Event
			for k := range 4 {
				t0 := float64(10 * (k + 1))
				id := fmt.Sprint(260400 + k)
				prints = append(prints, s.exec(t0+0.3, shellOf(500+k, worker1, "/var/www/html"), "/bin/sh", "/usr/local/bin/yardprint", "--ticket", id))
				s.http(t0, "GET", "/ticket/"+id, 200, "198.51.100.7", "Mozilla/5.0")
				s.http(t0, "GET", "/print.php?id="+id, 200, "198.51.100.7", "Mozilla/5.0")
			}
			for k, at := range tc.apart {
				s.http(at, "GET", fmt.Sprint("/ticket/", 260500+k), 200, "198.51.100.7", "Mozilla/5.0")
			}
			// other commands, so the routes' background can be judged
			for k := range 12 {
				t0 := 200 + float64(5*k)
				s.exec(t0+0.3, shellOf(600+k, worker2, "/var/www/html"), "/bin/sh", "-c", "date")
				s.http(t0, "GET", "/status.php", 200, "198.51.100.9", "kube-probe")
			}
			links := s.b.matchRequests().execs
			for _, ex := range prints {
				rl, ok := links[ex.Proc]
				if !ok {
					t.Fatal("no link")
				}
				named := rl.Request != nil && rl.Request.HTTP.Path == "/print.php"
				if named != tc.named {
					t.Fatalf("named the print %v, want %v: %s", named, tc.named, rl.Reason)
				}
				if named && (!strings.Contains(rl.Reason, "carry") || rl.Confidence != ConfidenceLow) {
					t.Errorf("the link does not say the candidates carry the value, or is not low: %s (%s)", rl.Reason, rl.Confidence)
				}
				if !named && rl.Request != nil {
					t.Errorf("named %s: %s", describeRequest(rl.Request), rl.Reason)
				}
			}
		})
	}
}

// TestUploadLinksOneWorker (rule 6 for file writes): a request whose own
// command, observed, ran under one worker was not served by another, so
// no file another worker wrote is tied to it. docket-exhibit: the
// attacker's module was written by apache2 3094 while only a visitor's
// thumbnail request, whose convert ran under 3093, was left in the log
// (the attacker's lines were taken out): no request is named for it.
// Over every capture, no upload link contradicts an observed exec link.
func TestUploadLinksOneWorker(t *testing.T) {
	caps, _ := filepath.Glob(filepath.Join("..", "testdata", "lab", "*", "ground-truth.json"))
	for _, g := range caps {
		dir := filepath.Dir(g)
		c := filepath.Base(dir)
		t.Run(c, func(t *testing.T) {
			b, _ := labCausality(t, dir, nil)
			cz := b.matchRequests()
			served := servedWorkers(cz.execs)
			for wr, l := range cz.uploads {
				if w := served[l.Request]; l.Request != nil && w != nil && w != wr.Proc {
					t.Errorf("write of %s by pid %d tied to %s, whose command ran under worker pid %d", wr.Path, wr.Proc.Key.PID, describeRequest(l.Request), w.Key.PID)
				}
				if c == "docket-exhibit" && strings.HasSuffix(wr.Path, "/docket_audittrail.py") {
					if l.Request != nil || !strings.Contains(l.Reason, "worker pid 3093") {
						t.Errorf("the attacker's module: %s (%s), want no request named, the thumbnail's worker 3093 said", describeRequest(l.Request), l.Reason)
					}
				}
			}
		})
	}
}

// TestTimeShares: a route's share of the log's time is the union of its
// requests' lives (overlaps counted once), each widened by the clocks'
// rounding; with no time held every route is background.
func TestTimeShares(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	sec := func(s float64) time.Time { return at.Add(time.Duration(s * float64(time.Second))) }
	req := func(route string, from, to float64) reqInfo {
		return reqInfo{route: route, span: reqSpan{start: sec(from), end: sec(to)}}
	}
	infos := []reqInfo{
		req("GET /status", 0, 100), // the whole log: background
		req("POST /contact", 10, 11),
		req("POST /contact", 10.5, 12), // overlaps the first: 2 s in all
		req("POST /contact", 50, 50.5),
		req("POST /contact", 50.1, 50.2), // inside the one before
	}
	got := timeShares(infos, logSpanOf(infos))
	if got["GET /status"] != 1 {
		t.Errorf("a route in flight all the time: %v, want 1", got["GET /status"])
	}
	want := (2.5 + 4*spanSlack.Seconds()) / (100 + 2*spanSlack.Seconds())
	if d := got["POST /contact"] - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("POST /contact: %v, want %v", got["POST /contact"], want)
	}
	if len(timeShares(infos, logSpan{})) != 0 {
		t.Error("no time held: every route must be background (no share)")
	}
}
