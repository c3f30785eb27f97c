package accesslog

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"time"
)

// Access lines that Python's logging writes for ASGI and WSGI servers
// (uvicorn, hypercorn, gunicorn given a log config with %(asctime)s), and
// many hand-made formats of Go and Node services: the time first, then the
// client, the quoted request line and the status.
//
//	2026-12-05T12:19:18.633Z 127.0.0.1:36382 "GET /page/notice HTTP/1.1" 200 OK      (uvicorn, ISO time)
//	2026-12-05 12:19:18,633 INFO: 127.0.0.1:36382 - "GET / HTTP/1.1" 200 OK          (logging's default asctime, a level)
//	2026-12-05T12:19:18+00:00 10.0.0.7 - "POST /api/x HTTP/1.1" 201 512               (a size after the status)
//
// The time is when the line was written, as the logger sees it: the end of
// the request (uvicorn logs as the response starts). A time without a zone
// is read as UTC, as uWSGI's is. The client's port is kept apart
// (HTTPRequest.ClientPort): clients are told apart by address and user
// agent, a port is new on every connection, and it names that connection.

// timedLayouts are the time forms read at the start of a line, the most
// common first; a comma before the fraction (logging's asctime) is read
// as a point.
var timedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// looksTimed is a cheap test for a line that starts with a date
// (YYYY-MM-DD) and quotes something after it.
func looksTimed(line []byte) bool {
	if len(line) < 12 || line[4] != '-' || line[7] != '-' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return bytes.IndexByte(line, '"') > 0
}

// parseTimed parses a line of the shape above.
func parseTimed(line []byte) (Record, error) {
	var r Record
	q := bytes.IndexByte(line, '"')
	if q < 0 {
		return r, fmt.Errorf("%w: no quoted request line after the time", errNotAccess)
	}
	head := strings.Fields(string(line[:q]))
	if len(head) < 2 {
		return r, fmt.Errorf("%w: no client between the time and the request line", errNotAccess)
	}
	t, n, fine, ok := timedTime(head)
	if !ok {
		return r, fmt.Errorf("%w: %q is not a time", errNotAccess, clip(head[0]))
	}
	r.Time = t
	if fine {
		r.Req.EndBy = "logged time"
	}
	rest := head[n:]
	if len(rest) > 0 && isLevel(rest[0]) {
		rest = rest[1:]
	}
	if len(rest) == 0 || len(rest) > 3 {
		return r, fmt.Errorf("%w: expected a client address before the request line", errNotAccess)
	}
	client, port, ok := clientAddr(rest[0])
	if !ok {
		return r, fmt.Errorf("%w: %q is not a client address", errNotAccess, clip(rest[0]))
	}
	r.Req.Client, r.Req.ClientPort = client, port
	for _, f := range rest[1:] {
		if f != "-" {
			r.User = f
		}
	}
	cq := closingQuote(line, q+1)
	if cq < 0 {
		return r, fmt.Errorf("%w: unterminated request line", errNotAccess)
	}
	splitRequest(&r.Req, string(line[q+1:cq]))
	tail := bytes.Fields(line[cq+1:])
	if len(tail) == 0 {
		return r, fmt.Errorf("%w: no status after the request line", errNotAccess)
	}
	if len(tail[0]) != 3 {
		return r, fmt.Errorf("%w: bad status %q", errNotAccess, clip(string(tail[0])))
	}
	st, err := parseStatus(tail[0])
	if err != nil {
		return r, err
	}
	r.Req.Status = st
	if len(tail) > 1 {
		if n, ok := parseSize(tail[1]); ok && !isDash(tail[1]) {
			r.Req.Bytes = n
		}
	}
	return r, nil
}

// timedTime reads the time at the start of head: one field (ISO 8601) or
// two (date and clock). It returns the time, the fields used, and whether
// it has sub-second digits.
func timedTime(head []string) (time.Time, int, bool, bool) {
	for n := 1; n <= 2 && n <= len(head); n++ {
		s := strings.Join(head[:n], " ")
		s = strings.Replace(s, ",", ".", 1)
		for _, l := range timedLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC(), n, strings.Contains(s, "."), true
			}
		}
	}
	return time.Time{}, 0, false, false
}

// isLevel reports whether f is a logging level as loggers write it
// ("INFO:", "INFO", "[info]").
func isLevel(f string) bool {
	f = strings.Trim(f, "[]:")
	switch strings.ToUpper(f) {
	case "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR":
		return true
	}
	return false
}

// clientAddr reads an address with or without a port ("127.0.0.1:36382",
// "[::1]:443", "::1") and returns it without the port, and the port (0
// when none, or one out of range).
func clientAddr(f string) (string, int, bool) {
	if ip := net.ParseIP(f); ip != nil {
		return f, 0, true
	}
	if h, port, err := net.SplitHostPort(f); err == nil && net.ParseIP(h) != nil && len(port) <= 5 && allDigits([]byte(port)) {
		return h, portNumber(port), true
	}
	return "", 0, false
}

// portNumber reads a TCP port: 1..65535 in digits, else 0.
func portNumber(s string) int {
	if s == "" || len(s) > 5 || !allDigits([]byte(s)) {
		return 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	if n < 1 || n > 65535 {
		return 0
	}
	return n
}
