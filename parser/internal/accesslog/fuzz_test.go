package accesslog

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkRecord asserts what every parsed access line promises.
func checkRecord(t *testing.T, line string, r Record) {
	t.Helper()
	if r.Req.Status < 0 || r.Req.Status > 999 || r.Req.Bytes < 0 || r.Time.Location() != time.UTC {
		t.Errorf("Parse(%q) = %+v at %v", line, r.Req, r.Time)
	}
	if r.Req.Duration < 0 || r.Req.Duration > maxRequestLife || r.Req.EndAfter <= -2*time.Second || r.Req.EndAfter >= 2*time.Second {
		t.Errorf("Parse(%q): duration %s, end %s after the logged time", line, r.Req.Duration, r.Req.EndAfter)
	}
}

// FuzzCaddy builds a Caddy access record from fuzzed fields the way
// Caddy's JSON encoder writes it, and parses it back: the request must
// come back as written, ts as its time (to the text's precision), and
// duration in the unit its form names. A raw line is parsed too.
func FuzzCaddy(f *testing.F) {
	f.Add("GET", "/?q=1", "curl/8.5.0", "1796440322.8123457", "0.000929675", 200, []byte(`{"ts":1,"request":{},"status":200}`))
	f.Add("POST", "/a b?c=d e", "\x00\"\\", "1796440322812.345", "929675", 0, []byte(`{"ts":"2026/12/05 03:12:02","request":{"uri":7},"status":"x"}`))
	f.Add("", "", "", "2026-12-05T03:12:02.5+01:00", "6.31ms", 999, []byte(`{"ts":-1,"request":{"headers":{"User-Agent":[1,"a"]}},"duration":"-5s","status":1e3}`))
	f.Add("GET", "/", "", "1", "1", 200, []byte("2026/12/05 03:12:02.812\t\x1b[34mINFO\x1b[0m\thttp.log.access.log0\thandled request\t{\"request\": {\"uri\": \"/a?b\"}, \"duration\": 0.5, \"status\": 200}"))
	f.Fuzz(func(t *testing.T, method, uri, ua, ts, dur string, status int, raw []byte) {
		if r, err := Parse(raw); err == nil {
			checkRecord(t, string(raw), r)
		}
		Sniff(raw)

		rec := map[string]any{
			"level": "info", "logger": "http.log.access.log0", "msg": "handled request",
			"request": map[string]any{"remote_ip": "127.0.0.1", "method": method, "uri": uri, "headers": map[string]any{"User-Agent": []string{ua}}},
			"status":  status,
		}
		if _, err := strconv.ParseFloat(ts, 64); err == nil {
			rec["ts"] = json.Number(ts)
		} else {
			rec["ts"] = ts
		}
		if _, err := strconv.ParseFloat(dur, 64); err == nil {
			rec["duration"] = json.Number(dur)
		} else {
			rec["duration"] = dur
		}
		line, err := json.Marshal(rec)
		if err != nil {
			return // a json.Number that is no JSON number
		}
		r, err := Parse(line)
		if err != nil {
			return // a bad ts, duration or status: refused, not misread
		}
		checkRecord(t, string(line), r)
		if status < 0 || status > 999 {
			t.Fatalf("status %d accepted: %+v", status, r.Req)
		}
		// encoding/json replaces invalid UTF-8: compare with what it wrote
		var back struct {
			Request struct {
				Method, URI string
				Headers     map[string][]string
			}
		}
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatal(err)
		}
		path, query, _ := strings.Cut(back.Request.URI, "?")
		if r.Req.Method != back.Request.Method || r.Req.Path != path || r.Req.Query != query || r.Req.UserAgent != back.Request.Headers["User-Agent"][0] {
			t.Errorf("%s: read back as %+v", line, r.Req)
		}
		if r.Time.IsZero() {
			t.Errorf("%s: accepted without a time", line)
		}
		if n, ok := rec["ts"].(json.Number); ok && !strings.ContainsAny(string(n), "eE") {
			if f, _ := strconv.ParseFloat(string(n), 64); f < 1e11 {
				want, _ := parseLooseTime(string(n))
				if !want.IsZero() && !r.Time.Equal(want) {
					t.Errorf("ts %s read as %v, want %v", n, r.Time, want)
				}
			}
		}
	})
}

// FuzzUWSGI writes a uWSGI request line from fuzzed fields with the format
// of core/logging.c and parses it back: whatever the client put in the
// URI (even the tail's own words), the request, status, size, start time
// and duration must come back as written.
func FuzzUWSGI(f *testing.F) {
	f.Add("127.0.0.1", "", "GET", "/?q=1", int64(1796440322), uint64(12), uint64(3), false, uint16(200), true)
	f.Add("::1", "admin", "POST", "/x => generated 1 bytes in 2 msecs (HTTP/1.1 200) 2 headers", int64(0), uint64(0), uint64(45123), true, uint16(0), false)
	f.Add("a", "b", "-", "-", int64(253402300799), uint64(1<<63), uint64(1<<40), false, uint16(999), true)
	f.Fuzz(func(t *testing.T, addr, user, method, uri string, sec int64, size, rt uint64, micros bool, status uint16, sendfile bool) {
		if addr == "" || strings.ContainsAny(addr, " ()\n\r\"") || strings.Contains(user, ") {") || strings.ContainsAny(user, "\n\r") ||
			method == "" || strings.ContainsAny(method, " \n\r") || strings.ContainsAny(uri, "\n\r") ||
			sec < 0 || sec > 253402300799 || status > 999 || size > 1<<63-1 {
			return
		}
		start := time.Unix(sec, 0).UTC()
		unit, per := "msecs", time.Millisecond
		if micros {
			unit, per = "micros", time.Microsecond
		}
		via := " "
		if sendfile {
			via = " via sendfile() "
		}
		line := fmt.Sprintf("[pid: 1234|app: 0|req: 1/1] %s (%s) {34 vars in 402 bytes} [%s] %s %s => generated %d bytes in %d %s%s(HTTP/1.1 %d) 2 headers in 79 bytes (1 switches on core 0)",
			addr, user, start.Format(uwsgiTimeLayout), method, uri, size, rt, unit, via, status)
		r, err := Parse([]byte(line))
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		checkRecord(t, line, r)
		path, query, _ := strings.Cut(uri, "?")
		if uri == "-" {
			path, query = "", ""
		}
		if method == "-" {
			method = ""
		}
		// Parse trims the line's trailing space, which only the URI can
		// end with when nothing follows it: never here
		if r.Req.Client != addr || r.User != user || r.Req.Method != method || r.Req.Path != path || r.Req.Query != query ||
			r.Req.Status != int(status) || r.Req.Bytes != int64(size) || r.Req.Proto != "HTTP/1.1" || !r.Req.ReceiveTime || !r.Time.Equal(start) {
			t.Errorf("%q: read back as %+v user %q at %v", line, r.Req, r.User, r.Time)
		}
		if wantDur := rt <= uint64(maxRequestLife/per); r.Req.HasDuration != wantDur || wantDur && r.Req.Duration != time.Duration(rt)*per {
			t.Errorf("%q: duration %v (has %v)", line, r.Req.Duration, r.Req.HasDuration)
		}
	})
}
