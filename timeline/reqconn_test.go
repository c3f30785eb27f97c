package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestConnectionAcceptBounds (reqconn.go): an access line that names its
// client's port is bounded by the server's accept of that connection. The
// scene is berthplan-rules' at 12:19:25: the probe's df runs at 25.935;
// its GET /api/health is logged at 25.950 by the application's own log
// with the 8.9 ms its handler took (begun 6 ms after the exec, beyond the
// clocks' slack); a web shell's GET /page/notice is logged at 26.957
// without a duration (the 2 s window holds the exec).
func TestConnectionAcceptBounds(t *testing.T) {
	server := who{pid: 300, ppid: 1, uid: 2111, exe: "/usr/bin/node"}
	sshd := who{pid: 60, ppid: 1, uid: 0, exe: "/usr/sbin/sshd"}
	type acc struct {
		at   float64
		by   who
		port int
	}
	cases := []struct {
		name     string
		accepts  []acc
		keepOpen bool   // the health check's connection carried a request before it
		want     string // the path named, "ambiguous", or "" for no link at all
		reason   string // a word the reason must hold
	}{
		{name: "each connection's accept bounds its request", accepts: []acc{{25.935, server, 44014}, {26.883, server, 44044}},
			want: "/api/health", reason: "start from its connection's accept at"},
		{name: "no accepts: the log alone, as before", want: "/page/notice"},
		{name: "a later connection excludes its request even when the cause's own accept is missing", accepts: []acc{{26.883, server, 44044}}},
		{name: "an accept by another program bounds nothing", accepts: []acc{{25.935, server, 44014}, {26.883, sshd, 44044}}, want: "ambiguous"},
		{name: "a second request on a connection began after the first ended", accepts: []acc{{25.2, server, 44014}, {26.883, server, 44044}}, keepOpen: true},
		{name: "an accept after the line's end is another connection", accepts: []acc{{25.935, server, 44014}, {27.5, server, 44044}}, want: "ambiguous"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{WebServers: []string{"node"}})
			s.touch(0, server)
			s.touch(0, sshd)
			for _, a := range tc.accepts {
				s.accept(a.at, a.by, "127.0.0.1", a.port)
			}
			line := func(at float64, path string, port int, dur time.Duration) *parser.Event {
				ev := s.http(at, "GET", path, 200, "127.0.0.1", "")
				ev.Time = s.at(at)
				ev.HTTP.EndBy, ev.HTTP.ClientPort = "logged time", port
				if dur > 0 {
					ev.HTTP.Duration, ev.HTTP.HasDuration = dur, true
				}
				return ev
			}
			df := s.exec(25.935, who{pid: 6376, ppid: server.pid, uid: 2111}, "/bin/df", "-P", "/srv")
			if tc.keepOpen {
				line(25.5, "/api/status", 44014, 0)
			}
			line(25.950, "/api/health", 44014, 8900*time.Microsecond)
			line(26.957, "/page/notice", 44044, 0)
			rl, ok := s.b.matchRequests().execs[df.Proc]
			switch {
			case tc.want == "":
				if ok && (rl.Request != nil || len(rl.Candidates) > 0) {
					t.Fatalf("linked: %v, %d candidates (%s); want no request", rl.Request, len(rl.Candidates), rl.Reason)
				}
				return
			case !ok:
				t.Fatalf("no link; want %s", tc.want)
			case tc.want == "ambiguous":
				if rl.Request != nil || len(rl.Candidates) != 2 {
					t.Fatalf("link %v, %d candidates (%s); want ambiguous between two", rl.Request, len(rl.Candidates), rl.Reason)
				}
			case rl.Request == nil || rl.Request.HTTP.Path != tc.want:
				t.Fatalf("link %v (%s); want %s", rl.Request, rl.Reason, tc.want)
			}
			if !strings.Contains(rl.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", rl.Reason, tc.reason)
			}
		})
	}
}

// TestBoundByAccept: the accept is a lower bound of a request's start; a
// connection's only request lived from the accept to its end.
func TestBoundByAccept(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 19, 25, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	cases := []struct {
		name          string
		start, end    int
		durKnown      bool
		acc           int
		alone         bool
		wantStart     int
		wantDur, same bool
	}{
		{name: "alone: the handler's timer began after the accept", start: 941, end: 950, durKnown: true, acc: 935, alone: true, wantStart: 935, wantDur: true},
		{name: "alone, no duration: observed from the accept", start: -1050, end: 950, acc: 900, alone: true, wantStart: 900, wantDur: true},
		{name: "alone, held longer than the window", start: -1050, end: 950, acc: -5000, alone: true, wantStart: -5000, wantDur: true},
		{name: "not alone, no duration: no earlier than the accept", start: -1050, end: 950, acc: 200, wantStart: 200},
		{name: "not alone, accepted before the window: the window stands", start: -1050, end: 950, acc: -3000, wantStart: -1050},
		{name: "an accept after the end bounds nothing", start: 941, end: 950, durKnown: true, acc: 990, alone: true, same: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := reqSpan{start: ms(tc.start), end: ms(tc.end), durKnown: tc.durKnown, endExact: true, endBasis: "logged time"}
			got := boundByAccept(s, ms(tc.acc), tc.alone)
			if tc.same {
				if got != s {
					t.Errorf("span changed: %+v", got)
				}
				return
			}
			if !got.start.Equal(ms(tc.wantStart)) || got.durKnown != (tc.wantDur || tc.durKnown) || !got.acceptAt.Equal(ms(tc.acc)) || !got.end.Equal(s.end) {
				t.Errorf("got start %s durKnown %v accept %s end %s", when(got.start), got.durKnown, when(got.acceptAt), when(got.end))
			}
		})
	}
}
