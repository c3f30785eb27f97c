package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// FuzzRequestSpan: whatever an access line or its container wrapper says,
// the request's life is well formed (start ≤ end) and its end stays within
// two seconds of the logged second: a hostile field never moves a request
// elsewhere in time.
func FuzzRequestSpan(f *testing.F) {
	f.Add("access-log", `127.0.0.1 - - [03/Dec/2026:08:15:08 +0000] "GET / HTTP/1.1" 200 38 "-" "ua" msec=1796285708.812 rt=0.195`)
	f.Add("access-log", `{"msec":"1796285708.812","request_time":"0.2","status":200,"request":"GET / HTTP/1.1"}`)
	f.Add(string(parser.FormatDockerJSON), `{"log":"x msec=1 rt=-5\n","time":"2026-12-03T08:15:08.5Z"}`)
	f.Add(string(parser.FormatCRI), `2026-12-03T08:15:08.123456789Z stdout F 127.0.0.1 - - [03/Dec/2026:08:15:08 +0000] "GET / HTTP/1.1" 200 1 D=99999999999999999999`)
	logged := time.Date(2026, 12, 3, 8, 15, 8, 0, time.UTC)
	f.Fuzz(func(t *testing.T, source, raw string) {
		ev := &parser.Event{Kind: parser.KindHTTP, Time: logged, Source: parser.Format(source), HTTP: &parser.HTTPRequest{},
			Evidence: []parser.Evidence{{Raw: raw}}}
		s := requestSpanOf(ev, 2*time.Second)
		if s.start.After(s.end) {
			t.Fatalf("start %s after end %s", s.start, s.end)
		}
		if d := s.end.Sub(logged); d < -2*time.Second || d > 2*time.Second {
			t.Fatalf("end %s moved %s from the logged second", s.end, d)
		}
		if d := s.end.Sub(s.start); d > maxRequestLife+2*time.Second {
			t.Fatalf("request lasts %s", d)
		}
	})
}
