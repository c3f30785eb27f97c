package parser

import (
	"fmt"
	"time"
)

// Times a log can carry are bounded where its text is read: a sensor's
// "9999-12-31T23:59:59-23:59" is the year 10000 in UTC, and one such event
// made the JSON report fail as a whole (time.Time cannot be written past
// 9999), so a single hostile line stopped the report of a whole case; an
// access line of the year 9999 made the report's span 292 years, the most
// a time.Duration holds. An event dated before 1970 or after 2242-03-16
// (2^33 seconds, the bound of auditd headers) is dropped as malformed,
// with file:line: no log writes such times, and within them every
// difference of two times is exact. The zero time (no time known) passes.
var (
	minEventTime = time.Unix(0, 0).UTC()
	maxEventTime = time.Unix(1<<33, 999999999).UTC()
)

// timeInRange reports whether t can stand in a report.
func timeInRange(t time.Time) bool {
	return t.IsZero() || !t.Before(minEventTime) && !t.After(maxEventTime)
}

// dropOutOfRange removes from evs the events dated outside timeInRange,
// counting each as malformed in in, and returns what is left.
func dropOutOfRange(in *Input, evs []*Event) []*Event {
	kept := evs[:0]
	for _, ev := range evs {
		if timeInRange(ev.Time) {
			kept = append(kept, ev)
			continue
		}
		var pos Pos
		var raw string
		if len(ev.Evidence) > 0 {
			pos, raw = ev.Evidence[0].Pos, ev.Evidence[0].Raw
		}
		in.Malformed++
		in.Errors.Add(newError(pos, raw, fmt.Errorf("%w: time %s outside 1970 to 2242, event not read", ErrField, ev.Time.Format(time.RFC3339))))
	}
	clear(evs[len(kept):])
	return kept
}
