package timeline

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A request can only cause a process that starts while the request is
// being served: between its start and its end. Access logs write a line
// when a request ends, so the logged time is the end, and the start is the
// end less the request's duration when the log records one (nginx
// $request_time, Apache %D, a JSON duration). The parser keeps the logged
// second; the finer times are read here from the line itself (requests are
// kept with their text, see Builder.Observe):
//   - nginx `msec=1796285708.812` ($msec: the end, to the millisecond),
//     `rt=0.195` / `request_time=0.195` ($request_time, seconds),
//     Apache `D=1234` / `us=1234` (%D, microseconds), `duration_ms=`;
//   - JSON logs: msec, request_time, duration (seconds), duration_ms, D;
//   - a container log's wrapper time (Docker json-file "time", CRI's first
//     field): nanoseconds, stamped by the runtime as it read the line, a
//     moment after the request ended.
// Without a duration the start is unknown: the request is assumed to have
// lasted at most Options.RequestWindow (documented bound, said in the
// link's basis). A request held open longer (a reverse shell started by a
// web shell: nginx logs it as 499 when the client gives up) is then found
// only by its parameters in the command line.

// reqSpan is what an access line tells of when its request was served.
type reqSpan struct {
	start, end time.Time
	// endExact: the end is known below the second (msec, a wrapper time);
	// else end is the last instant of the logged second.
	endExact bool
	// durKnown: the log recorded the duration, so start is exact (to the
	// end's precision); else start is end − the documented bound.
	durKnown bool
	endBasis string // "msec", "container-log time", "logged second"
}

// requestSpanOf returns the span of request r, assuming bound when the log
// has no duration.
func requestSpanOf(r *parser.Event, bound time.Duration) reqSpan {
	s := reqSpan{end: r.Time.Truncate(time.Second).Add(time.Second - time.Nanosecond), endBasis: "logged second"}
	raw := r.FirstEvidence().Raw
	line := raw
	switch r.Source {
	case parser.FormatDockerJSON:
		var w struct {
			Log  string `json:"log"`
			Time string `json:"time"`
		}
		if json.Unmarshal([]byte(firstLine(raw)), &w) == nil {
			line = w.Log
			if t, err := time.Parse(time.RFC3339Nano, w.Time); err == nil && closeTo(t, r.Time) {
				s.end, s.endExact, s.endBasis = t.UTC(), true, "container-log time"
			}
		}
	case parser.FormatCRI:
		ts, rest, _ := strings.Cut(firstLine(raw), " ")
		if t, err := time.Parse(time.RFC3339Nano, ts); err == nil && closeTo(t, r.Time) {
			s.end, s.endExact, s.endBasis = t.UTC(), true, "container-log time"
		}
		// "stdout F <line>"
		if f := strings.SplitN(rest, " ", 3); len(f) == 3 {
			line = f[2]
		}
	}
	end, dur, okEnd, okDur := lineTimes(line)
	switch {
	case !okEnd:
	case strings.HasPrefix(strings.TrimSpace(line), "{"):
		// a JSON line's own time may be this very field: use it only
		// when the event's time is it (no --clock-skew applied)
		if d := end.Sub(r.Time); d > -time.Millisecond && d < time.Millisecond {
			s.end, s.endExact, s.endBasis = r.Time, true, "msec"
		}
	default:
		// a combined line's [time] is $msec to the second: the event's
		// time (shifted by --clock-skew, if any) plus msec's fraction
		s.end, s.endExact, s.endBasis = r.Time.Add(end.Sub(end.Truncate(time.Second))), true, "msec"
	}
	if okDur && dur >= 0 {
		s.start, s.durKnown = s.end.Add(-dur), true
		if !s.endExact {
			// the end is somewhere in the logged second
			s.start = s.end.Add(-time.Second + time.Nanosecond).Add(-dur)
		}
		return s
	}
	s.start = s.end.Add(-bound)
	if !s.endExact {
		s.start = s.start.Add(-time.Second + time.Nanosecond)
	}
	return s
}

// closeTo keeps a finer time only when it agrees with the logged second:
// a field of another meaning (a start time, a wrapper of a skewed clock)
// must not move the request.
func closeTo(fine, logged time.Time) bool {
	d := fine.Sub(logged.Truncate(time.Second))
	return d > -2*time.Second && d < 2*time.Second
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// lineTimes reads the end time and the duration an access line carries,
// as key=value tokens after the combined format's fields or as JSON keys.
func lineTimes(line string) (end time.Time, dur time.Duration, okEnd, okDur bool) {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			return
		}
		for k, v := range m {
			s := strings.TrimSpace(jsonNumber(v))
			if s != "" {
				end, dur, okEnd, okDur = timeField(strings.ToLower(k), s, end, dur, okEnd, okDur)
			}
		}
		return
	}
	// only the tail after the last quote: the request line and the user
	// agent are the client's and may hold "rt=…" themselves
	if i := strings.LastIndexByte(line, '"'); i >= 0 {
		line = line[i+1:]
	}
	for _, tok := range strings.Fields(line) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			k, v, ok = strings.Cut(tok, ":")
		}
		if ok {
			end, dur, okEnd, okDur = timeField(strings.ToLower(k), strings.Trim(v, `"`), end, dur, okEnd, okDur)
		}
	}
	return
}

func jsonNumber(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// timeField interprets one named field; unknown names change nothing.
func timeField(k, v string, end time.Time, dur time.Duration, okEnd, okDur bool) (time.Time, time.Duration, bool, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0) || f > 1e12 { // also NaN; beyond 1e12 is no time of ours
		return end, dur, okEnd, okDur
	}
	unit := time.Duration(0)
	switch k {
	case "msec":
		sec := int64(f)
		ms := int64((f-float64(sec))*1000 + 0.5)
		return time.Unix(sec, ms*int64(time.Millisecond)).UTC(), dur, true, okDur
	case "rt", "request_time", "duration", "rtime", "took":
		unit = time.Second
	case "duration_ms", "request_time_ms", "rt_ms":
		unit = time.Millisecond
	case "d", "us", "duration_us", "request_time_us":
		unit = time.Microsecond
	default:
		return end, dur, okEnd, okDur
	}
	// a duration beyond maxRequestLife is not believed (a hostile or
	// mislabelled field must not make a request span the whole capture)
	if ns := f * float64(unit); ns <= float64(maxRequestLife) {
		return end, time.Duration(ns), okEnd, true
	}
	return end, dur, okEnd, okDur
}

// maxRequestLife bounds a duration read from an access line.
const maxRequestLife = 24 * time.Hour

// What decided a request link (RequestLink.Basis), strongest first.
const (
	BasisParameter = "parameter-in-argv" // a request parameter is in the command line (observed)
	BasisPutPath   = "put-to-path"       // an upload PUT to the written file's own path (observed)
	BasisOnly      = "only-in-flight"    // the only script request being served when the process started (inferred)
	BasisRoute     = "route-history"     // of the requests in flight, the only one to a route seen causing this command alone (inferred)
	BasisAmbiguous = "ambiguous"         // several requests fit equally: none is named
)

// requestTimeNotes says what the access logs tell of a request's life,
// since every request → process link rests on it.
func (b *Builder) requestTimeNotes() []string {
	if len(b.requests) == 0 {
		return nil
	}
	noDur, coarse := 0, 0
	for _, r := range b.requests {
		s := requestSpanOf(r, b.opts.RequestWindow)
		if !s.durKnown {
			noDur++
		}
		if !s.endExact {
			coarse++
		}
	}
	var notes []string
	if noDur > 0 {
		notes = append(notes, fmt.Sprintf("requests: %d of %d access lines carry no request duration (nginx $request_time, Apache %%D, a JSON duration): such a request is assumed to have lasted at most %s when it is tied to a process by time; a longer one (a web shell holding its request open) is found only by its parameters in the command line",
			noDur, len(b.requests), b.opts.RequestWindow))
	}
	if coarse > 0 {
		notes = append(notes, fmt.Sprintf("requests: %d of %d access lines give their end only to the second (no $msec, no container-log time)", coarse, len(b.requests)))
	}
	return notes
}
