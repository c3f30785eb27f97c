package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// FuzzRequestSpan: whatever the request's time fields say, its life is
// well formed (start ≤ end) and its end stays within two seconds of the
// logged second: a hostile field never moves a request elsewhere in time.
// (The fields are read from the line by parser/internal/accesslog.)
func FuzzRequestSpan(f *testing.F) {
	f.Add(int64(812*time.Millisecond), int64(195*time.Millisecond), true, "msec")
	f.Add(int64(0), int64(465089*time.Microsecond), true, "")
	f.Add(int64(566830679), int64(-5), true, "container-log time")
	f.Add(int64(-3*time.Second), int64(1<<62), true, "msec")
	logged := time.Date(2026, 12, 3, 8, 15, 8, 0, time.UTC)
	f.Fuzz(func(t *testing.T, endAfter, dur int64, hasDur bool, endBy string) {
		ev := &parser.Event{Kind: parser.KindHTTP, Time: logged, Source: parser.FormatAccessLog, HTTP: &parser.HTTPRequest{
			EndAfter: time.Duration(endAfter), EndBy: endBy, Duration: time.Duration(dur), HasDuration: hasDur}}
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
