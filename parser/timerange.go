package parser

import (
	"fmt"
	"time"
)

// Times a log can carry are bounded where its text is read: a sensor's
// "9999-12-31T23:59:59-23:59" is the year 10000 in UTC, and one such event
// made the JSON report fail as a whole (time.Time cannot be written past
// 9999), so a single hostile line stopped the report of a whole case.
// An event dated outside the years 0–9999 is dropped as malformed, with
// file:line; auditd headers have a tighter bound of their own (the year
// 2242, as the order pass reads them).
var (
	minEventTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxEventTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// timeInRange reports whether t can stand in a report.
func timeInRange(t time.Time) bool {
	return !t.Before(minEventTime) && !t.After(maxEventTime)
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
		in.Errors.Add(newError(pos, raw, fmt.Errorf("%w: time outside the years 0–9999 (%d), event not read", ErrField, ev.Time.Year())))
	}
	clear(evs[len(kept):])
	return kept
}
