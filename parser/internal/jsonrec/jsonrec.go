// Package jsonrec is the toolkit of the JSON input formats: exact
// integers and ids from numbers or strings, dotted-path lookups in decoded
// objects, times in any of the exporters' forms, and the joining of
// pretty-printed documents spread over several lines.
package jsonrec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Int is an integer that JSON exporters write as a number or, for
// 64-bit values (protojson), as a string. null and "" leave it unset.
type Int struct {
	N   int64
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	*n = Int{}
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
	v, ok := ParseInt(string(b))
	if !ok {
		return fmt.Errorf("not an integer: %.40q", b)
	}
	*n = Int{N: v, Set: true}
	return nil
}

// parseInt reads a decimal integer, also written as an integral float
// ("33.0", "1e3") or beyond int64 (clamped): exporters differ.
func ParseInt(s string) (int64, bool) {
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

// PID returns the value as a pid, 0 when unset or out of range.
func (n Int) PID() int { return PIDOf(n.N, n.Set) }

// ID returns the value as a user or group id; -1, 4294967295 and values
// out of range are unset.
func (n Int) ID() event.ID { return IDOf(n.N, n.Set) }

func PIDOf(v int64, set bool) int {
	if !set || v <= 0 || v > math.MaxInt32 {
		return 0
	}
	return int(v)
}

func IDOf(v int64, set bool) event.ID {
	if !set || v < 0 || v > math.MaxUint32 {
		return event.ID{}
	}
	return event.NewID(uint32(v))
}

// AnyInt reads an integer out of a generic JSON value (decoded with
// UseNumber): a number, a numeric string, or nothing.
func AnyInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		return ParseInt(string(x))
	case string:
		return ParseInt(strings.TrimSpace(x))
	case float64:
		return ParseInt(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return 0, false
}

// AnyString renders a scalar JSON value as text; objects, arrays and null
// give "".
func AnyString(v any) string {
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

// AnyStrings reads a JSON array of scalars (or one scalar) as strings.
func AnyStrings(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s := AnyString(e); s != "" || e != nil {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return nil
	}
	if s := AnyString(v); s != "" {
		return []string{s}
	}
	return nil
}

// Decode decodes one JSON object with numbers kept as json.Number
// (pids and 64-bit ids must not pass through float64).
func Decode(b []byte) (map[string]any, error) {
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

// Object is Decode for sniffers: nil on any error.
func Object(b []byte) map[string]any {
	m, err := Decode(b)
	if err != nil {
		return nil
	}
	return m
}

// Get looks up a dotted path in a decoded JSON object. ECS documents mix
// nested objects and dotted keys ({"process":{"parent.pid":1}} and
// {"process.parent":{"pid":1}} mean the same), so every split of the path
// is tried, the longest literal key first at each level.
func Get(m map[string]any, path string) any {
	if v, ok := m[path]; ok {
		return v
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] != '.' {
			continue
		}
		if sub, ok := m[path[:i]].(map[string]any); ok {
			if v := Get(sub, path[i+1:]); v != nil {
				return v
			}
		}
	}
	return nil
}

// Str is Get for a string field.
func Str(m map[string]any, path string) string { return AnyString(Get(m, path)) }

func FirstString(m map[string]any, paths []string) string {
	for _, p := range paths {
		if s := strings.TrimSpace(Str(m, p)); s != "" {
			return s
		}
	}
	return ""
}

func FirstTime(m map[string]any, paths []string) time.Time {
	for _, p := range paths {
		if t, ok := AnyTime(Get(m, p)); ok {
			return t
		}
	}
	return time.Time{}
}

// AnyTime reads a time written as text (RFC 3339 and kin) or as a number
// of seconds, milliseconds, microseconds or nanoseconds since the epoch,
// told apart by magnitude (journald's µs, Falco's ns, fluent-bit's s).
func AnyTime(v any) (time.Time, bool) {
	var num string
	switch x := v.(type) {
	case string:
		if t, ok := ParseTime(x); ok {
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

// ParseTime parses s in one of timeLayouts, returning UTC.
func ParseTime(s string) (time.Time, bool) {
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

// Joiner collects a pretty-printed JSON document spread over several
// lines (jq output, the public Tetragon and Elastic samples) into one.
// Only a line that is exactly "{" opens such a document: a truncated
// one-line record must not swallow the lines after it. A document ends when
// its braces balance, or is abandoned when a new one starts at column 0 or
// it grows past event.MaxLine.
type Joiner struct {
	buf   []byte
	start event.Pos
	depth int
	inStr bool
	esc   bool
}

// Doc is one complete document from a Joiner, or a failed one.
type Doc struct {
	Pos event.Pos
	Doc []byte
	Err error
}

// Feed takes one line and returns the documents it completes: the line
// itself when it is not part of a multi-line document.
func (j *Joiner) Feed(pos event.Pos, line []byte, docs []Doc) []Doc {
	if j.buf != nil && len(line) > 0 && (line[0] == '{' || line[0] == '[') {
		docs = append(docs, j.abandon("a new document began before it ended"))
	}
	if j.buf == nil {
		if string(bytes.TrimSpace(line)) != "{" {
			return append(docs, Doc{Pos: pos, Doc: line})
		}
		j.buf, j.start, j.depth, j.inStr, j.esc = append([]byte{}, line...), pos, 0, false, false
		j.scan(line)
		return docs
	}
	j.buf = append(append(j.buf, '\n'), line...)
	j.scan(line)
	switch {
	case j.depth <= 0:
		d := Doc{Pos: j.start, Doc: j.buf}
		j.buf = nil
		return append(docs, d)
	case len(j.buf) >= event.MaxLine:
		return append(docs, j.abandon("document too long"))
	}
	return docs
}

// Flush returns the error for a document left open at the end of input.
func (j *Joiner) Flush() (Doc, bool) {
	if j.buf == nil {
		return Doc{}, false
	}
	return j.abandon("input ended inside a multi-line JSON document"), true
}

func (j *Joiner) abandon(why string) Doc {
	d := Doc{Pos: j.start, Err: event.NewError(j.start, string(j.buf), fmt.Errorf("%w: %s", event.ErrFormat, why))}
	j.buf = nil
	return d
}

func (j *Joiner) scan(b []byte) {
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

// BadLine wraps a JSON decoding error of the line at pos as event.ErrFormat.
func BadLine(pos event.Pos, line []byte, err error) error {
	return event.NewError(pos, string(line), fmt.Errorf("%w: %v", event.ErrFormat, err))
}

// DecodeDocs runs fn on each document a Joiner gave. Line can return
// one error, so when one line yields several bad documents (an abandoned
// multi-line document and a bad line after it) the earlier ones are
// handed to report.
func DecodeDocs(report func(error), docs []Doc, out []*event.Event, fn func(pos event.Pos, doc []byte, out []*event.Event) ([]*event.Event, error)) ([]*event.Event, error) {
	var last error
	for _, d := range docs {
		err := d.Err
		if err == nil {
			out, err = fn(d.Pos, d.Doc, out)
		}
		if err != nil {
			if last != nil {
				report(last)
			}
			last = err
		}
	}
	return out, last
}
