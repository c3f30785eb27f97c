package timeline

import (
	"testing"
	"time"
)

// TestPairRuns (rule 5d): a route whose requests and a command's runs are
// as many, every request holding a run and every run inside a request,
// ran the command once per request; ordered in time they pair one to one,
// and a run that can pair with only one request in every such pairing is
// that request's (benign-tomcat: the health check every 1.5 s in a log to
// the second with no duration, two of its requests in flight at each df).
// A run that two pairings place differently, or counts that differ, decide
// nothing.
func TestPairRuns(t *testing.T) {
	base := time.Date(2026, 12, 3, 15, 48, 0, 0, time.UTC)
	at := func(s float64) time.Time { return base.Add(time.Duration(s * float64(time.Second))) }
	// a request logged at second sec, no duration: [sec−2 s, sec+1 s)
	logged := func(secs ...float64) []reqSpan {
		var out []reqSpan
		for _, s := range secs {
			out = append(out, reqSpan{start: at(s - 2), end: at(s + 1).Add(-time.Nanosecond)})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		runs []float64
		reqs []reqSpan
		want []int // per run: its request, -1 for none
	}{
		{name: "in flight with the next one: the pairing decides", runs: []float64{42.794, 44.346, 45.99}, reqs: logged(42, 44, 45), want: []int{0, 1, 2}},
		{name: "two runs inside both of two requests", runs: []float64{43.1, 43.5}, reqs: logged(43, 44), want: []int{-1, -1}},
		{name: "a request more than runs", runs: []float64{42.794, 44.346}, reqs: logged(42, 44, 45), want: []int{-1, -1}},
		{name: "a run outside every request", runs: []float64{42.794, 50}, reqs: logged(42, 44), want: []int{-1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var runs []time.Time
			for _, r := range tc.runs {
				runs = append(runs, at(r))
			}
			for j := range runs {
				got, ok := pairedRequest(runs, tc.reqs, j)
				if !ok {
					got = -1
				}
				if got != tc.want[j] {
					t.Errorf("run %d at %.3f: paired with %d, want %d", j, tc.runs[j], got, tc.want[j])
				}
			}
		})
	}
}
