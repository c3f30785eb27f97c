package envelope

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// journald JSON export (journalctl -o json): one entry per line, every
// field a string, except that a field journald cannot show as UTF-8 text is
// an array of byte values, a field present several times is an array of
// values, and a field over 4 KiB without --all is null.
//
// Audit records (_TRANSPORT=audit) arrive in journald without their
// "type=… msg=audit(…):" header: MESSAGE is "SYSCALL arch=c000003e …" (the
// type name, or AUDIT<n> for a type journald cannot name, then the fields);
// the header's parts are in _AUDIT_TYPE_NAME/_AUDIT_TYPE, _AUDIT_ID (the
// serial) and _SOURCE_REALTIME_TIMESTAMP (the audit time in µs). The decoder
// rebuilds the audit.log line
//
//	node=_HOSTNAME type=NAME msg=audit(SEC.MSEC:ID): FIELDS
//
// and feeds it to the auditd reassembler and normalizer, so that journald
// input gives the same events as audit.log (without the ENRICHED names,
// which auditd, not the kernel, adds). Other entries are unwrapped like
// envelopes (a Sysmon or access-log MESSAGE is parsed, with _HOSTNAME and
// the entry's time when the record has none) or skipped as records that
// are not ours; they are not malformed.

// SniffJournald accepts a journald JSON entry.
func SniffJournald(line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return bytes.Contains(line, []byte(`"__REALTIME_TIMESTAMP":`)) && bytes.Contains(line, []byte(`"MESSAGE":`))
	}
	_, msg := m["MESSAGE"]
	_, cursor := m["__CURSOR"]
	_, rt := m["__REALTIME_TIMESTAMP"]
	_, tr := m["_TRANSPORT"]
	return msg && (cursor || rt || tr)
}

// NewJournald returns a decoder for a journald JSON export.
func NewJournald(f Formats) event.Decoder {
	return &journaldDecoder{inner: newInnerDecoders(f)}
}

type journaldDecoder struct {
	inner *innerDecoders
	buf   []byte
}

func (d *journaldDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	var m map[string]journalField
	if err := json.Unmarshal(line, &m); err != nil {
		return out, jsonrec.BadLine(pos, line, err)
	}
	msg, ok := m["MESSAGE"]
	if !ok {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: journald entry without MESSAGE", event.ErrFormat))
	}
	if msg.null {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: MESSAGE is null (journalctl leaves fields over 4 KiB out unless run with --all)", event.ErrField))
	}
	host := m["_HOSTNAME"].s
	if m["_TRANSPORT"].s != "audit" {
		var at time.Time
		for _, k := range []string{"_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP"} {
			if v, err := strconv.ParseInt(m[k].s, 10, 64); err == nil && v > 0 {
				at = time.UnixMicro(v).UTC()
				break
			}
		}
		// The audit records of the journal come by the audit transport
		// (above) or the kernel's; a service's stdout, a program's
		// sd_journal_send and a container's journald driver carry the
		// program's own words.
		app := ""
		switch t := m["_TRANSPORT"].s; {
		case t == "stdout" || t == "journal":
			app = "a program's journal " + t
		case m["CONTAINER_ID"].s != "":
			app = "a container's output (CONTAINER_ID)"
		}
		return d.inner.line(pos, []byte(msg.s), host, at, app, out)
	}
	rec, err := d.auditLine(m, msg.s, host)
	if err != nil {
		return out, event.NewError(pos, string(line), err)
	}
	return d.inner.auditd().Line(pos, rec, out)
}

func (d *journaldDecoder) Flush(out []*event.Event) []*event.Event { return d.inner.flush(out) }

// auditLine rebuilds the audit.log line of an audit entry in d.buf.
func (d *journaldDecoder) auditLine(m map[string]journalField, msg, host string) ([]byte, error) {
	msg = strings.TrimRight(msg, "\r\n")
	name := strings.TrimSpace(m["_AUDIT_TYPE_NAME"].s)
	num := strings.TrimSpace(m["_AUDIT_TYPE"].s)
	// MESSAGE begins with the type (a word without '='), unless an older
	// journald wrote the fields alone.
	if w, rest, _ := strings.Cut(msg, " "); w != "" && !strings.Contains(w, "=") {
		if name == "" && d.inner.formats.IsAuditType([]byte(w)) && !strings.HasPrefix(w, "AUDIT") {
			name = w
		}
		msg = rest
	}
	// Some exporters keep the kernel's "audit(…): " header in MESSAGE.
	var hdrTime string
	if strings.HasPrefix(msg, "audit(") {
		if i := strings.Index(msg, "): "); i > 0 {
			hdrTime, msg = msg[len("audit("):i], msg[i+3:]
		}
	}
	if name == "" {
		if _, err := strconv.ParseUint(num, 10, 16); err != nil {
			return nil, fmt.Errorf("%w: audit entry without _AUDIT_TYPE_NAME or a numeric _AUDIT_TYPE", event.ErrField)
		}
		name = num // the header parser maps numbers to names
	}
	if !d.inner.formats.IsAuditType([]byte(name)) {
		return nil, fmt.Errorf("%w: bad _AUDIT_TYPE_NAME %.40q", event.ErrField, name)
	}
	var stamp string
	serial := strings.TrimSpace(m["_AUDIT_ID"].s)
	if us, err := strconv.ParseUint(strings.TrimSpace(m["_SOURCE_REALTIME_TIMESTAMP"].s), 10, 64); err == nil && us > 0 {
		stamp = fmt.Sprintf("%d.%03d", us/1e6, us/1e3%1e3)
	} else if t, s, ok := strings.Cut(hdrTime, ":"); ok {
		stamp = t
		if serial == "" {
			serial = s
		}
	} else {
		return nil, fmt.Errorf("%w: audit entry without _SOURCE_REALTIME_TIMESTAMP", event.ErrField)
	}
	if _, err := strconv.ParseUint(serial, 10, 64); err != nil {
		return nil, fmt.Errorf("%w: audit entry without a numeric _AUDIT_ID", event.ErrField)
	}
	b := d.buf[:0]
	if validNode(host) {
		b = append(append(append(b, "node="...), host...), ' ')
	}
	b = append(append(b, "type="...), name...)
	b = append(append(b, " msg=audit("...), stamp...)
	b = append(append(append(b, ':'), serial...), "): "...)
	b = append(b, msg...)
	d.buf = b
	return b, nil
}

// journalField is one field of a journald JSON entry: a string, an array
// of byte values (not UTF-8), an array of values (the field repeats; the
// first is kept), a number, or null.
type journalField struct {
	s    string
	null bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *journalField) UnmarshalJSON(b []byte) error {
	*f = journalField{}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value")
	case string(b) == "null":
		f.null = true
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &f.s)
	case b[0] == '[':
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		if len(arr) == 0 {
			return nil
		}
		if t := bytes.TrimSpace(arr[0]); len(t) > 0 && (t[0] == '"' || t[0] == '[' || string(t) == "null") {
			return f.UnmarshalJSON(arr[0]) // repeated field: the first value
		}
		raw := make([]byte, 0, len(arr))
		for _, e := range arr {
			v, err := strconv.ParseUint(string(bytes.TrimSpace(e)), 10, 8)
			if err != nil {
				return fmt.Errorf("byte array holds %.20q", e)
			}
			raw = append(raw, byte(v))
		}
		// Keep the bytes as they are (lossless): the record parsers decide
		// what to do with invalid UTF-8, as they do for audit.log.
		f.s = string(raw)
		return nil
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		f.s = string(b)
		return nil
	case string(b) == "true" || string(b) == "false":
		f.s = string(b)
		return nil
	}
	return fmt.Errorf("unexpected value %.20q", b)
}
