package accesslog

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Web server access logs, in the shapes nginx and Apache write by default
// (and Caddy's JSON records, caddy.go, uWSGI's request line, uwsgi.go, and
// the time-first lines of Python's logging and hand-made formats, timed.go):
//
//	1.2.3.4 - - [25/Nov/2026:20:15:22 +0000] "GET /a?b=c HTTP/1.1" 200 612              (common)
//	1.2.3.4 - - [25/Nov/2026:20:15:22 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"  (combined)
//	… "curl/8.5.0" "-"                                       (nginx "main": $http_x_forwarded_for)
//	www.example.com:80 1.2.3.4 - - [25/Nov/2026:…] "GET / HTTP/1.1" 200 612 "-" "-"    (vhost_combined)
//	{"time_local":"25/Nov/2026:20:15:22 +0000","remote_addr":"1.2.3.4","request":"GET / HTTP/1.1",…}
//
// Quoted fields are kept as logged, escapes included (nginx writes `\x22`,
// Apache `\"`): the text is attacker-controlled, and a lossless copy is worth
// more to an investigator than a decoded one. A request line that is not
// METHOD TARGET PROTO (TLS bytes sent to a plain port, "-" for a timeout) still
// gives an event: its single token goes to Path, "-" to nothing.

// clfTimeLayout is $time_local / Apache %t without the brackets.
const clfTimeLayout = "02/Jan/2006:15:04:05 -0700"

// Record is one parsed access-log line, before it becomes an Event.
type Record struct {
	Req  event.HTTPRequest
	User string    // $remote_user / %u, "" for "-"
	Time time.Time // UTC; zero when a JSON record carries no time
}

// errNotAccess is the reason a line is not an access-log line; it wraps
// ErrFormat so that callers can report it as-is.
var errNotAccess = fmt.Errorf("%w: not an access-log line", event.ErrFormat)

// Parse parses one access-log line in any of the accepted shapes.
func Parse(line []byte) (Record, error) {
	line = bytes.TrimSpace(line)
	if len(line) > 0 && line[0] == '{' && !bytes.HasPrefix(line, uwsgiMemReport) {
		return parseAccessJSON(line)
	}
	var parse func([]byte) (Record, error)
	switch {
	case looksCaddyConsole(line):
		parse = parseCaddyConsole
	case looksUWSGI(line):
		parse = parseUWSGI
	case looksTimed(line):
		parse = parseTimed
	default:
		return parseCLF(line)
	}
	r, err := parse(line)
	if err == nil {
		return r, nil
	}
	// a combined line whose client text merely holds the markers?
	if r, cerr := parseCLF(line); cerr == nil {
		return r, nil
	}
	return r, err
}

// parseCLF parses the common/combined family: [vhost] client ident user
// [time] "request" status bytes ["referer" "user agent" …].
func parseCLF(line []byte) (Record, error) {
	var r Record
	lb := bytes.IndexByte(line, '[')
	if lb < 0 {
		return r, fmt.Errorf("%w: no [time]", errNotAccess)
	}
	head := bytes.Fields(line[:lb])
	switch len(head) {
	case 3:
		// lighttpd's default "%h %V %u %t …" puts the virtual host (the
		// request's Host, with its port) where Apache and nginx put the
		// identd user, which is "-" in practice; a host (it has a dot or
		// a colon) there is the vhost
		if id := head[1]; !isDash(id) && bytes.ContainsAny(id, ".:") {
			r.Req.VHost = string(id)
		}
	case 4: // vhost_combined "%v:%p %h …" or nginx "$host $remote_addr …"
		r.Req.VHost = string(head[0])
		head = head[1:]
	default:
		return r, fmt.Errorf("%w: want client ident user before [time], got %d fields", errNotAccess, len(head))
	}
	r.Req.Client = string(head[0])
	if u := head[2]; !isDash(u) {
		r.User = string(u)
	}
	rb := bytes.IndexByte(line[lb:], ']')
	if rb < 0 {
		return r, fmt.Errorf("%w: unterminated [time]", errNotAccess)
	}
	t, err := time.Parse(clfTimeLayout, string(line[lb+1:lb+rb]))
	if err != nil {
		return r, fmt.Errorf("%w: bad time [%s]", errNotAccess, line[lb+1:lb+rb])
	}
	r.Time = t.UTC()

	rest := line[lb+rb+1:]
	tok, quoted, rest, err := nextAccessToken(rest)
	if err != nil || !quoted {
		return r, fmt.Errorf("%w: want a quoted request after [time]", errNotAccess)
	}
	splitRequest(&r.Req, string(tok))

	tok, quoted, rest, err = nextAccessToken(rest)
	if err != nil || quoted {
		return r, fmt.Errorf("%w: want a status after the request", errNotAccess)
	}
	if r.Req.Status, err = parseStatus(tok); err != nil {
		return r, err
	}

	// Everything after the status is optional: common logs stop at the size,
	// and vendors append fields (X-Forwarded-For, request time) at the end.
	// A cut or odd tail must not cost the request itself.
	tok, quoted, after, err := nextAccessToken(rest)
	if err == nil && !quoted && len(tok) > 0 {
		if n, ok := parseSize(tok); ok {
			r.Req.Bytes = n
			rest = after
		}
	}
	var strs [2]string
	n := 0
	for n < len(strs) {
		tok, quoted, rest, err = nextAccessToken(rest)
		if err != nil || len(tok) == 0 && !quoted {
			break
		}
		if quoted {
			strs[n] = dashToEmpty(string(tok))
			n++
		}
	}
	r.Req.Referer, r.Req.UserAgent = strs[0], strs[1]
	lineTimes(&r, line, rest, n)
	return r, nil
}

// nextAccessToken returns the next space-separated token of an access line
// and whether it was a quoted string (returned without its quotes). A quote
// inside an unquoted token (X-Forwarded-For="a, b") is read through, and a
// backslash escapes the next byte, as both nginx and Apache escape quotes.
func nextAccessToken(b []byte) (tok []byte, quoted bool, rest []byte, err error) {
	i := 0
	for i < len(b) && b[i] == ' ' {
		i++
	}
	b = b[i:]
	if len(b) == 0 {
		return nil, false, nil, nil
	}
	if b[0] == '"' {
		end := closingQuote(b, 1)
		if end < 0 {
			return nil, false, nil, errors.New("unterminated quote")
		}
		return b[1:end], true, b[end+1:], nil
	}
	j := 0
	for j < len(b) && b[j] != ' ' {
		if b[j] == '"' {
			end := closingQuote(b, j+1)
			if end < 0 {
				return nil, false, nil, errors.New("unterminated quote")
			}
			j = end
		}
		j++
	}
	return b[:j], false, b[j:], nil
}

// closingQuote returns the index of the '"' that closes a string opened
// before b[from], or -1.
func closingQuote(b []byte, from int) int {
	for k := from; k < len(b); k++ {
		switch b[k] {
		case '\\':
			k++
		case '"':
			return k
		}
	}
	return -1
}

// splitRequest fills Method, Path, Query and Proto from a request line.
func splitRequest(req *event.HTTPRequest, line string) {
	f := strings.Fields(line)
	switch len(f) {
	case 0:
		return
	case 1:
		// "-" (no request before a 408), TLS bytes, "\n": keep the token as
		// the target so the junk stays visible and searchable.
		if !isDash([]byte(f[0])) {
			req.Path = f[0]
		}
		return
	}
	req.Method = dashToEmpty(f[0])
	target := f[1:]
	if last := target[len(target)-1]; len(target) > 1 && strings.HasPrefix(last, "HTTP/") {
		req.Proto = last
		target = target[:len(target)-1]
	}
	// A raw space in the target (nginx logs the request line unaltered)
	// splits it; glue it back rather than losing the rest.
	t := strings.Join(target, " ")
	if t == "-" {
		return
	}
	req.Path, req.Query, _ = strings.Cut(t, "?")
}

func parseStatus(tok []byte) (int, error) {
	if isDash(tok) {
		return 0, nil
	}
	n, err := strconv.Atoi(string(tok))
	if err != nil || n < 0 || n > 999 {
		return 0, fmt.Errorf("%w: bad status %q", errNotAccess, tok)
	}
	return n, nil
}

// parseSize reads $body_bytes_sent / %b, where Apache writes "-" for 0.
func parseSize(tok []byte) (int64, bool) {
	if isDash(tok) {
		return 0, true
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	return n, err == nil && n >= 0
}

func isDash(b []byte) bool { return len(b) == 1 && b[0] == '-' }

func dashToEmpty(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// JSON access logs have no standard keys; these are the names of nginx
// variables (log_format … escape=json) and of common hand-written Apache and
// Caddy-like formats, in order of preference.
var (
	jsonClientKeys  = []string{"remote_addr", "client", "client_ip", "clientip", "remote_ip", "ip"}
	jsonPortKeys    = []string{"remote_port", "client_port"}
	jsonUserKeys    = []string{"remote_user", "user"}
	jsonRequestKeys = []string{"request", "request_line"}
	jsonMethodKeys  = []string{"request_method", "method"}
	jsonURIKeys     = []string{"request_uri", "uri", "url", "path"}
	jsonQueryKeys   = []string{"args", "query_string", "query"}
	jsonProtoKeys   = []string{"server_protocol", "protocol", "proto"}
	jsonStatusKeys  = []string{"status", "status_code"}
	jsonBytesKeys   = []string{"body_bytes_sent", "bytes_sent", "bytes", "size"}
	jsonRefererKeys = []string{"http_referer", "http_referrer", "referer", "referrer"}
	jsonAgentKeys   = []string{"http_user_agent", "user_agent", "agent", "ua"}
	jsonHostKeys    = []string{"host", "server_name", "http_host", "vhost"}
	jsonTimeKeys    = []string{"time_iso8601", "time_local", "time", "timestamp", "@timestamp", "msec"}
)

// parseAccessJSON parses one JSON access-log object. A record without any
// time gets the zero time: inside a container log the wrapper supplies one.
func parseAccessJSON(line []byte) (Record, error) {
	var r Record
	m, err := jsonrec.Decode(line)
	if err != nil {
		return r, fmt.Errorf("%w: %v", errNotAccess, err)
	}
	if !isJSONAccess(m) {
		return r, fmt.Errorf("%w: JSON object without request and status keys", errNotAccess)
	}
	if req, ok := caddyRequest(m); ok {
		return parseCaddy(m, req)
	}
	str := func(keys []string) string {
		for _, k := range keys {
			if v, ok := m[k]; ok {
				if s := jsonrec.AnyString(v); s != "" {
					return s
				}
			}
		}
		return ""
	}
	r.Req.Client = str(jsonClientKeys)
	if r.Req.Client != "" {
		r.Req.ClientPort = portNumber(str(jsonPortKeys)) // nginx's $remote_port
	}
	r.User = dashToEmpty(str(jsonUserKeys))
	if line := str(jsonRequestKeys); line != "" {
		splitRequest(&r.Req, line)
	} else {
		r.Req.Method = str(jsonMethodKeys)
		r.Req.Path, r.Req.Query, _ = strings.Cut(str(jsonURIKeys), "?")
		if q := str(jsonQueryKeys); r.Req.Query == "" && q != "" && q != "-" {
			r.Req.Query = q
		}
		r.Req.Proto = str(jsonProtoKeys)
	}
	if s := str(jsonStatusKeys); s != "" {
		if r.Req.Status, err = parseStatus([]byte(s)); err != nil {
			return r, err
		}
	}
	if s := str(jsonBytesKeys); s != "" {
		r.Req.Bytes, _ = parseSize([]byte(s))
	}
	r.Req.Referer = dashToEmpty(str(jsonRefererKeys))
	r.Req.UserAgent = dashToEmpty(str(jsonAgentKeys))
	r.Req.VHost = dashToEmpty(str(jsonHostKeys))
	for _, k := range jsonTimeKeys {
		v, ok := m[k]
		if !ok {
			continue
		}
		s := jsonrec.AnyString(v)
		if s == "" {
			continue
		}
		t, err := parseLooseTime(s)
		if err != nil {
			return r, fmt.Errorf("%w: bad %s %q", errNotAccess, k, s)
		}
		r.Time = t
		if k != "msec" && k != "time_local" && strings.Contains(s, ".") {
			// an RFC 3339 time with a fraction: the end finer than the
			// second, as $msec gives it (an epoch msec is jsonTimes')
			r.Req.EndBy = "logged time"
		}
		break
	}
	jsonTimes(&r, m)
	return r, nil
}

// parseLooseTime reads the time formats web servers put in JSON logs:
// RFC 3339 ($time_iso8601), $time_local, and epoch seconds ($msec).
func parseLooseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(clfTimeLayout, s); err == nil {
		return t.UTC(), nil
	}
	sec, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || len(frac) > 9 {
		return time.Time{}, errors.New("unknown time format")
	}
	var ns int64
	if frac != "" {
		f, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, errors.New("unknown time format")
		}
		ns = int64(f)
		for i := len(frac); i < 9; i++ {
			ns *= 10
		}
	}
	return time.Unix(n, ns).UTC(), nil
}

// isJSONAccess tells a JSON access record from the other JSON lines we read
// (container logs, runtime events, sensors): it needs a status and a request.
func isJSONAccess(m map[string]any) bool {
	if _, ok := m["log"]; ok { // a container log wrapper
		return false
	}
	has := func(keys []string) bool {
		for _, k := range keys {
			if _, ok := m[k]; ok {
				return true
			}
		}
		return false
	}
	return has(jsonStatusKeys) && (has(jsonRequestKeys) || has(jsonURIKeys) && has(jsonMethodKeys))
}

// Sniff accepts a line that parses as an access-log line.
func Sniff(line []byte) bool {
	if len(line) > 0 && line[0] == '{' && !bytes.HasPrefix(line, uwsgiMemReport) {
		m, err := jsonrec.Decode(line)
		return err == nil && isJSONAccess(m) && caddyLoggerErr(m) == nil
	}
	_, err := Parse(line)
	return err == nil
}

// HTTPEvent builds the KindHTTP event of one access record. The remote user
// (basic auth, %u) goes to Account, the account the request logged in as:
// weak credentials are one way in (stage 1).
func HTTPEvent(r Record, source event.Format) *event.Event {
	req := r.Req
	return &event.Event{
		Kind:    event.KindHTTP,
		Time:    r.Time,
		Source:  source,
		Account: r.User,
		HTTP:    &req,
	}
}

// accessLogDecoder reads plain access-log files: one request per line.
type accessLogDecoder struct{}

// New returns a decoder for an access-log file.
func New() event.Decoder { return accessLogDecoder{} }

func (accessLogDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	r, err := Parse(line)
	if err == nil && r.Time.IsZero() {
		err = fmt.Errorf("%w: access-log record without a time", event.ErrFormat)
	}
	if err != nil {
		return out, event.NewError(pos, string(line), err)
	}
	ev := HTTPEvent(r, event.FormatAccessLog)
	ev.Evidence = []event.Evidence{{Pos: pos, Raw: string(line)}}
	return append(out, ev), nil
}

func (accessLogDecoder) Flush(out []*event.Event) []*event.Event { return out }
