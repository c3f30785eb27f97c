package accesslog

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// When a request was served (issue 14: a request can only cause a process
// that starts inside its life). A line is written when its request ends, so
// the logged time is the end; the start is the end less the duration when
// the log records one. Read once here into HTTPRequest.Duration and
// EndAfter/EndBy:
//   - named fields after the last quoted field of a combined line, or keys
//     of a JSON line: `msec=1796285708.812` (nginx $msec, the end to the
//     millisecond), `rt=` / `request_time=` / `duration=` (seconds),
//     `duration_ms=` (milliseconds), `D=` / `us=` (Apache %D, microseconds);
//     a value that names its unit is read in that unit, whatever the key
//     ("rt=12ms", as a uWSGI --log-format with `rt=%(msecs)ms` writes);
//   - `pid=` / `worker_pid=` in the same places names the worker that
//     served the request (uWSGI's %(pid)): HTTPRequest.WorkerPID;
//   - a bare duration: one final integer field right after the quoted user
//     agent, nothing after it, is %D in microseconds — lighttpd's default
//     accesslog.format with %D appended, Apache's
//     "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D".
//     The same place may hold Apache's %T (whole seconds): a value below
//     1000 could be either (3 µs or 3 s), so it is not read as a duration
//     here but kept as BareTail: the timeline reads it as microseconds when
//     other lines of the same file can only be (a value of 1000 or more).
//   - a bare decimal: a final field with a decimal point right after the
//     user agent is seconds — nginx's "combined" with $request_time
//     appended (milliseconds resolution, "0.158"), the usual way to add
//     the duration; a second such field ($upstream_response_time, or "-"
//     when no upstream answered) may follow it.
// A named time that disagrees with the logged time by 2 s or more is of
// another meaning (a start time, another clock) and is not used; a
// duration beyond maxRequestLife is not believed.

// maxRequestLife bounds a duration read from an access line: a hostile or
// mislabelled field must not make a request span the whole capture.
const maxRequestLife = 24 * time.Hour

// minBareDuration is the smallest bare trailing integer read as %D (µs).
const minBareDuration = 1000

// lineTimes fills r.Req's Duration and EndAfter from a combined line (line
// is the whole line, rest what follows the user agent, nQuoted the number
// of quoted fields read after the status).
func lineTimes(r *Record, line, rest []byte, nQuoted int) {
	// only the tail after the last quote: the request line and the user
	// agent are the client's and may hold "rt=…" themselves
	tail := line
	if i := bytes.LastIndexByte(line, '"'); i >= 0 {
		tail = line[i+1:]
	}
	var t fieldTimes
	for _, tok := range strings.Fields(string(tail)) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			k, v, ok = strings.Cut(tok, ":")
		}
		if ok {
			t.field(strings.ToLower(k), strings.Trim(v, `"`))
		}
	}
	if !t.hasDur && nQuoted == 2 {
		f := bytes.Fields(rest)
		if len(f) > 0 && isDecimal(f[0]) && (len(f) == 1 || len(f) == 2 && (isDecimal(f[1]) || string(f[1]) == "-")) {
			if v, err := strconv.ParseFloat(string(f[0]), 64); err == nil {
				t.setDur(v * float64(time.Second))
			}
		} else if len(f) == 1 && allDigits(f[0]) {
			if n, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil && n >= minBareDuration {
				t.setDur(float64(n) * float64(time.Microsecond))
			} else if err == nil {
				r.Req.BareTail, r.Req.HasBareTail = n, true // the file decides (see HTTPRequest.BareTail)
			}
		}
	}
	t.apply(r)
}

// jsonTimes fills r.Req's Duration and EndAfter from a JSON line's keys.
func jsonTimes(r *Record, m map[string]any) {
	var t fieldTimes
	for k, v := range m {
		if s := strings.TrimSpace(jsonrec.AnyString(v)); s != "" {
			t.field(strings.ToLower(k), s)
		}
	}
	t.apply(r)
}

// fieldTimes collects what named fields say.
type fieldTimes struct {
	end            time.Time
	dur            time.Duration
	hasEnd, hasDur bool
	pid            int // the serving worker's pid (pid=, worker_pid=)
}

// field interprets one named field; unknown names change nothing.
func (t *fieldTimes) field(k, v string) {
	switch k {
	case "pid", "worker_pid", "wpid":
		// the worker that served it: a positive pid of the kernel's range
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n <= 1<<22 {
			t.pid = n
		}
		return
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		// a value with its unit ("rt=12ms", uWSGI's %(msecs)ms; "0.2s"):
		// the unit it names, whatever the key's usual one
		if d, ok := unitDuration(v); ok && isDurationKey(k) {
			t.setDur(float64(d))
		}
		return
	}
	if !(f >= 0) || f > 1e12 { // also NaN; beyond 1e12 is no time of ours
		return
	}
	var unit time.Duration
	switch k {
	case "msec":
		sec := int64(f)
		ms := int64((f-float64(sec))*1000 + 0.5)
		t.end, t.hasEnd = time.Unix(sec, ms*int64(time.Millisecond)).UTC(), true
		return
	case "rt", "request_time", "duration", "rtime", "took":
		unit = time.Second
	case "duration_ms", "request_time_ms", "rt_ms", "ms", "elapsed_ms", "latency_ms", "took_ms", "response_time_ms":
		unit = time.Millisecond
	case "d", "us", "duration_us", "request_time_us":
		unit = time.Microsecond
	default:
		return
	}
	t.setDur(f * float64(unit))
}

// isDurationKey says whether field names a duration (field's keys).
func isDurationKey(k string) bool {
	switch k {
	case "rt", "request_time", "duration", "rtime", "took",
		"duration_ms", "request_time_ms", "rt_ms", "ms", "elapsed_ms", "latency_ms", "took_ms", "response_time_ms",
		"d", "us", "duration_us", "request_time_us":
		return true
	}
	return false
}

// unitDuration reads a non-negative number with a time unit: 12ms, 350us,
// 350µs, 0.2s, 1m2s (Go's forms).
func unitDuration(v string) (time.Duration, bool) {
	if v == "" || v[0] < '0' || v[0] > '9' {
		return 0, false
	}
	d, err := time.ParseDuration(v)
	return d, err == nil && d >= 0
}

func (t *fieldTimes) setDur(ns float64) {
	if ns <= float64(maxRequestLife) {
		t.dur, t.hasDur = time.Duration(ns), true
	}
}

func (t *fieldTimes) apply(r *Record) {
	r.Req.WorkerPID = t.pid
	if t.hasDur {
		r.Req.Duration, r.Req.HasDuration = t.dur, true
	}
	if t.hasEnd && !r.Time.IsZero() && closeTo(t.end, r.Time) {
		r.Req.EndAfter, r.Req.EndBy = t.end.Sub(r.Time), "msec"
	}
}

// closeTo keeps a finer time only when it agrees with the logged time
// (within 2 s): a field of another meaning (a start time, a wrapper of a
// skewed clock) must not move the request.
func closeTo(fine, logged time.Time) bool {
	d := fine.Sub(logged)
	return d > -2*time.Second && d < 2*time.Second
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// isDecimal reports whether b is digits, a point and digits ("0.158"):
// seconds, as nginx writes $request_time.
func isDecimal(b []byte) bool {
	i := bytes.IndexByte(b, '.')
	return i > 0 && i < len(b)-1 && allDigits(b[:i]) && allDigits(b[i+1:])
}
