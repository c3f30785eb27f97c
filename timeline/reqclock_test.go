package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestClockLagFromExecs: how far an access log's clock trails is read from
// the execs that evidence independent of the window ties to its lines (a
// CGI program naming the line's script, a command carrying the line's own
// values): a request cannot end before a command it ran started. The lag
// is the least that puts every such exec inside a line that names it,
// plus the clocks' rounding, at most maxClockLag; an exec no line within
// reach names measures nothing, and a line that may still have been in
// flight (logged later) places its exec without a lag.
func TestClockLagFromExecs(t *testing.T) {
	base := time.Date(2026, 12, 5, 12, 41, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	line := func(sec float64, p, q string, durMS int) *parser.Event {
		h := &parser.HTTPRequest{Method: "GET", Path: p, Query: q, Status: 200}
		if durMS >= 0 {
			h.HasDuration, h.Duration = true, time.Duration(durMS)*time.Millisecond
		}
		return &parser.Event{Time: at(sec), HTTP: h}
	}
	msec := func(e *parser.Event) *parser.Event { e.HTTP.EndBy = "msec"; return e }
	cgi := func(s float64, script string) clockAnchor {
		return scriptAnchor(&parser.Event{Time: at(s), Exe: "/usr/bin/php-cgi", Args: []string{"/usr/bin/php-cgi", script}}, script)
	}
	cmd := func(s float64, args ...string) clockAnchor {
		return valueAnchor(&parser.Event{Time: at(s), Exe: args[0], Args: args}, lineValues{})
	}
	convert := func(s float64, lot, w string) clockAnchor {
		return cmd(s, "/usr/bin/convert", "-size", w+"x79", "xc:#cfe3ea", "/var/lib/tallyhall/cache/"+lot+"-"+w+".png")
	}
	ms := time.Millisecond
	for _, tc := range []struct {
		name     string
		lines    []*parser.Event
		anchors  []clockAnchor
		want     time.Duration
		measured int
	}{
		{"a CGI program in its logged second", []*parser.Event{line(50, "/status.php", "", 85)}, []clockAnchor{cgi(50.5, "/srv/www/status.php")}, 0, 1},
		// benign-reports: status.php served 00:15:50.920..51.157 is logged
		// at 00:15:50, its php-cgi started at 51.026
		{"a CGI program past its logged second", []*parser.Event{line(50, "/status.php", "", 85), line(51, "/help.php", "", 40)}, []clockAnchor{cgi(51.026, "/srv/www/status.php")}, 26*ms + spanSlack, 1},
		{"the most any exec needs", []*parser.Event{line(50, "/status.php", "", 85), line(60, "/report.php", "", 300)}, []clockAnchor{cgi(51.026, "/srv/www/status.php"), cgi(61.3, "/srv/www/report.php")}, 300*ms + spanSlack, 2},
		// tallyhall-xslt (Twisted, no duration): the photo of lot L006 at
		// width 119, logged 12:41:13, drawn at 14.627
		{"a command carrying its line's values past the second", []*parser.Event{line(13, "/lots/L006/photo.png", "w=119", -1), line(14, "/health", "", -1)}, []clockAnchor{convert(14.627, "L006", "119")}, 627*ms + spanSlack, 1},
		{"a lag past the bound is held to it", []*parser.Event{line(13, "/lots/L006/photo.png", "w=119", -1)}, []clockAnchor{convert(15.998, "L006", "119")}, maxClockLag, 1},
		{"too far from every line: no measure", []*parser.Event{line(10, "/lots/L006/photo.png", "w=119", -1)}, []clockAnchor{convert(14.6, "L006", "119")}, 0, 0},
		{"a line logged later may have been in flight", []*parser.Event{line(13, "/x", "c=uname+-a", -1), line(30, "/x", "c=uname+-a", -1)}, []clockAnchor{cmd(14.6, "sh", "-c", "uname -a")}, 0, 1},
		{"a line whose request started after the exec does not place it", []*parser.Event{line(13, "/status.php", "", 50), line(16, "/status.php", "", 100)}, []clockAnchor{cgi(14.5, "/srv/www/status.php")}, 500*ms + spanSlack, 1},
		{"a line with a fine end says nothing of the second's clock", []*parser.Event{msec(line(45, "/help/imposition", "a=echo+c2VkIC1p", 30))}, []clockAnchor{cmd(46.078, "sh", "-c", "echo c2VkIC1p")}, 0, 0},
		{"a 404 runs nothing", []*parser.Event{func() *parser.Event { e := line(13, "/x", "c=uname+-a", -1); e.HTTP.Status = 404; return e }()}, []clockAnchor{cmd(14.6, "sh", "-c", "uname -a")}, 0, 0},
		{"no exec to measure by", []*parser.Event{line(50, "/status.php", "", 85)}, nil, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, measured, _ := readLag(anchorLags(tc.lines, tc.anchors, 2*time.Second, maxClockLag))
			if got != tc.want || measured != tc.measured {
				t.Errorf("lag %s from %d execs, want %s from %d", got, measured, tc.want, tc.measured)
			}
		})
	}
}

// TestEndTextKeepsLoggedSecond: a candidate is listed with the second its
// line logged, not with the end a trailing clock widens it to.
func TestEndTextKeepsLoggedSecond(t *testing.T) {
	r := &parser.Event{Time: time.Date(2026, 12, 5, 12, 41, 14, 0, time.UTC), HTTP: &parser.HTTPRequest{Method: "GET", Path: "/health"}}
	for _, tc := range []struct {
		late time.Duration
		want string
	}{
		{0, "logged 12:41:14"},
		{852 * time.Millisecond, "logged 12:41:14"},
		{maxClockLag, "logged 12:41:14"},
	} {
		if got := endText(spanWith(r, 2*time.Second, loggedEnd, false, tc.late)); got != tc.want {
			t.Errorf("late %s: %q, want %q", tc.late, got, tc.want)
		}
	}
}

// TestClockLagPastExactEnds: nginx's $msec and $request_time read the
// worker's cached clock; a handler that blocks the worker (Lua's io.popen)
// is logged with the time the loop last woke and a duration of 0.000, and
// its command starts past that end. The lag is read as for a second's
// clock, from a line that carries the command's values, but only from a
// line that timed its request as zero (a clock that moved while it ran was
// live: the command is another request's that carries the same values,
// press-ssti's web shell reading paths an earlier ls had listed).
func TestClockLagPastExactEnds(t *testing.T) {
	base := time.Date(2026, 12, 5, 7, 1, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	// a line logged at its second with an exact end and a duration
	line := func(end float64, p, q string, durMS int) *parser.Event {
		e := at(end)
		sec := e.Truncate(time.Second)
		return &parser.Event{Time: sec, HTTP: &parser.HTTPRequest{Method: "GET", Path: p, Query: q, Status: 200,
			HasDuration: true, Duration: time.Duration(durMS) * time.Millisecond, EndAfter: e.Sub(sec), EndBy: "msec"}}
	}
	chart := func(s float64, station string) clockAnchor {
		return valueAnchor(&parser.Event{Time: at(s), Exe: "/bin/sh", Args: []string{"/bin/sh", "-c", "/usr/local/bin/tideplot --station '" + station + "' --days 2 2>&1"}}, lineValues{})
	}
	ms := time.Millisecond
	for _, tc := range []struct {
		name     string
		lines    []*parser.Event
		anchors  []clockAnchor
		want     time.Duration
		measured int
	}{
		{"inside its line's life", []*parser.Event{line(7.120, "/chart", "station=NWL&days=2", 30)}, []clockAnchor{chart(7.100, "NWL")}, 0, 1},
		// tidegauge-plot: GET /chart?station=NWL&days=2 logged msec=…067.011
		// rt=0.000, its tideplot started 27 ms later
		{"past a frozen clock's end", []*parser.Event{line(7.011, "/chart", "station=NWL&days=2", 0)}, []clockAnchor{chart(7.038, "NWL")}, 27*ms + spanSlack, 1},
		{"the most any command needs", []*parser.Event{line(7.011, "/chart", "station=NWL&days=2", 0), line(9.500, "/chart", "station=DVR&days=2", 0)}, []clockAnchor{chart(7.038, "NWL"), chart(9.510, "DVR")}, 27*ms + spanSlack, 2},
		{"past a live clock's end: another request's command", []*parser.Event{line(7.011, "/chart", "station=NWL&days=2", 140)}, []clockAnchor{chart(8.074, "NWL")}, 0, 0},
		{"a later line of the same values places it", []*parser.Event{line(7.011, "/chart", "station=NWL&days=2", 0), line(7.300, "/chart", "station=NWL&days=2", 400)}, []clockAnchor{chart(7.038, "NWL")}, 0, 1},
		{"a line begun after the command does not place it", []*parser.Event{line(7.900, "/chart", "station=NWL&days=2", 100)}, []clockAnchor{chart(7.038, "NWL")}, 0, 0},
		{"no line carries its values", []*parser.Event{line(7.011, "/chart", "station=DVR&days=2", 0)}, []clockAnchor{chart(7.038, "NWL")}, 0, 0},
		{"too far from every line: no measure", []*parser.Event{line(7.011, "/chart", "station=NWL&days=2", 0)}, []clockAnchor{chart(9.100, "NWL")}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, measured, _ := readLag(fineLags(tc.lines, tc.anchors, maxClockLag))
			if got != tc.want || measured != tc.measured {
				t.Errorf("lag %s from %d commands, want %s from %d", got, measured, tc.want, tc.measured)
			}
		})
	}
}

// TestExactEndWithLag: a line whose exact end a cached clock stamped ended
// at it or up to the lag after; its start and the end it is listed with
// stay the logged ones.
func TestExactEndWithLag(t *testing.T) {
	sec := time.Date(2026, 12, 5, 7, 1, 7, 0, time.UTC)
	r := &parser.Event{Time: sec, HTTP: &parser.HTTPRequest{Method: "GET", Path: "/healthz", HasDuration: true, EndAfter: 490 * time.Millisecond, EndBy: "msec"}}
	for _, late := range []time.Duration{0, 32 * time.Millisecond} {
		s := spanWith(r, 2*time.Second, loggedEnd, false, late)
		end := sec.Add(490 * time.Millisecond)
		if !s.endExact || !s.start.Equal(end) || !s.end.Equal(end.Add(late)) || s.late != late {
			t.Errorf("late %s: span %s..%s exact %v late %s", late, when(s.start), when(s.end), s.endExact, s.late)
		}
		if got, want := endText(s), "ended 07:01:07.490"; got != want {
			t.Errorf("late %s: %q, want %q", late, got, want)
		}
		if e, ok := earliestEnd(s, loggedEnd); !ok || !e.Equal(end) {
			t.Errorf("late %s: earliest end %s", late, when(e))
		}
		// the health check's df started 67 ms past the logged end: live
		// only with the lag read from the log
		if got := live(s, end.Add(30*time.Millisecond)); got != (late > 0) {
			t.Errorf("late %s: live 30 ms past the logged end: %v", late, got)
		}
	}
}
