package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Log-shipper envelopes.
//
// Filebeat, fluent-bit, Logstash, journald exports and SIEM exports wrap the
// original record in a JSON object: the record text sits in one field
// (message, log, MESSAGE, SyslogMessage, event.original, _raw …) beside the
// shipper's own metadata (host.name, @timestamp …). Syslog relays put a
// syslog header in front of it instead. The envelope decoder unwraps the
// record and hands it to the parser of the format it is in, keeping the
// envelope's host and time for records that carry none themselves.
//
// The decoded events keep the envelope line's position (file:line) and, as
// Raw, the unwrapped record: that is the text an analyst reads, and the
// envelope line can be found from the position.

// envelopeFields are the fields that carry the wrapped record, most specific
// first: Elastic keeps the untouched text in event.original and may have
// rewritten message; Splunk's is _raw; AKS puts kube-apiserver audit events
// in properties.log.
var envelopeFields = []string{
	"event.original", "_raw", "message", "log", "MESSAGE", "SyslogMessage",
	"Message", "msg", "properties.log",
}

// envelopeHostFields name the host in the shippers' metadata.
var envelopeHostFields = []string{
	"host.name", "host.hostname", "hostname", "_HOSTNAME", "Computer",
	"HostName", "agent.hostname", "host",
}

// envelopeTimeFields name the record time in the shippers' metadata.
var envelopeTimeFields = []string{
	"@timestamp", "timestamp", "time", "_time", "TimeGenerated",
	"_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP", "date",
}

// sniffEnvelope accepts a JSON object whose record field holds a record of
// a format we know, or a syslog line whose message is one.
func sniffEnvelope(line []byte) bool {
	if len(line) > 0 && line[0] == '{' {
		m := jsonObject(line)
		if m == nil {
			return false
		}
		rec, _ := envelopeRecord(m)
		return rec != "" && innerFormat([]byte(rec)) != FormatUnknown
	}
	_, msg, ok := cutSyslog(line)
	return ok && innerFormat(msg) != FormatUnknown
}

// newEnvelopeDecoder returns a decoder for envelope lines.
func newEnvelopeDecoder(in *Input, opts *Options) decoder {
	return &envelopeDecoder{inner: newInnerDecoders(in, opts)}
}

type envelopeDecoder struct {
	inner *innerDecoders
}

func (d *envelopeDecoder) Line(pos Pos, line []byte, out []*Event) ([]*Event, error) {
	if len(line) >= maxLine {
		return out, newError(pos, string(line), ErrTooLong)
	}
	if len(line) > 0 && line[0] == '{' {
		m, err := decodeJSONDoc(line)
		if err != nil {
			return out, newError(pos, string(line), fmt.Errorf("%w: %v", ErrFormat, err))
		}
		rec, _ := envelopeRecord(m)
		if rec == "" {
			return out, nil // a record of another kind, not ours: counted, not malformed
		}
		host := firstString(m, envelopeHostFields)
		at := firstTime(m, envelopeTimeFields)
		return d.inner.line(pos, []byte(rec), host, at, out)
	}
	hdr, msg, ok := cutSyslog(line)
	if !ok {
		return out, nil // an ordinary syslog or text line between the records we read
	}
	return d.inner.line(pos, msg, string(syslogHost(hdr)), time.Time{}, out)
}

func (d *envelopeDecoder) Flush(out []*Event) []*Event { return d.inner.flush(out) }

// envelopeRecord returns the wrapped record of a JSON envelope and the field
// it came from, or "" when none of the fields holds a string.
func envelopeRecord(m map[string]any) (string, string) {
	for _, f := range envelopeFields {
		if s, ok := jget(m, f).(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimRight(s, "\r\n"), f
		}
	}
	return "", ""
}

// innerFormat names the format of an unwrapped record, trying the formats
// an envelope can hold. Envelopes and journald records are not nested in
// envelopes, so they are not tried: no recursion on hostile input.
func innerFormat(rec []byte) Format {
	rec = bytes.TrimSpace(rec)
	if len(rec) == 0 {
		return FormatUnknown
	}
	if rec[0] == '{' {
		switch {
		case sniffTetragon(rec):
			return FormatTetragon
		case sniffFalco(rec):
			return FormatFalco
		case sniffK8sAudit(rec):
			return FormatK8sAudit
		case sniffCloudDefend(rec):
			return FormatCloudDefend
		}
	} else {
		switch {
		case sniffAuditd(rec):
			return FormatAuditd
		case sniffSysmon(rec):
			return FormatSysmon
		}
	}
	if sniffAccessLog(rec) { // also JSON access logs
		return FormatAccessLog
	}
	return FormatUnknown
}

// innerDecoders holds one decoder per wrapped format of one input, made on
// first use, so that stateful ones (auditd reassembly, Tetragon's parent
// tracking) see all of that input's records of their format in order.
type innerDecoders struct {
	in    *Input
	opts  *Options
	audit *auditDecoder
	decs  map[Format]decoder
	order []Format // creation order, for a deterministic Flush
}

func newInnerDecoders(in *Input, opts *Options) *innerDecoders {
	return &innerDecoders{in: in, opts: opts, decs: map[Format]decoder{}}
}

// line decodes one unwrapped record. host and at are the envelope's; they
// fill in events that have no host or time of their own. A record of no
// format we know is skipped without error: shippers mix record kinds.
func (d *innerDecoders) line(pos Pos, rec []byte, host string, at time.Time, out []*Event) ([]*Event, error) {
	f := innerFormat(rec)
	if f == FormatUnknown {
		// "Nov 25 … host prog: RECORD" inside the envelope.
		if hdr, msg, ok := cutSyslog(rec); ok {
			if f = innerFormat(msg); f != FormatUnknown {
				rec = msg
				if host == "" {
					host = string(syslogHost(hdr))
				}
			}
		}
	}
	switch f {
	case FormatUnknown:
		return out, nil
	case FormatAuditd:
		if d.audit == nil {
			d.audit = newAuditDecoder(d.in, d.opts)
		}
		// The envelope's host becomes the node unless the record names its
		// own (node= or a syslog header): records of different hosts in one
		// export must not reassemble into one event.
		if host != "" && bytes.HasPrefix(rec, tokType) && validNode(host) {
			rec = append([]byte("node="+host+" "), rec...)
		}
		return d.audit.Line(pos, rec, out)
	}
	dec := d.decs[f]
	if dec == nil {
		dec = newFormatDecoder(f, d.in, d.opts)
		if dec == nil {
			return out, nil // a format without a decoder (a stub): skipped
		}
		d.decs[f] = dec
		d.order = append(d.order, f)
	}
	n := len(out)
	out, err := dec.Line(pos, rec, out)
	for _, ev := range out[n:] {
		if ev.Host == "" {
			ev.Host = host
		}
		if ev.Time.IsZero() {
			ev.Time = at
		}
	}
	return out, err
}

func (d *innerDecoders) flush(out []*Event) []*Event {
	if d.audit != nil {
		out = d.audit.Flush(out)
	}
	for _, f := range d.order {
		out = d.decs[f].Flush(out)
	}
	return out
}

// newFormatDecoder makes the decoder of a format that can be wrapped. It
// does not use the formats table: the table refers to the envelope decoder,
// and referring back to it would be an initialization cycle.
func newFormatDecoder(f Format, in *Input, opts *Options) decoder {
	var d decoder
	switch f {
	case FormatSysmon:
		d = newSysmonDecoder(in, opts)
	case FormatTetragon:
		d = newTetragonDecoder(in, opts)
	case FormatFalco:
		d = newFalcoDecoder(in, opts)
	case FormatK8sAudit:
		d = newK8sAuditDecoder(in, opts)
	case FormatCloudDefend:
		d = newCloudDefendDecoder(in, opts)
	case FormatAccessLog:
		d = newAccessLogDecoder(in, opts)
	}
	return d
}

// validNode reports whether s can stand as an auditd node= name: one word
// of printable characters.
func validNode(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// cutSyslog splits a syslog line into its header and message:
//
//	Nov 25 20:15:55 web1 sysmon: MSG                 (RFC 3164)
//	<14>Nov 25 20:15:55 web1 nginx[12]: MSG          (RFC 3164 with priority)
//	2026-11-25T20:15:55.123+00:00 web1 falco: MSG    (rsyslog's RFC 3339 template)
//	<14>1 2026-11-25T20:15:55Z web1 falco 12 - - MSG (RFC 5424)
//
// ok is false when the line has no such header.
func cutSyslog(line []byte) (hdr, msg []byte, ok bool) {
	rest := line
	if len(rest) > 0 && rest[0] == '<' {
		i := bytes.IndexByte(rest, '>')
		if i < 2 || i > 4 {
			return nil, nil, false
		}
		rest = rest[i+1:]
		if len(rest) > 2 && rest[0] == '1' && rest[1] == ' ' { // RFC 5424
			f := bytes.SplitN(rest[2:], []byte(" "), 6)
			if len(f) < 6 {
				return nil, nil, false
			}
			if _, ok := parseAnyTime(string(f[0])); !ok {
				return nil, nil, false
			}
			m := f[5]
			if len(m) > 0 && m[0] == '[' { // structured data
				i := bytes.Index(m, []byte("] "))
				if i < 0 {
					return nil, nil, false
				}
				m = m[i+2:]
			} else if bytes.HasPrefix(m, []byte("- ")) {
				m = m[2:]
			}
			h := append(append([]byte{}, f[0]...), ' ')
			return append(h, f[1]...), m, true
		}
	}
	// The tag ends with ": " within the first few words.
	i := bytes.Index(rest, []byte(": "))
	if i < 0 || i > 256 {
		return nil, nil, false
	}
	h := rest[:i]
	f := bytes.Fields(h)
	switch {
	case len(f) >= 5 && len(f[0]) == 3 && isSyslogMonth(f[0]) && bytes.Count(f[2], []byte(":")) == 2:
	case len(f) >= 3 && len(f[0]) >= 19 && f[0][4] == '-' && f[0][10] == 'T':
	default:
		return nil, nil, false
	}
	return h, rest[i+2:], true
}

func isSyslogMonth(b []byte) bool {
	const months = "JanFebMarAprMayJunJulAugSepOctNovDec"
	for i := 0; i+3 <= len(months); i += 3 {
		if string(b) == months[i:i+3] {
			return true
		}
	}
	return false
}

// ---- JSON helpers shared by the JSON formats ----

// jsonInt is an integer that JSON exporters write as a number or, for
// 64-bit values (protojson), as a string. null and "" leave it unset.
type jsonInt struct {
	N   int64
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *jsonInt) UnmarshalJSON(b []byte) error {
	*n = jsonInt{}
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
		if len(b) == 0 {
			return nil
		}
	}
	v, ok := parseJSONInt(string(b))
	if !ok {
		return fmt.Errorf("not an integer: %.40q", b)
	}
	*n = jsonInt{N: v, Set: true}
	return nil
}

// parseInt reads a decimal integer, also written as an integral float
// ("33.0", "1e3") or beyond int64 (clamped): exporters differ.
func parseJSONInt(s string) (int64, bool) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	if _, err := strconv.ParseUint(s, 10, 64); err == nil {
		return math.MaxInt64, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// pid returns the value as a pid, 0 when unset or out of range.
func (n jsonInt) pid() int { return pidOf(n.N, n.Set) }

// id returns the value as a user or group id; -1, 4294967295 and values
// out of range are unset.
func (n jsonInt) id() ID { return idOf(n.N, n.Set) }

func pidOf(v int64, set bool) int {
	if !set || v <= 0 || v > math.MaxInt32 {
		return 0
	}
	return int(v)
}

func idOf(v int64, set bool) ID {
	if !set || v < 0 || v > math.MaxUint32 {
		return ID{}
	}
	return NewID(uint32(v))
}

// anyInt reads an integer out of a generic JSON value (decoded with
// UseNumber): a number, a numeric string, or nothing.
func anyInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		return parseJSONInt(string(x))
	case string:
		return parseJSONInt(strings.TrimSpace(x))
	case float64:
		return parseJSONInt(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return 0, false
}

// anyString renders a scalar JSON value as text; objects, arrays and null
// give "".
func anyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// anyStrings reads a JSON array of scalars (or one scalar) as strings.
func anyStrings(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s := anyString(e); s != "" || e != nil {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return nil
	}
	if s := anyString(v); s != "" {
		return []string{s}
	}
	return nil
}

// decodeJSONDoc decodes one JSON object with numbers kept as json.Number
// (pids and 64-bit ids must not pass through float64).
func decodeJSONDoc(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("want a JSON object, got null")
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	return m, nil
}

// jsonObject is decodeJSONDoc for sniffers: nil on any error.
func jsonObject(b []byte) map[string]any {
	m, err := decodeJSONDoc(b)
	if err != nil {
		return nil
	}
	return m
}

// jget looks up a dotted path in a decoded JSON object. ECS documents mix
// nested objects and dotted keys ({"process":{"parent.pid":1}} and
// {"process.parent":{"pid":1}} mean the same), so every split of the path
// is tried, the longest literal key first at each level.
func jget(m map[string]any, path string) any {
	if v, ok := m[path]; ok {
		return v
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] != '.' {
			continue
		}
		if sub, ok := m[path[:i]].(map[string]any); ok {
			if v := jget(sub, path[i+1:]); v != nil {
				return v
			}
		}
	}
	return nil
}

// jstr is jget for a string field.
func jstr(m map[string]any, path string) string { return anyString(jget(m, path)) }

func firstString(m map[string]any, paths []string) string {
	for _, p := range paths {
		if s := strings.TrimSpace(jstr(m, p)); s != "" {
			return s
		}
	}
	return ""
}

func firstTime(m map[string]any, paths []string) time.Time {
	for _, p := range paths {
		if t, ok := anyTime(jget(m, p)); ok {
			return t
		}
	}
	return time.Time{}
}

// anyTime reads a time written as text (RFC 3339 and kin) or as a number
// of seconds, milliseconds, microseconds or nanoseconds since the epoch,
// told apart by magnitude (journald's µs, Falco's ns, fluent-bit's s).
func anyTime(v any) (time.Time, bool) {
	var num string
	switch x := v.(type) {
	case string:
		if t, ok := parseAnyTime(x); ok {
			return t, true
		}
		num = strings.TrimSpace(x)
	case json.Number:
		num = string(x)
	default:
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	var t time.Time
	switch {
	case f < 1e11:
		sec, frac := math.Modf(f)
		t = time.Unix(int64(sec), int64(frac*1e9))
	case f < 1e14:
		t = time.UnixMilli(int64(f))
	case f < 1e17:
		t = time.UnixMicro(int64(f))
	case f < 9e18:
		if v, err := strconv.ParseInt(num, 10, 64); err == nil {
			t = time.Unix(0, v)
		} else {
			t = time.Unix(0, int64(f))
		}
	default:
		return time.Time{}, false
	}
	return t.UTC(), true
}

// timeLayouts are the text time forms of the formats read here.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // Falco output prefix: +0000
	"2006-01-02 15:04:05.999999999",      // Sysmon UtcTime (UTC)
	"2006-01-02T15:04:05.999999999",      // ISO without zone: taken as UTC
	"2006-01-02 15:04:05.999999999Z07:00",
}

// parseAnyTime parses s in one of timeLayouts, returning UTC.
func parseAnyTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 || len(s) > 64 || s[4] != '-' {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// jsonJoiner collects a pretty-printed JSON document spread over several
// lines (jq output, the public Tetragon and Elastic samples) into one.
// Only a line that is exactly "{" opens such a document: a truncated
// one-line record must not swallow the lines after it. A document ends when
// its braces balance, or is abandoned when a new one starts at column 0 or
// it grows past maxLine.
type jsonJoiner struct {
	buf   []byte
	start Pos
	depth int
	inStr bool
	esc   bool
}

// jsonDoc is one complete document from a jsonJoiner, or a failed one.
type jsonDoc struct {
	pos Pos
	doc []byte
	err error
}

// feed takes one line and returns the documents it completes: the line
// itself when it is not part of a multi-line document.
func (j *jsonJoiner) feed(pos Pos, line []byte, docs []jsonDoc) []jsonDoc {
	if j.buf != nil && len(line) > 0 && (line[0] == '{' || line[0] == '[') {
		docs = append(docs, j.abandon("a new document began before it ended"))
	}
	if j.buf == nil {
		if string(bytes.TrimSpace(line)) != "{" {
			return append(docs, jsonDoc{pos: pos, doc: line})
		}
		j.buf, j.start, j.depth, j.inStr, j.esc = append([]byte{}, line...), pos, 0, false, false
		j.scan(line)
		return docs
	}
	j.buf = append(append(j.buf, '\n'), line...)
	j.scan(line)
	switch {
	case j.depth <= 0:
		d := jsonDoc{pos: j.start, doc: j.buf}
		j.buf = nil
		return append(docs, d)
	case len(j.buf) >= maxLine:
		return append(docs, j.abandon("document too long"))
	}
	return docs
}

// flush returns the error for a document left open at the end of input.
func (j *jsonJoiner) flush() (jsonDoc, bool) {
	if j.buf == nil {
		return jsonDoc{}, false
	}
	return j.abandon("input ended inside a multi-line JSON document"), true
}

func (j *jsonJoiner) abandon(why string) jsonDoc {
	d := jsonDoc{pos: j.start, err: newError(j.start, string(j.buf), fmt.Errorf("%w: %s", ErrFormat, why))}
	j.buf = nil
	return d
}

func (j *jsonJoiner) scan(b []byte) {
	for _, c := range b {
		switch {
		case j.esc:
			j.esc = false
		case j.inStr:
			switch c {
			case '\\':
				j.esc = true
			case '"':
				j.inStr = false
			}
		case c == '"':
			j.inStr = true
		case c == '{' || c == '[':
			j.depth++
		case c == '}' || c == ']':
			j.depth--
		}
	}
}

// reportFlushError records an error found at the end of an input, where a
// decoder's Flush cannot return one.
func reportFlushError(in *Input, err error) {
	if in == nil || err == nil {
		return
	}
	in.Malformed++
	pe, ok := err.(*Error)
	if !ok {
		pe = &Error{Pos: Pos{File: in.Path}, Err: err}
	}
	in.Errors.Add(pe)
}

// jsonError wraps a JSON decoding error of the line at pos as ErrFormat.
func jsonError(pos Pos, line []byte, err error) error {
	return newError(pos, string(line), fmt.Errorf("%w: %v", ErrFormat, err))
}

// decodeDocs runs fn on each document a jsonJoiner gave. Line can return
// one error, so when one line yields several bad documents (an abandoned
// multi-line document and a bad line after it) the earlier ones are
// recorded directly.
func decodeDocs(in *Input, docs []jsonDoc, out []*Event, fn func(pos Pos, doc []byte, out []*Event) ([]*Event, error)) ([]*Event, error) {
	var last error
	for _, d := range docs {
		err := d.err
		if err == nil {
			out, err = fn(d.pos, d.doc, out)
		}
		if err != nil {
			if last != nil {
				reportFlushError(in, last)
			}
			last = err
		}
	}
	return out, last
}
