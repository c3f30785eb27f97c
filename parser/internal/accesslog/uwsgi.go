package accesslog

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// uWSGI's request log, in its default form (no --log-format; the line of
// core/logging.c uwsgi_logit_simple, documented at
// https://uwsgi-docs.readthedocs.io/en/latest/LogFormat.html):
//
//	[pid: 1234|app: 0|req: 1/1] 127.0.0.1 () {34 vars in 402 bytes} [Sat Dec  5 03:12:02 2026] GET /path?q=1 => generated 12 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 79 bytes (1 switches on core 0)
//
// Between the parentheses after the address is the remote user; the time
// is ctime() of the request's START (start_of_request_in_sec), although the
// line is written when the request ends, so the duration ("in 3 msecs",
// "micros" under --log-micros; a sendfile/route/offload response adds
// "via sendfile() " before the protocol) runs forward from it. ctime() is
// the server's local time without a zone: it is read as UTC, the usual zone
// of servers and containers (--clock-skew moves it otherwise, and scan
// warns when the access and audit logs disagree). Optional prefixes: the
// request's host (uWSGI's vhost mode) and memory reports ("{address space usage: …} {rss usage: …} "). A line over
// 4 KiB is replaced by uWSGI with "0.0.0.0 () … [time] - - => …(- 200)".
//
// The URI is the client's text and may hold " => generated " itself: the
// tail is found from the end, where only uWSGI writes.

// uwsgiTail is what uWSGI writes after " => ": sizes, duration, protocol
// and status (then header and switch counts, not needed).
var uwsgiTail = regexp.MustCompile(`^generated (\d{1,19}) bytes in (\d{1,19}) (msecs|micros) (?:via [a-z]+\(\) )?\((\S*) (-?\d{1,9})\)`)

// uwsgiTimeLayout is ctime() without its newline.
const uwsgiTimeLayout = "Mon Jan _2 15:04:05 2006"

var (
	uwsgiPid  = []byte("[pid: ")
	uwsgiReq  = []byte("|req: ")
	uwsgiVars = []byte(" vars in ")
	// uwsgiMemReport opens a line of --memory-report: not JSON
	uwsgiMemReport = []byte("{address space usage: ")
)

// looksUWSGI tells a uWSGI request line from the others cheaply: "[pid: "
// before any quote (a combined line quotes its request before anything a
// client wrote) and its "|req: " (uWSGI's other messages name pids as
// "(pid: N)").
func looksUWSGI(line []byte) bool {
	i := bytes.Index(line, uwsgiPid)
	if i < 0 {
		return false
	}
	if q := bytes.IndexByte(line, '"'); q >= 0 && q < i {
		return false
	}
	end := bytes.IndexByte(line[i:], ']')
	return end > 0 && bytes.Contains(line[i:i+end], uwsgiReq)
}

// parseUWSGI parses a uWSGI request line (looksUWSGI accepted it).
func parseUWSGI(line []byte) (Record, error) {
	var r Record
	s := string(line)
	i := strings.Index(s, "[pid: ")
	prefix := strings.TrimSpace(s[:i])
	rest := s[i+len("[pid: "):]
	end := strings.Index(rest, "] ")
	if end < 0 {
		return r, fmt.Errorf("%w: uWSGI line without a closed [pid: …]", errNotAccess)
	}
	if !strings.Contains(rest[:end], "|req: ") {
		return r, fmt.Errorf("%w: uWSGI [pid: …] without |req:", errNotAccess)
	}
	rest = rest[end+2:]
	// one word before [pid: is the request's host (vhost mode); memory
	// reports end with "}"
	if prefix != "" && !strings.ContainsAny(prefix, " \t{}") {
		r.Req.VHost = prefix
	}

	// ADDR (USER) {N vars in M bytes} [CTIME] METHOD URI => TAIL
	sp := strings.Index(rest, " (")
	if sp <= 0 {
		return r, fmt.Errorf("%w: uWSGI line without an address and (user)", errNotAccess)
	}
	r.Req.Client = rest[:sp]
	rest = rest[sp+2:]
	// the user is the client's (basic auth), the vars block uWSGI's own
	uv := strings.Index(rest, ") {")
	if uv < 0 {
		return r, fmt.Errorf("%w: uWSGI line without a {vars} block", errNotAccess)
	}
	r.User = rest[:uv]
	rest = rest[uv+3:]
	vb := strings.Index(rest, "} [")
	if vb < 0 || !bytes.Contains([]byte(rest[:vb]), uwsgiVars) {
		return r, fmt.Errorf("%w: uWSGI line without a {vars} block", errNotAccess)
	}
	rest = rest[vb+3:]
	tb := strings.IndexByte(rest, ']')
	if tb < 0 {
		return r, fmt.Errorf("%w: uWSGI line without a closed [time]", errNotAccess)
	}
	t, err := time.Parse(uwsgiTimeLayout, rest[:tb])
	if err != nil {
		return r, fmt.Errorf("%w: uWSGI line with a bad time [%s]", errNotAccess, clip(rest[:tb]))
	}
	r.Time = t.UTC()
	r.Req.ReceiveTime = true
	rest = strings.TrimPrefix(rest[tb+1:], " ")

	g := strings.LastIndex(rest, " => generated ")
	if g < 0 {
		return r, fmt.Errorf("%w: uWSGI line without \"=> generated\"", errNotAccess)
	}
	req, tail := rest[:g], rest[g+len(" => "):]
	m := uwsgiTail.FindStringSubmatch(tail)
	if m == nil {
		return r, fmt.Errorf("%w: uWSGI line with an unknown tail %q", errNotAccess, clip(tail))
	}
	method, uri, _ := strings.Cut(req, " ")
	if method != "-" {
		r.Req.Method = method
	}
	if uri != "-" {
		r.Req.Path, r.Req.Query, _ = strings.Cut(uri, "?")
	}
	if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
		r.Req.Bytes = n
	}
	if n, err := strconv.ParseInt(m[2], 10, 64); err == nil {
		unit := time.Millisecond
		if m[3] == "micros" {
			unit = time.Microsecond
		}
		if n <= int64(maxRequestLife/unit) {
			r.Req.Duration, r.Req.HasDuration = time.Duration(n)*unit, true
		}
	}
	if m[4] != "-" {
		r.Req.Proto = m[4]
	}
	st, err := strconv.Atoi(m[5])
	if err != nil || st < 0 || st > 999 {
		return r, fmt.Errorf("%w: uWSGI line with a bad status %s", errNotAccess, m[5])
	}
	r.Req.Status = st
	return r, nil
}

// clip shortens client-influenced text for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Banner reports whether line opens a uWSGI log: uWSGI writes
// "*** Starting uWSGI <version> … ***" first, then its start-up messages
// and the application's output, among which the request lines come
// (--daemonize, --logto, stderr). Those other lines are not requests: they
// are counted as skipped, with file and line, like any other.
func Banner(line []byte) bool {
	return bytes.HasPrefix(line, []byte("*** Starting uWSGI "))
}
