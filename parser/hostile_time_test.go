package parser

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHostileTimes: a line dated past the year 9999 in UTC (an offset
// carries "9999-12-31T23:59:59" over; an audit header allows 12 digits of
// seconds) made the JSON report fail as a whole, and one of the year 9999
// a span past what a time.Duration holds. Events dated before 1970 or
// after 2242 are dropped as malformed with file:line; every event read
// can be written as JSON.
func TestHostileTimes(t *testing.T) {
	falco := func(ts string) string {
		return `{"rule":"r","priority":"Notice","output":"o","time":"` + ts + `","output_fields":{"proc.pid":7}}`
	}
	for _, c := range []struct {
		name, log string
		events    int
	}{
		{"falco past 9999 by its offset", falco("9999-12-31T23:59:59-23:59") + "\n" + falco("2026-03-14T10:20:31Z"), 1},
		{"falco before year 0 by its offset", falco("0000-01-01T00:00:00+01:00") + "\n" + falco("2026-03-14T10:20:31Z"), 1},
		{"falco in the year 9999", falco("9999-12-31T23:59:59Z") + "\n" + falco("2026-03-14T10:20:31Z"), 1},
		{"access line in the year 9999", `6.6.6.6 - - [31/Dec/9999:23:59:59 +0000] "GET /b HTTP/1.1" 200 5 "-" "x"` + "\n" +
			`6.6.6.6 - - [25/Nov/2026:20:16:14 +0000] "GET /a HTTP/1.1" 200 5 "-" "x"`, 1},
		{"falco before 1970", falco("1969-12-31T23:59:59Z") + "\n" + falco("2026-03-14T10:20:31Z"), 1},
		{"audit seconds past 2242", "type=SYSCALL msg=audit(999999999999.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=5 auid=0 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\"\n" +
			"type=EOE msg=audit(999999999999.000:1): \n" +
			"type=SYSCALL msg=audit(1795641375.000:2): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=6 auid=0 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\"\n" +
			"type=EOE msg=audit(1795641375.000:2): \n", 1},
		{"audit year 9999", "type=SYSCALL msg=audit(253402300799.000:1): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=5 auid=0 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\"\n", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ins, _ := Resolve([]string{"-"}, strings.NewReader(c.log))
			r := NewReader(ins, Options{})
			var evs []*Event
			if err := r.All(func(e *Event) { evs = append(evs, e) }); err != nil {
				t.Fatal(err)
			}
			if len(evs) != c.events {
				t.Errorf("%d events, want %d", len(evs), c.events)
			}
			for _, e := range evs {
				if _, err := json.Marshal(e.Time); err != nil {
					t.Errorf("event time %v cannot be written: %v", e.Time, err)
				}
			}
			if ins[0].Malformed == 0 || ins[0].Errors.Total == 0 {
				t.Errorf("the bad time is not reported: malformed %d", ins[0].Malformed)
			}
		})
	}
}
