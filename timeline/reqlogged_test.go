package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// accessLine is one access-log request of file at line, logged at sec
// seconds past a base time, served for dur (negative: no duration).
func accessLine(file string, line, sec int, dur time.Duration) *parser.Event {
	base := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	h := &parser.HTTPRequest{Method: "GET", Path: "/x.php"}
	if dur >= 0 {
		h.Duration, h.HasDuration = dur, true
	}
	return &parser.Event{Kind: parser.KindHTTP, Source: parser.FormatAccessLog, Time: base.Add(time.Duration(sec) * time.Second),
		HTTP: h, Evidence: []parser.Evidence{{Pos: parser.Pos{File: file, Line: line}}}}
}

// TestLoggedOrder: lines are written when requests end, so only one
// reading of the logged time keeps a file's lines in order once some
// requests last over a second.
func TestLoggedOrder(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name   string
		lines  [][2]int // logged second, duration in ms
		want   loggedAt
		decide bool
	}{
		// Apache: received at 5 and served 3 s, its line comes after
		// those received at 6 and 7
		{"receive times", [][2]int{{4, 100}, {6, 50}, {7, 20}, {5, 3000}, {8, 10}, {6, 4000}, {10, 5}}, loggedStart, true},
		// nginx: the 3 s request ends at 8 and is logged at 8, then a
		// short one at 8: read as receive times it would end at 11
		{"end times", [][2]int{{4, 100}, {8, 3000}, {8, 50}, {9, 20}, {12, 4000}, {12, 10}}, loggedEnd, true},
		{"short requests say nothing", [][2]int{{4, 100}, {5, 50}, {5, 20}, {6, 10}}, 0, false},
		{"one contradiction is not enough", [][2]int{{4, 100}, {6, 50}, {5, 3000}, {7, 10}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []*parser.Event
			for i, l := range tc.lines {
				rs = append(rs, accessLine("a.log", i+1, l[0], time.Duration(l[1])*ms))
			}
			v, ok := orderVerdict(rs)
			if ok != tc.decide || ok && v.at != tc.want {
				t.Fatalf("verdict %v %q (decided %v), want %v (decided %v)", v.at, v.basis, ok, tc.want, tc.decide)
			}
			if ok && !strings.HasPrefix(v.basis, "line order") {
				t.Errorf("basis %q does not say line order decided", v.basis)
			}
		})
	}
}

// TestLoggedMeanings: without order evidence the file's path, then the
// host's servers decide; a host with both kinds of server gets both
// readings, never one picked.
func TestLoggedMeanings(t *testing.T) {
	proc := func(host, exe string, parent *parser.Process) *parser.Process {
		return &parser.Process{Key: parser.ProcKey{Host: host}, Exe: exe, Parent: parent}
	}
	execUnder := func(host string, servers ...string) *parser.Event {
		var p *parser.Process
		for _, s := range servers {
			p = proc(host, s, p)
		}
		return &parser.Event{Kind: parser.KindExec, Proc: proc(host, "/usr/bin/dash", p)}
	}
	for _, tc := range []struct {
		name  string
		file  string
		execs []*parser.Event
		want  loggedAt
	}{
		{"apache by path", "/var/log/apache2/access.log", nil, loggedStart},
		{"httpd by file name", "logs/httpd-access.log", nil, loggedStart},
		{"uwsgi by file name (a combined --log-format's %(ltime) is the start)", "/srv/app/uwsgi-access.log", nil, loggedStart},
		{"host runs caddy and uwsgi", "access.log", []*parser.Event{execUnder("", "/usr/bin/caddy"), execUnder("", "/usr/bin/uwsgi", "/usr/bin/uwsgi")}, loggedEither},
		{"nginx by path", "/var/log/nginx/access.log", []*parser.Event{execUnder("", "/usr/sbin/apache2")}, loggedEnd},
		{"host runs apache only", "access.log", []*parser.Event{execUnder("", "/usr/sbin/apache2", "/usr/sbin/apache2")}, loggedStart},
		{"host runs both", "access.log", []*parser.Event{execUnder("", "/usr/sbin/apache2"), execUnder("", "/usr/sbin/nginx", "/usr/sbin/php-fpm8.2")}, loggedEither},
		{"apache on another host", "access.log", []*parser.Event{execUnder("other", "/usr/sbin/apache2")}, loggedEnd},
		{"nothing known", "access.log", nil, loggedEnd},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{})
			if err != nil {
				t.Fatal(err)
			}
			b.requests = []*parser.Event{accessLine(tc.file, 1, 4, -1), accessLine(tc.file, 2, 5, -1)}
			b.webExecs = tc.execs
			if got := b.loggedOf(b.requests[0]); got != tc.want {
				t.Errorf("%s: %v (%s), want %v", tc.file, got, b.logged[tc.file].basis, tc.want)
			}
		})
	}
}

// TestMicroTail: Apache's combined + %D writes a bare final integer; below
// 1000 the parser cannot tell it from %T seconds and keeps it aside. When
// other lines of the same file carry values only microseconds can be, the
// small ones are microseconds too: the request's life is that short.
func TestMicroTail(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	long := accessLine("/var/log/apache2/access.log", 1, 4, 57749*time.Microsecond)
	short := accessLine("/var/log/apache2/access.log", 2, 5, -1)
	short.HTTP.BareTail, short.HTTP.HasBareTail = 859, true
	alone := accessLine("other.log", 1, 5, -1) // a file with small values only: %T or %D, unknown
	alone.HTTP.BareTail, alone.HTTP.HasBareTail = 3, true
	b.requests = []*parser.Event{long, short, alone}
	if s := b.spanOf(short); !s.durKnown || s.end.Sub(s.start) > time.Second+time.Millisecond {
		t.Errorf("short line: span %s..%s (duration known %v), want its 859 µs after the receive second", s.start, s.end, s.durKnown)
	}
	if s := b.spanOf(alone); s.durKnown {
		t.Errorf("a file of small values only: duration read as known")
	}
}

// TestReceiveTimeSearch: in a log of receive times a request logged
// seconds before an exec can still be in flight at it; the search for
// candidates reaches back by the longest life, or such a request is
// missed and another named in its place (the bug of the first Apache
// reading: a 2 s request received at :00 was no candidate at :01.5).
func TestReceiveTimeSearch(t *testing.T) {
	b, err := NewBuilder(Options{WebServers: []string{"apache2"}})
	if err != nil {
		t.Fatal(err)
	}
	worker := &parser.Process{Key: parser.ProcKey{PID: 10}, Exe: "/usr/sbin/apache2"}
	sh := &parser.Process{Key: parser.ProcKey{PID: 100}, Exe: "/usr/bin/dash", Parent: worker}
	slow := accessLine("/var/log/apache2/access.log", 1, 0, 2500*time.Millisecond) // received :00, served 2.5 s
	quick := accessLine("/var/log/apache2/access.log", 2, 2, 20*time.Millisecond)  // received :02
	ex := &parser.Event{Kind: parser.KindExec, Time: slow.Time.Add(1500 * time.Millisecond), Proc: sh, Exe: sh.Exe, Args: []string{"sh", "-c", "id"}}
	b.requests = []*parser.Event{slow, quick}
	b.webExecs = []*parser.Event{ex}
	cz := b.matchRequests()
	rl := cz.execs[sh]
	if rl.Request != slow {
		t.Fatalf("linked to %v (%s), want the slow request received at :00", rl.Request, rl.Reason)
	}
}

// TestLaterWebExecs: a php-fpm worker whose first audited record comes
// after its child's exec is known only by its pid when the child execs;
// once its records name it, the child is a web-server exec like the
// others (benign-day and webshell-classic had such children unlinked).
func TestLaterWebExecs(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	worker := &parser.Process{Key: parser.ProcKey{PID: 25493}, Placeholder: true}
	sh := &parser.Process{Key: parser.ProcKey{PID: 26001}, Exe: "/usr/bin/dash", Parent: worker}
	ex := &parser.Event{Kind: parser.KindExec, Success: true, Proc: sh, Exe: sh.Exe, Args: []string{"sh", "-c", "date"}, User: "www-data", UID: parser.NewID(33)}
	b.Observe(ex)
	if len(b.webExecs) != 0 {
		t.Fatal("an exec under an unnamed parent taken as a web exec at once")
	}
	// root's jobs under daemons started before the log have unnamed
	// parents too: only a web account's execs are kept aside
	cronjob := &parser.Process{Key: parser.ProcKey{PID: 26002}, Exe: "/usr/bin/dash", Parent: &parser.Process{Key: parser.ProcKey{PID: 700}, Placeholder: true}}
	b.Observe(&parser.Event{Kind: parser.KindExec, Success: true, Proc: cronjob, Exe: cronjob.Exe, User: "root", UID: parser.NewID(0)})
	if len(b.unnamedParent) != 1 {
		t.Errorf("%d execs kept aside, want only the web account's", len(b.unnamedParent))
	}
	worker.Placeholder, worker.Exe = false, "/usr/sbin/php-fpm8.2" // its own records came
	b.laterWebExecs()
	if len(b.webExecs) != 1 || b.webExecs[0] != ex {
		t.Errorf("web execs %v, want the child of the worker named later", b.webExecs)
	}
}

// TestFormatReceiveTime: a line whose format says it logs the request's
// start (uWSGI, HTTPRequest.ReceiveTime) is read so, whatever the file's
// path or the host's servers say, and its duration runs forward; a file
// of such lines says so in its verdict, and the candidate search reaches
// back for it even from a container's log.
func TestFormatReceiveTime(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// received at :04, served 3 s; the path names nginx (end stamps)
	r := accessLine("/var/log/nginx/uwsgi-req.log", 1, 4, 3*time.Second)
	r.HTTP.ReceiveTime = true
	ctr := accessLine("/var/lib/docker/containers/x/x-json.log", 1, 9, 10*time.Millisecond)
	ctr.Source, ctr.HTTP.ReceiveTime = parser.FormatDockerJSON, true
	// the same container's nginx line stays an end time
	ng := accessLine(posOf(ctr).File, 2, 9, 10*time.Millisecond)
	ng.Source = parser.FormatDockerJSON
	b.requests = []*parser.Event{r, ctr, ng}
	if got := b.loggedOf(ng); got != loggedEnd {
		t.Errorf("a container's nginx line beside uWSGI's: %v", got)
	}
	if got := b.loggedOf(r); got != loggedStart {
		t.Fatalf("loggedOf = %v (%s), want receive time", got, b.logged[posOf(r).File].basis)
	}
	if basis := b.logged[posOf(r).File].basis; !strings.Contains(basis, "format") {
		t.Errorf("basis %q does not say the format decided", basis)
	}
	s := b.spanOf(r)
	if !s.start.Equal(r.Time) || !s.end.Equal(r.Time.Add(4*time.Second-time.Nanosecond)) {
		t.Errorf("span %s..%s, want from the logged second to 3 s past its end", s.start, s.end)
	}
	if got := b.loggedOf(ctr); got != loggedStart || !b.receiveTimes() {
		t.Errorf("container line: loggedOf %v, receiveTimes %v", got, b.receiveTimes())
	}
	// a fine end (a container's wrapper time) is the end still
	ctr.HTTP.EndAfter, ctr.HTTP.EndBy = 15*time.Millisecond, "container-log time"
	if s := b.spanOf(ctr); !s.endExact || !s.end.Equal(ctr.Time.Add(15*time.Millisecond)) {
		t.Errorf("container line with a wrapper end: span %s..%s exact %v", s.start, s.end, s.endExact)
	}
}

// TestLoggedOrderAgainstPath: line order and a path naming the server are
// two evidences; when they disagree (an Apache log whose lines are not in
// the order its requests ended: kb-sqlconsole's console POST received at
// 12:46:59 and served 5.6 s comes before lines that ended by 12:47:04),
// neither is taken over the other: both readings are allowed, which can
// make a link ambiguous but no wrong one certain. Read by order alone,
// the console's three commands were tied to the right line under a
// reading that made it look like another request.
func TestLoggedOrderAgainstPath(t *testing.T) {
	ms := time.Millisecond
	endOrder := [][2]int{{4, 100}, {8, 3000}, {8, 50}, {9, 20}, {12, 4000}, {12, 10}}
	for _, tc := range []struct {
		name string
		file string
		want loggedAt
	}{
		{"an Apache path, lines in end order", "/var/log/apache2/access.log", loggedEither},
		{"an nginx path, lines in end order", "/var/log/nginx/access.log", loggedEnd},
		{"no server named", "access.log", loggedEnd},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range endOrder {
				b.requests = append(b.requests, accessLine(tc.file, i+1, l[0], time.Duration(l[1])*ms))
			}
			if got := b.loggedOf(b.requests[0]); got != tc.want {
				t.Errorf("%v (%s), want %v", got, b.logged[tc.file].basis, tc.want)
			}
		})
	}
}

// TestHAProxyTimers: HAProxy stamps a line with the request's start (%t,
// %tr) and writes every timer in whole milliseconds; a log whose path
// names it is read so. rt=868 is 0.868 s there, not the 14 minutes the
// parser's rt= (nginx's $request_time, seconds) makes of it; a file whose
// path names no such server, or holding a decimal value, is left as read.
func TestHAProxyTimers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    string
		durs    []time.Duration // as the parser read them
		want    []time.Duration
		at      loggedAt
		inBasis string
	}{
		{"haproxy's path, whole numbers: milliseconds, receive times", "/var/log/haproxy.log", []time.Duration{868 * time.Second, 4 * time.Second}, []time.Duration{868 * time.Millisecond, 4 * time.Millisecond}, loggedStart, "whole milliseconds"},
		{"haproxy's file name", "logs/haproxy-access.log", []time.Duration{92 * time.Second, 0}, []time.Duration{92 * time.Millisecond, 0}, loggedStart, "haproxy's timers"},
		{"a decimal value: no haproxy timer, left as read", "/var/log/haproxy.log", []time.Duration{1500 * time.Millisecond, 2 * time.Second}, []time.Duration{1500 * time.Millisecond, 2 * time.Second}, loggedStart, ""},
		{"nginx's path: seconds", "/var/log/nginx/access.log", []time.Duration{2 * time.Second, 3 * time.Second}, []time.Duration{2 * time.Second, 3 * time.Second}, loggedEnd, ""},
		{"no server named: seconds", "access.log", []time.Duration{2 * time.Second, 3 * time.Second}, []time.Duration{2 * time.Second, 3 * time.Second}, loggedEnd, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range tc.durs {
				b.requests = append(b.requests, accessLine(tc.file, i+1, 4+3*i, d))
			}
			if got := b.loggedOf(b.requests[0]); got != tc.at {
				t.Errorf("read as %v (%s), want %v", got, b.logged[tc.file].basis, tc.at)
			}
			for i, r := range b.requests {
				if r.HTTP.Duration != tc.want[i] {
					t.Errorf("line %d: duration %s, want %s", i+1, r.HTTP.Duration, tc.want[i])
				}
			}
			if basis := b.logged[tc.file].basis; tc.inBasis != "" && !strings.Contains(basis, tc.inBasis) || tc.inBasis == "" && strings.Contains(basis, "milliseconds") {
				t.Errorf("basis %q, want it to say %q", basis, tc.inBasis)
			}
		})
	}
}
