package envelope

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
	"github.com/auditchain/auditchain/parser/internal/syslog"
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

// Formats is what an envelope needs of the formats it may wrap, from
// parser, which knows them all (auditd included).
type Formats struct {
	// Sniff names the format of an unwrapped record, FormatUnknown for none.
	Sniff func(rec []byte) event.Format
	// New makes the decoder of a wrapped format, nil for one without.
	New func(f event.Format) event.Decoder
	// IsAuditType reports whether a word is an auditd record type name.
	IsAuditType func(name []byte) bool
}

// Sniff accepts a JSON object whose record field holds a record of a format
// we know (inner names it), or a syslog line whose message is one.
func Sniff(line []byte, inner func(rec []byte) event.Format) bool {
	if len(line) > 0 && line[0] == '{' {
		m := jsonrec.Object(line)
		if m == nil {
			return false
		}
		rec, _ := Record(m)
		return rec != "" && inner([]byte(rec)) != event.FormatUnknown
	}
	_, msg, ok := cutOnce(line)
	return ok && inner(msg) != event.FormatUnknown
}

// New returns a decoder for envelope lines of one input.
func New(f Formats) event.Decoder {
	return &envelopeDecoder{inner: newInnerDecoders(f)}
}

type envelopeDecoder struct {
	inner *innerDecoders
}

func (d *envelopeDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	if len(line) >= event.MaxLine {
		return out, event.NewError(pos, string(line), event.ErrTooLong)
	}
	if len(line) > 0 && line[0] == '{' {
		m, err := jsonrec.Decode(line)
		if err != nil {
			return out, event.NewError(pos, string(line), fmt.Errorf("%w: %v", event.ErrFormat, err))
		}
		rec, _ := Record(m)
		if rec == "" {
			return out, nil // a record of another kind, not ours: counted, not malformed
		}
		host := jsonrec.FirstString(m, envelopeHostFields)
		at := jsonrec.FirstTime(m, envelopeTimeFields)
		return d.inner.line(pos, []byte(rec), host, at, containerOutput(m), out)
	}
	hdr, msg, ok := cutOnce(line)
	if !ok {
		return out, nil // an ordinary syslog or text line between the records we read
	}
	return d.inner.line(pos, msg, string(syslog.Host(hdr)), time.Time{}, "", out)
}

func (d *envelopeDecoder) Flush(out []*event.Event) []*event.Event { return d.inner.flush(out) }

// Record returns the wrapped record of a JSON envelope and the field
// it came from, or "" when none of the fields holds a string.
func Record(m map[string]any) (string, string) {
	for _, f := range envelopeFields {
		if s, ok := jsonrec.Get(m, f).(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimRight(s, "\r\n"), f
		}
	}
	return "", ""
}

// innerDecoders holds one decoder per wrapped format of one input, made on
// first use, so that stateful ones (auditd reassembly, Tetragon's parent
// tracking) see all of that input's records of their format in order.
type innerDecoders struct {
	formats Formats
	audit   event.Decoder
	decs    map[event.Format]event.Decoder
	order   []event.Format // creation order, for a deterministic Flush
}

func newInnerDecoders(f Formats) *innerDecoders {
	return &innerDecoders{formats: f, decs: map[event.Format]event.Decoder{}}
}

// auditd is the input's one auditd decoder, made on first use.
func (d *innerDecoders) auditd() event.Decoder {
	if d.audit == nil {
		d.audit = d.formats.New(event.FormatAuditd)
	}
	return d.audit
}

// line decodes one unwrapped record. host and at are the envelope's; they
// fill in events that have no host or time of their own. A record of no
// format we know is skipped without error: shippers mix record kinds.
// app, when not "", says why the record is a program's own output (a
// container's stream, a service's stdout in the journal): audit record or
// Sysmon event text there is that program's words, an exec the kernel
// never logged, and is reported, not read.
func (d *innerDecoders) line(pos event.Pos, rec []byte, host string, at time.Time, app string, out []*event.Event) ([]*event.Event, error) {
	f := d.formats.Sniff(rec)
	if f == event.FormatUnknown {
		// "Nov 25 … host prog: RECORD" inside the envelope.
		if hdr, msg, ok := cutOnce(rec); ok {
			if f = d.formats.Sniff(msg); f != event.FormatUnknown {
				rec = msg
				if host == "" {
					host = string(syslog.Host(hdr))
				}
			}
		}
	}
	if app != "" && (f == event.FormatAuditd || f == event.FormatSysmon) {
		return out, event.NewError(pos, string(rec), fmt.Errorf("%w: %s record text in %s: a program's own output, not read as a record", event.ErrFormat, f, app))
	}
	switch f {
	case event.FormatUnknown:
		return out, nil
	case event.FormatAuditd:
		// The envelope's host becomes the node unless the record names its
		// own (node= or a syslog header): records of different hosts in one
		// export must not reassemble into one event.
		if host != "" && bytes.HasPrefix(rec, []byte("type=")) && validNode(host) {
			rec = append([]byte("node="+host+" "), rec...)
		}
		return d.auditd().Line(pos, rec, out)
	}
	dec := d.decs[f]
	if dec == nil {
		dec = d.formats.New(f)
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

func (d *innerDecoders) flush(out []*event.Event) []*event.Event {
	if d.audit != nil {
		out = d.audit.Flush(out)
	}
	for _, f := range d.order {
		out = d.decs[f].Flush(out)
	}
	return out
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

// cutOnce is CutSyslog for a record's line: a message that is itself a
// syslog line ("app: Nov 25 20:16:08 web1 audispd: type=SYSCALL …") is a
// program quoting text it was given, an attacker's as likely as not, and
// is not unwrapped again.
func cutOnce(line []byte) (hdr, msg []byte, ok bool) {
	hdr, msg, ok = CutSyslog(line)
	if ok {
		if _, _, nested := CutSyslog(msg); nested {
			return nil, nil, false
		}
	}
	return hdr, msg, ok
}

// CutSyslog splits a syslog line into its header and message:
//
//	Nov 25 20:15:55 web1 sysmon: MSG                 (RFC 3164)
//	<14>Nov 25 20:15:55 web1 nginx[12]: MSG          (RFC 3164 with priority)
//	2026-11-25T20:15:55.123+00:00 web1 falco: MSG    (rsyslog's RFC 3339 template)
//	<14>1 2026-11-25T20:15:55Z web1 falco 12 - - MSG (RFC 5424)
//
// ok is false when the line has no such header.
func CutSyslog(line []byte) (hdr, msg []byte, ok bool) {
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
			if _, ok := jsonrec.ParseTime(string(f[0])); !ok {
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
	case len(f) >= 5 && len(f[0]) == 3 && isMonth(f[0]) && bytes.Count(f[2], []byte(":")) == 2:
	case len(f) >= 3 && len(f[0]) >= 19 && f[0][4] == '-' && f[0][10] == 'T':
	default:
		return nil, nil, false
	}
	return h, rest[i+2:], true
}

func isMonth(b []byte) bool {
	const months = "JanFebMarAprMayJunJulAugSepOctNovDec"
	for i := 0; i+3 <= len(months); i += 3 {
		if string(b) == months[i:i+3] {
			return true
		}
	}
	return false
}

// containerOutput names what marks a shipper's document as a line a
// container wrote to its stdout or stderr (the runtime's "stream", the
// shipper's container or Kubernetes metadata), or "" when nothing does.
// Such a line is the application's own text: an intruder's program
// printing "type=EXECVE msg=audit(…) …" or a Sysmon <Event> made a record
// of the export, an exec the kernel never logged. The kernel's audit
// records and Sysmon's events reach a shipper from the host's files and
// journal, never from a container's output; access lines there are read.
func containerOutput(m map[string]any) string {
	if s, ok := jsonrec.Get(m, "stream").(string); ok && (s == "stdout" || s == "stderr") {
		return "a container's " + s
	}
	for _, k := range []string{"container.id", "container_id", "container.name", "container_name", "kubernetes", "kubernetes.pod.name", "kubernetes.pod_name"} {
		if v := jsonrec.Get(m, k); v != nil {
			return "a container's output (" + k + ")"
		}
	}
	return ""
}
