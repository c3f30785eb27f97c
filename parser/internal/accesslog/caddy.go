package accesslog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Caddy v2's access log (the `log` directive; `format json`, the default
// when the output is not a terminal) writes one JSON object per request,
// with the request itself as a nested object
// (https://caddyserver.com/docs/logging, an example entry;
// https://caddyserver.com/docs/caddyfile/directives/log, the encoder
// options):
//
//	{"level":"info","ts":1646861401.5241024,"logger":"http.log.access.log0",
//	 "msg":"handled request","request":{"remote_ip":"127.0.0.1",
//	 "remote_port":"41342","client_ip":"127.0.0.1","proto":"HTTP/2.0",
//	 "method":"GET","host":"localhost","uri":"/?q=1","headers":{
//	 "User-Agent":["curl/7.82.0"]},"tls":{…}},"bytes_read":0,"user_id":"",
//	 "duration":0.000929675,"size":10900,"status":200,"resp_headers":{…}}
//
// ts is when the entry was written: Caddy logs a request from a deferred
// call once its handlers returned (modules/caddyhttp/server.go,
// logRequest), so it is the request's end, and duration (measured from the
// request's start to the same point) its life. Both come to the sub-second.
//
// The encoder can be told other forms (time_format, duration_format):
//   - ts: unix_seconds_float (default), unix_milli_float, unix_nano —
//     told apart by magnitude — or text: iso8601, rfc3339(_nano), wall
//     (_milli/_nano), common_log. The wall forms carry no zone: UTC, as
//     Caddy writes them unless time_local is set (then --clock-skew).
//   - duration: seconds (default, a float), nano (an integer), string (a
//     Go duration, "6.31ms"). A measured duration in seconds is never a
//     whole number in practice (it has nanosecond resolution), so an
//     integer is nanoseconds. Caddy's undocumented "ms" form (a float of
//     milliseconds) cannot be told from seconds and is read as seconds.
//
// Records of Caddy's other HTTP loggers (http.log.error.*: the same
// request again, with the error) are not access records.

// caddyRequest returns the nested request object of a Caddy access record.
func caddyRequest(m map[string]any) (map[string]any, bool) {
	req, ok := m["request"].(map[string]any)
	return req, ok
}

// caddyLoggerErr says why a record of a Caddy logger is not an access
// record, or nil.
func caddyLoggerErr(m map[string]any) error {
	name, _ := m["logger"].(string)
	if strings.HasPrefix(name, "http.log.") && !strings.HasPrefix(name, "http.log.access") {
		return fmt.Errorf("%w: Caddy %q record (the request's error, not its access line)", errNotAccess, name)
	}
	return nil
}

// parseCaddy parses a Caddy access record (isJSONAccess has accepted m
// and caddyRequest has found its request).
func parseCaddy(m, req map[string]any) (Record, error) {
	var r Record
	if err := caddyLoggerErr(m); err != nil {
		return r, err
	}
	str := func(obj map[string]any, k string) string {
		s, _ := obj[k].(string)
		return s
	}
	// client_ip is who Caddy judged the client to be (remote_ip unless
	// the peer is a trusted proxy); older versions lack it
	r.Req.Client = str(req, "client_ip")
	if r.Req.Client == "" {
		r.Req.Client = str(req, "remote_ip")
	}
	// remote_port is the peer's: the client's own when Caddy took the
	// client to be the peer
	if r.Req.Client == str(req, "remote_ip") {
		r.Req.ClientPort = portNumber(str(req, "remote_port"))
	}
	r.Req.Method = str(req, "method")
	r.Req.Proto = str(req, "proto")
	r.Req.VHost = str(req, "host")
	// uri is the request target as sent (RequestURI): path and query
	r.Req.Path, r.Req.Query, _ = strings.Cut(str(req, "uri"), "?")
	if h, ok := req["headers"].(map[string]any); ok {
		r.Req.UserAgent = firstHeader(h, "User-Agent")
		r.Req.Referer = firstHeader(h, "Referer")
	}
	r.User = str(m, "user_id")

	var err error
	if v, ok := m["status"]; ok {
		n, isInt := jsonrec.AnyInt(v)
		if !isInt || n < 0 || n > 999 {
			return r, fmt.Errorf("%w: bad Caddy status %s", errNotAccess, shortJSON(v))
		}
		r.Req.Status = int(n)
	}
	if n, ok := jsonrec.AnyInt(m["size"]); ok && n >= 0 {
		r.Req.Bytes = n
	}

	ts, key := m["ts"], "ts"
	if ts == nil { // a renamed time_key: the usual names
		for _, k := range jsonTimeKeys {
			if v, ok := m[k]; ok {
				ts, key = v, k
				break
			}
		}
	}
	if ts != nil {
		var fine bool
		if r.Time, fine, err = caddyTime(ts); err != nil {
			return r, fmt.Errorf("%w: bad Caddy %s %s: %v", errNotAccess, key, shortJSON(ts), err)
		}
		if fine {
			// the end to the sub-second: the logged time is it
			r.Req.EndBy = "Caddy ts"
		}
	}
	if v, ok := m["duration"]; ok {
		d, err := caddyDuration(v)
		if err != nil {
			return r, fmt.Errorf("%w: bad Caddy duration %s: %v", errNotAccess, shortJSON(v), err)
		}
		if d <= maxRequestLife {
			r.Req.Duration, r.Req.HasDuration = d, true
		}
	}
	return r, nil
}

// firstHeader returns the first value of a header Caddy logged (an array
// of strings under its canonical name).
func firstHeader(h map[string]any, name string) string {
	switch v := h[name].(type) {
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	case string:
		return v
	}
	return ""
}

// caddyTimeLayouts are the text forms of Caddy's time_format.
var caddyTimeLayouts = []string{
	time.RFC3339Nano,                      // rfc3339, rfc3339_nano
	"2006-01-02T15:04:05.000Z0700",        // iso8601 (zap's)
	"2006/01/02 15:04:05.999999999",       // wall, wall_milli, wall_nano (UTC)
	clfTimeLayout,                         // common_log
	"2006-01-02T15:04:05.999999999Z0700",  // iso8601 of other precisions
	"2006-01-02 15:04:05.999999999Z07:00", // a hand-made layout
}

// caddyTime reads ts; fine says it has sub-second digits.
func caddyTime(v any) (t time.Time, fine bool, err error) {
	switch x := v.(type) {
	case json.Number:
		return epochTime(string(x))
	case string:
		s := strings.TrimSpace(x)
		for _, l := range caddyTimeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC(), strings.Contains(s, "."), nil
			}
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return epochTime(s)
		}
		return time.Time{}, false, errors.New("unknown time format")
	}
	return time.Time{}, false, errors.New("not a number or a string")
}

// epochTime reads an epoch number in seconds (a float), milliseconds (a
// float) or nanoseconds (an integer), told apart by magnitude; the text is
// read exactly, not through a float64 (which keeps only ~0.2 µs).
func epochTime(s string) (time.Time, bool, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false, errors.New("not a number")
	}
	if f <= 0 {
		return time.Time{}, false, errors.New("not after 1970")
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	switch {
	case f < 1e11: // seconds: to year 5138
		t, err := parseLooseTime(s)
		if err != nil { // an exponent, or more than 9 decimals
			sec, fr := math.Modf(f)
			t = time.Unix(int64(sec), int64(fr*1e9)).UTC()
		}
		return t, hasFrac, nil
	case f < 1e14: // milliseconds
		ms, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil {
			ms = int64(f)
		}
		var ns int64
		if hasFrac && len(frac) > 0 {
			if len(frac) > 6 {
				frac = frac[:6]
			}
			n, err := strconv.ParseInt(frac, 10, 64)
			if err == nil {
				for i := len(frac); i < 6; i++ {
					n *= 10
				}
				ns = n
			}
		}
		return time.UnixMilli(ms).Add(time.Duration(ns)).UTC(), true, nil
	case f < 9e18: // nanoseconds
		n, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil {
			n = int64(f)
		}
		return time.Unix(0, n).UTC(), true, nil
	}
	return time.Time{}, false, errors.New("beyond any time of ours")
}

// caddyDuration reads duration: seconds (a float), nanoseconds (an
// integer) or a Go duration string; never negative.
func caddyDuration(v any) (time.Duration, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
		if d, err := time.ParseDuration(s); err == nil && strings.IndexFunc(s, isUnitLetter) >= 0 {
			if d < 0 {
				return 0, errors.New("negative")
			}
			return d, nil
		}
	default:
		return 0, errors.New("not a number or a string")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("not a number")
	}
	if f < 0 {
		return 0, errors.New("negative")
	}
	if strings.ContainsAny(s, ".eE") {
		if f > float64(maxRequestLife/time.Second) {
			return maxRequestLife + 1, nil // not believed (caller's bound)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	if f > float64(maxRequestLife) {
		return maxRequestLife + 1, nil
	}
	return time.Duration(f), nil // duration_format nano
}

func isUnitLetter(r rune) bool { return r >= 'a' && r <= 'z' || r == 'µ' || r == 'μ' }

// shortJSON renders a field's value for an error message, cut short: the
// value is attacker-influenced and must not flood the report.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// Caddy's `format console` (the default when the output is a terminal,
// and on request) writes the same entry as zap's console encoder does:
// time, level (ANSI-coloured by default), logger and message separated
// by tabs, then the fields as one JSON object
// (https://caddyserver.com/docs/caddyfile/directives/log, "console"):
//
//	2026/12/05 03:12:02.812	INFO	http.log.access.log0	handled request	{"request": {…}, "bytes_read": 0, "user_id": "", "duration": 0.0009, "size": 10900, "status": 200, "resp_headers": {…}}
//
// The time is wall_milli by default: UTC unless time_local was set.
var caddyConsoleLogger = []byte("\thttp.log.")

// looksCaddyConsole is a cheap test for a console line of Caddy's HTTP
// loggers.
func looksCaddyConsole(line []byte) bool {
	i := bytes.Index(line, caddyConsoleLogger)
	return i > 0 && bytes.Contains(line[i:], []byte("\t{"))
}

// parseCaddyConsole parses a console line of Caddy's access logger.
func parseCaddyConsole(line []byte) (Record, error) {
	var r Record
	j := bytes.Index(line, []byte("\t{"))
	head := strings.Split(string(line[:j]), "\t")
	if len(head) < 4 {
		return r, fmt.Errorf("%w: Caddy console line without time, level, logger and message", errNotAccess)
	}
	logger := head[2]
	if !strings.HasPrefix(logger, "http.log.access") {
		if strings.HasPrefix(logger, "http.log.") {
			return r, fmt.Errorf("%w: Caddy %q record (the request's error, not its access line)", errNotAccess, clip(logger))
		}
		return r, fmt.Errorf("%w: Caddy console line of logger %q", errNotAccess, clip(logger))
	}
	m, err := jsonrec.Decode(line[j+1:])
	if err != nil {
		return r, fmt.Errorf("%w: Caddy console fields: %v", errNotAccess, err)
	}
	req, ok := caddyRequest(m)
	if !ok {
		return r, fmt.Errorf("%w: Caddy console line without a request object", errNotAccess)
	}
	if _, ok := m["status"]; !ok {
		return r, fmt.Errorf("%w: Caddy console line without a status", errNotAccess)
	}
	m["ts"], m["logger"] = head[0], logger
	return parseCaddy(m, req)
}

// Aside reports whether line is one of Caddy's own entries (zap's JSON:
// level, ts and msg, no request), which share a file with its access
// records when Caddy's stderr is kept (`caddy run > caddy.log 2>&1`, the
// default output of the log directive): they say nothing of the file's
// format either way. They are not records: read, they are counted as
// skipped with file and line.
func Aside(line []byte) bool {
	if len(line) == 0 || line[0] != '{' || !bytes.Contains(line, []byte(`"msg"`)) {
		return false
	}
	m, err := jsonrec.Decode(line)
	if err != nil {
		return false
	}
	_, hasReq := m["request"]
	_, hasTs := m["ts"]
	level, _ := m["level"].(string)
	_, msg := m["msg"].(string)
	return !hasReq && hasTs && level != "" && msg
}
