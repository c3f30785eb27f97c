package timeline

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// TestDedupeLogged: one request in two logs (the server's and the
// application's) is one candidate, the line that says more standing for
// it; alike requests of one log, or two logs to the second, stay apart.
func TestDedupeLogged(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 19, 18, 633e6, time.UTC)
	line := func(file string, at time.Duration, path, ua string, fine, dur bool) *parser.Event {
		h := &parser.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: path, Status: 200, UserAgent: ua, HasDuration: dur}
		if fine {
			h.EndBy = "logged time"
		}
		return &parser.Event{Kind: parser.KindHTTP, Time: t0.Add(at), HTTP: h, Evidence: []parser.Evidence{{Pos: parser.Pos{File: file, Line: 1}}}}
	}
	server := line("access.log", 0, "/page/x", "", true, false)
	app := line("requests.log", time.Millisecond, "/page/x", "Mozilla", true, true)
	other := line("access.log", 2*time.Millisecond, "/page/x", "", true, false) // a second request of one log
	far := line("requests.log", 80*time.Millisecond, "/page/x", "", true, false)
	coarse1 := line("access.log", 0, "/a", "", false, false)
	coarse2 := line("requests.log", 0, "/a", "", false, false)
	got, _ := dedupeLogged([]*parser.Event{server, app, other, far, coarse1, coarse2})
	want := []*parser.Event{app, other, far, coarse1, coarse2}
	if len(got) != len(want) {
		t.Fatalf("%d requests kept, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("kept[%d] = %s %s of %s, want the one of %s", i, got[i].HTTP.Path, got[i].Time.Format("05.000"), posOf(got[i]).File, posOf(want[i]).File)
		}
	}
}

// TestDedupeLoggedPorts: the client port of either line of one request
// stays with the line kept (the application's line, with its duration,
// often stands for the server's, which alone names the port); two lines
// naming two ports are two connections, not one request.
func TestDedupeLoggedPorts(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 19, 25, 950e6, time.UTC)
	line := func(file string, at time.Duration, port int, dur bool) *parser.Event {
		h := &parser.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/api/health", Status: 200, EndBy: "logged time", HasDuration: dur, ClientPort: port}
		return &parser.Event{Kind: parser.KindHTTP, Time: t0.Add(at), HTTP: h, Evidence: []parser.Evidence{{Pos: parser.Pos{File: file, Line: 1}}}}
	}
	for _, tc := range []struct {
		name      string
		lines     []*parser.Event
		kept      int
		wantPorts []int
	}{
		{name: "the server's port goes to the application's line", lines: []*parser.Event{line("access.log", 0, 44014, false), line("requests.log", 0, 0, true)}, kept: 1, wantPorts: []int{44014}},
		{name: "the kept line names its own", lines: []*parser.Event{line("requests.log", 0, 0, false), line("access.log", time.Millisecond, 44014, true)}, kept: 1, wantPorts: []int{44014}},
		{name: "two ports are two connections", lines: []*parser.Event{line("access.log", 0, 44014, false), line("requests.log", 0, 44016, true)}, kept: 2, wantPorts: []int{44014, 44016}},
		{name: "no port anywhere", lines: []*parser.Event{line("access.log", 0, 0, false), line("requests.log", 0, 0, true)}, kept: 1, wantPorts: []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ports := dedupeLogged(tc.lines)
			if len(got) != tc.kept {
				t.Fatalf("%d kept, want %d", len(got), tc.kept)
			}
			for i, r := range got {
				if ports[r] != tc.wantPorts[i] {
					t.Errorf("kept[%d] (%s) port %d, want %d", i, posOf(r).File, ports[r], tc.wantPorts[i])
				}
			}
		})
	}
}

// TestDedupeCoarse: two logs to the second (a front server's and the
// application's) pair their lines of one request when each line's only
// possible partner in the other file is the other line; a line that could
// be either of two (one page fetched twice in a second) stays, and so do
// lines of one file, or whose user agents differ.
func TestDedupeCoarse(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 3, 12, 2, 0, time.UTC)
	line := func(file string, sec int, path, ua string, dur time.Duration) *parser.Event {
		h := &parser.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: path, Status: 200, UserAgent: ua, Duration: dur, HasDuration: true}
		return &parser.Event{Kind: parser.KindHTTP, Source: parser.FormatAccessLog, Time: t0.Add(time.Duration(sec) * time.Second), HTTP: h, Evidence: []parser.Evidence{{Pos: parser.Pos{File: file, Line: sec + 1}}}}
	}
	ms := time.Millisecond
	for _, tc := range []struct {
		name  string
		lines []*parser.Event
		kept  []int // indexes into lines
	}{
		{"one request in two logs: the line with more said stands", []*parser.Event{line("/var/log/haproxy.log", 0, "/status", "kube-probe", 4*ms), line("requests.log", 0, "/status", "", 4*ms)}, []int{0}},
		{"each pairs with its own second", []*parser.Event{line("/var/log/haproxy.log", 0, "/status", "kube-probe", 4*ms), line("requests.log", 0, "/status", "", 4*ms), line("/var/log/haproxy.log", 3, "/status", "kube-probe", 4*ms), line("requests.log", 3, "/status", "", 4*ms)}, []int{0, 2}},
		{"two alike in one second: no pairing is sure", []*parser.Event{line("/var/log/haproxy.log", 0, "/", "", 4*ms), line("/var/log/haproxy.log", 0, "/", "", 2*ms), line("requests.log", 0, "/", "", 3*ms), line("requests.log", 0, "/", "", 1*ms)}, []int{0, 1, 2, 3}},
		{"one of two alike logged once: ambiguous, both stay", []*parser.Event{line("/var/log/haproxy.log", 0, "/", "", 4*ms), line("/var/log/haproxy.log", 0, "/", "", 2*ms), line("requests.log", 0, "/", "", 3*ms)}, []int{0, 1, 2}},
		{"two user agents: two requests", []*parser.Event{line("/var/log/haproxy.log", 0, "/", "curl", 4*ms), line("requests.log", 0, "/", "Mozilla", 3*ms)}, []int{0, 1}},
		{"lives apart: two requests", []*parser.Event{line("/var/log/haproxy.log", 0, "/", "", 4*ms), line("requests.log", 5, "/", "", 3*ms)}, []int{0, 1}},
		{"one file: never", []*parser.Event{line("requests.log", 0, "/", "", 4*ms), line("requests.log", 3, "/", "", 3*ms)}, []int{0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{})
			if err != nil {
				t.Fatal(err)
			}
			b.requests = tc.lines
			reqs := slices.Clone(tc.lines)
			sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
			got := b.dedupeCoarse(reqs, map[*parser.Event]int{})
			var want []*parser.Event
			for _, i := range tc.kept {
				want = append(want, tc.lines[i])
			}
			sort.SliceStable(want, func(i, j int) bool { return want[i].Time.Before(want[j].Time) })
			if !slices.Equal(got, want) {
				var g []string
				for _, r := range got {
					g = append(g, posOf(r).File+" "+r.Time.Format("05"))
				}
				t.Errorf("kept %d: %v, want %d", len(got), g, len(want))
			}
		})
	}
}
