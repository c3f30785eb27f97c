package timeline

import (
	"testing"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// FuzzRequestSpan: whatever the request's time fields say, its life is
// well formed (start ≤ end) and its end stays within two seconds of the
// logged second (or the request's bounded life after it, when the logged
// time is a receive time): a hostile field never moves a request elsewhere
// in time.
// (The fields are read from the line by parser/internal/accesslog.)
func FuzzRequestSpan(f *testing.F) {
	f.Add(int64(812*time.Millisecond), int64(195*time.Millisecond), true, "msec", uint8(0))
	f.Add(int64(0), int64(465089*time.Microsecond), true, "", uint8(1))
	f.Add(int64(566830679), int64(-5), true, "container-log time", uint8(2))
	f.Add(int64(-3*time.Second), int64(1<<62), true, "msec", uint8(1))
	logged := time.Date(2026, 12, 3, 8, 15, 8, 0, time.UTC)
	f.Fuzz(func(t *testing.T, endAfter, dur int64, hasDur bool, endBy string, at uint8) {
		ev := &parser.Event{Kind: parser.KindHTTP, Time: logged, Source: parser.FormatAccessLog, HTTP: &parser.HTTPRequest{
			EndAfter: time.Duration(endAfter), EndBy: endBy, Duration: time.Duration(dur), HasDuration: hasDur}}
		s := requestSpanOf(ev, 2*time.Second, loggedAt(at%3))
		if s.start.After(s.end) {
			t.Fatalf("start %s after end %s", s.start, s.end)
		}
		near := 2 * time.Second // an end time stays in its second, give or take the fine end
		if loggedAt(at%3) != loggedEnd {
			near += maxRequestLife // a receive time is followed by the request's life
		}
		if d := s.end.Sub(logged); d < -2*time.Second || d > near {
			t.Fatalf("end %s moved %s from the logged second", s.end, d)
		}
		if d := s.end.Sub(s.start); d > 2*maxRequestLife+2*time.Second {
			t.Fatalf("request lasts %s", d)
		}
	})
}
