package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// TestStage1ReasonAgreesWithRequests: stage 1 inferred must not say "no
// request is tied to the chain" while the chain's own request table lists
// requests (tied, but only by time: inferred or ambiguous links).
func TestStage1ReasonAgreesWithRequests(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 21, 34, 42, 0, time.UTC)
	tree := parser.NewTree()
	sh := &parser.Event{Kind: parser.KindExec, Time: at, PID: 10, PPID: 9, Exe: "/usr/bin/dash", Args: []string{"sh", "-c", "id"}}
	tree.Observe(sh)
	f := &detect.Finding{RuleID: "r", Severity: detect.SeverityHigh, Stage: detect.StageCommandExecution, Time: at, Event: sh, Process: sh.Proc}
	req := &parser.Event{Kind: parser.KindHTTP, Time: at.Add(time.Second)}
	c := &Chain{Severity: detect.SeverityHigh, Findings: []*detect.Finding{f},
		Requests: []RequestLink{{Request: req, Process: sh.Proc, Event: sh, Confidence: ConfidenceLow, Inferred: true}}}
	l := newLinker(b, tree, []*detect.Finding{f}, causality{})
	l.place(c, capabilities{known: true, accessLog: true})
	s := c.Stages[0]
	if s.Confidence != ConfidenceInferred {
		t.Fatalf("stage 1: %+v, want inferred", s)
	}
	if strings.Contains(s.Reason, "no request of the access log is tied") {
		t.Errorf("stage 1 reason %q contradicts the chain's request table (1 request)", s.Reason)
	}
	if !strings.Contains(s.Reason, "1 request(s)") {
		t.Errorf("stage 1 reason %q: want it to count the chain's requests", s.Reason)
	}
}

// A stage held up by a request alone is observed only when the request's
// link to what it caused is observed (its parameter in the command line);
// tied by time only, the stage is inferred and its reason names the rule.
func TestStageFromRequestsAloneSaysHowSure(t *testing.T) {
	at := time.Date(2026, 11, 25, 21, 34, 42, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		inferred bool
		want     string
	}{
		{"tied by time", true, "inferred as the way in: the first request tied to the chain's processes is taken as the exploit request"},
		{"parameter in the command line", false, "1 request(s) in the access log"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBuilder(Options{})
			if err != nil {
				t.Fatal(err)
			}
			tree := parser.NewTree()
			sh := &parser.Event{Kind: parser.KindExec, Time: at, PID: 10, PPID: 9, Exe: "/usr/bin/dash", Args: []string{"sh", "-c", "date"}}
			tree.Observe(sh)
			f := &detect.Finding{RuleID: "r", Severity: detect.SeverityMedium, Stage: detect.StageCommandExecution, Time: at, Event: sh, Process: sh.Proc}
			req := &parser.Event{Kind: parser.KindHTTP, Time: at.Add(time.Second), HTTP: &parser.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/status.php", Status: 200}}
			conf := ConfidenceMedium
			if !tc.inferred {
				conf = ConfidenceHigh
			}
			c := &Chain{Severity: detect.SeverityMedium, Findings: []*detect.Finding{f},
				Requests: []RequestLink{{Request: req, Process: sh.Proc, Event: sh, Confidence: conf, Inferred: tc.inferred}}}
			l := newLinker(b, tree, []*detect.Finding{f}, causality{})
			l.place(c, capabilities{known: true, accessLog: true})
			s := c.Stages[0]
			wantConf := ConfidenceObserved
			if tc.inferred {
				wantConf = ConfidenceInferred
			}
			if !s.Observed || s.Confidence != wantConf || !strings.Contains(s.Reason, tc.want) {
				t.Errorf("stage 1 observed=%v confidence %q reason %q: want %q, reason with %q", s.Observed, s.Confidence, s.Reason, wantConf, tc.want)
			}
		})
	}
}

// An upload request tied to the chain's script write is that write's
// request (stage 2), not "what the intruder did once in": stage 1's
// inferred reason says the requests are the uploads, and that what let
// them through is not in the evidence.
func TestStage1ReasonOfAnUploadOnly(t *testing.T) {
	at := time.Date(2026, 12, 3, 15, 49, 6, 0, time.UTC)
	put := &parser.Event{Kind: parser.KindHTTP, Time: at, HTTP: &parser.HTTPRequest{Client: "127.0.0.1", Method: "PUT", Path: "/manager/text/deploy", Status: 200}}
	get := &parser.Event{Kind: parser.KindHTTP, Time: at, HTTP: &parser.HTTPRequest{Client: "127.0.0.1", Method: "GET", Path: "/x.jsp", Status: 200}}
	caps := capabilities{known: true, accessLog: true}
	up := RequestLink{Request: put, File: "/srv/webapps/stock/admin/cache.jsp", Confidence: ConfidenceMedium, Inferred: true}
	ex := RequestLink{Request: get, Confidence: ConfidenceHigh}
	if got := stage1Why(&Chain{Requests: []RequestLink{up}}, caps); strings.Contains(got, "once in") || !strings.Contains(got, "upload") {
		t.Errorf("upload only: %q", got)
	}
	if got := stage1Why(&Chain{Requests: []RequestLink{up, ex}}, caps); !strings.Contains(got, "once in") {
		t.Errorf("an upload and a command: %q", got)
	}
}

// TestErrorBurstNeedsAgent: a client's path guessing before its first
// tied request is stage 1 evidence when the log names the client by
// address and user agent; an address alone (a log without the agent) is
// everyone's behind a proxy, a NAT or the loopback.
func TestErrorBurstNeedsAgent(t *testing.T) {
	for _, c := range []struct {
		agent string
		want  int
	}{{"python-requests/2.31", 4}, {"", 1}} {
		s := newSim(t, Options{})
		s.webServer()
		for i, p := range []string{"/robots.txt", "/admin/", "/.git/HEAD"} {
			s.http(40+float64(i)*0.3, "GET", p, 404, "127.0.0.1", c.agent)
		}
		s.http(55, "GET", "/uploads/shell.php?cmd=id", 200, "127.0.0.1", c.agent)
		sh := shellOf(200, worker2, "/var/www/html/uploads")
		f := s.find(s.exec(55.28, sh, "sh", "-c", "id 2>&1"), detect.StageCommandExecution, detect.SeverityHigh, "Web Server Exploitation")
		r := s.build()
		ch := chainOf(r, f)
		if ch == nil {
			t.Fatal("no chain")
		}
		if got := len(ch.Stages[0].Requests); got != c.want {
			t.Errorf("agent %q: stage 1 holds %d requests, want %d", c.agent, got, c.want)
		}
	}
}

// A request that began, at the earliest its log allows, after the chain's
// first act cannot have been its way in: the stage is then inferred from
// what the chain did first, not from a later line (a truncated or
// rewritten access log leaves only the web shell's requests).
func TestStartedAfterChain(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 15, 58, 25, 0, time.UTC)
	c := &Chain{Findings: []*detect.Finding{{Time: t0}, {Time: t0.Add(time.Minute)}}}
	for _, tc := range []struct {
		start time.Time
		want  bool
	}{
		{t0.Add(-2 * time.Second), false}, // in flight before the first act
		{t0, false},
		{t0.Add(90 * time.Second), true}, // the web shell's line, a minute and a half on
	} {
		if got := startedAfterChain(reqSpan{start: tc.start, end: tc.start.Add(time.Second)}, c); got != tc.want {
			t.Errorf("request from %s, first act %s: %v, want %v", tc.start.Format(time.TimeOnly), t0.Format(time.TimeOnly), got, tc.want)
		}
	}
	if startedAfterChain(reqSpan{start: t0}, &Chain{}) {
		t.Error("a chain with no finding: no act to be after")
	}
}
