package container

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Docker json-file container logs (/var/lib/docker/containers/<id>/<id>-json.log):
//
//	{"log":"10.0.0.5 - - [25/Nov/2026:20:15:22 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\" \"-\"\n","stream":"stdout","time":"2026-11-25T20:15:22.123456789Z"}
//
// dockerd cuts output into 16 KiB chunks; a chunk whose log lacks the final
// "\n" continues in the next entry of the same stream. The container is named
// only by the path (the full id) and the config.v2.json beside the log.

// WrapperSkew is how far the time an access line carries may drift from the
// time its container-log wrapper (json-file "time", CRI prefix) gives before
// the event keeps the wrapper time too; see WrapperTime. The web server
// writes the line when a request ends and the runtime stamps it a moment
// later, so a few seconds is normal, more is a wrong clock or a wrong zone.
const WrapperSkew = 5 * time.Second

// DefaultMaxJoinedLine bounds a line rebuilt from partial chunks (CRI "P",
// json-file entries without "\n"): a process that never writes a newline
// must not make the decoder hold its whole output. parser.Limits.MaxJoinedLine
// overrides it.
const DefaultMaxJoinedLine = 1 << 20

// ErrJoinLimit marks a line cut at MaxJoinedLine.
var ErrJoinLimit = errors.New("joined line too long")

// partialLine is a line being rebuilt from chunks of one stream.
type partialLine struct {
	text   []byte
	raw    []byte // the chunks' records, "\n"-joined, as in the file
	pos    event.Pos
	time   time.Time
	active bool
	// dropping: the line passed the bound and was emitted cut; its
	// further chunks are dropped until the one that ends it.
	dropping bool
}

// containerLog turns the lines a container wrote into events. It is shared
// by the json-file and CRI decoders, which differ only in their framing.
type containerLog struct {
	container event.Container
	source    event.Format
	partial   [3]partialLine // stdout, stderr, anything else
	maxJoined int            // 0: DefaultMaxJoinedLine
	access    AccessFunc     // nil: no line is an access line
}

// AccessFunc makes the KindHTTP event of a container's output line that is
// an access-log line, and returns nil for any other line. It comes from
// parser, so that this family need not import the access-log family.
type AccessFunc func(text []byte, source event.Format) *event.Event

func streamIndex(stream string) int {
	switch stream {
	case "stdout":
		return 0
	case "stderr":
		return 1
	}
	return 2
}

// chunk adds one chunk of a stream's output; complete says the chunk ends a
// line. Complete lines become events, appended to out. A line that grows
// past maxJoined is emitted at once, cut there, rather than dropped: its
// head holds what identifies it (a request line, a command), and the event
// keeps its place in the timeline. The rest of the line is dropped, and
// the cut is returned as an error (ErrJoinLimit) with the file:line where
// the bound was passed.
func (c *containerLog) chunk(pos event.Pos, record []byte, stream string, t time.Time, text []byte, complete bool, out []*event.Event) ([]*event.Event, error) {
	p := &c.partial[streamIndex(stream)]
	if p.dropping {
		p.dropping = !complete
		return out, nil
	}
	if !p.active && complete {
		return c.emit(pos, string(record), t, text, out), nil
	}
	if !p.active {
		*p = partialLine{pos: pos, time: t, active: true, text: p.text[:0], raw: p.raw[:0]}
	} else {
		p.raw = append(p.raw, '\n')
	}
	p.raw = append(p.raw, record...)
	p.text = append(p.text, text...)
	max := c.maxJoined
	if max <= 0 {
		max = DefaultMaxJoinedLine
	}
	if len(p.text) < max && len(p.raw) < 2*max {
		if complete {
			return c.flushPartial(p, out), nil
		}
		return out, nil
	}
	// the bound: emit the line cut, drop the rest of it
	start := p.pos
	p.text = p.text[:min(len(p.text), max)]
	p.raw = p.raw[:min(len(p.raw), 2*max)]
	kept, blank := len(p.text), len(bytes.TrimSpace(p.text)) == 0
	out = c.flushPartial(p, out) // may free p.text
	p.dropping = !complete
	what := "the rest of the line, up to its last chunk, dropped"
	if complete {
		what = "the rest of this chunk dropped"
	}
	head := "its first " + event.ByteSize(int64(kept)) + " kept as one event"
	if blank {
		head = "its chunks held no text" // the records alone passed the bound
	}
	return out, event.NewError(pos, "", fmt.Errorf("%w: a %s line joined from partial chunks since line %d passed %s (--max-joined-line): %s, %s",
		ErrJoinLimit, stream, start.Line, event.ByteSize(int64(max)), head, what))
}

func (c *containerLog) flushPartial(p *partialLine, out []*event.Event) []*event.Event {
	if !p.active {
		return out
	}
	p.active = false
	out = c.emit(p.pos, string(p.raw), p.time, p.text, out)
	if cap(p.text) > 64<<10 { // do not pin a huge buffer for the rest of the file
		p.text, p.raw = nil, nil
	}
	return out
}

// flush emits the unfinished lines at the end of the input, in file order.
func (c *containerLog) flush(out []*event.Event) []*event.Event {
	for {
		var first *partialLine
		for i := range c.partial {
			p := &c.partial[i]
			if p.active && (first == nil || p.pos.Offset < first.pos.Offset || p.pos.Offset == first.pos.Offset && p.pos.Line < first.pos.Line) {
				first = p
			}
		}
		if first == nil {
			return out
		}
		out = c.flushPartial(first, out)
	}
}

// emit makes the event of one complete line the container wrote: an access
// line becomes a KindHTTP event, anything else KindOther with the line as its
// Message; blank lines are dropped.
func (c *containerLog) emit(pos event.Pos, raw string, wrapper time.Time, text []byte, out []*event.Event) []*event.Event {
	text = bytes.TrimRight(text, "\r\n") // docker run -t writes \r\n
	if len(bytes.TrimSpace(text)) == 0 {
		return out
	}
	var ev *event.Event
	if c.access != nil && looksLikeAccess(text) {
		if ev = c.access(text, c.source); ev != nil {
			switch {
			case ev.Time.IsZero():
				ev.Time = wrapper
			case !wrapper.IsZero() && absDuration(ev.Time.Sub(wrapper)) > WrapperSkew:
				ev.SetWrapper(wrapper)
			}
			wrapperEnd(ev, wrapper)
		}
	}
	if ev == nil {
		ev = &event.Event{Kind: event.KindOther, Time: wrapper, Source: c.source, Message: string(text)}
	}
	ev.SetContainer(c.container)
	ev.Evidence = []event.Evidence{{Pos: pos, Raw: raw}}
	return append(out, ev)
}

// wrapperEnd takes the runtime's own time of an access line (stamped as it
// read the line, a moment after the request ended, to the nanosecond) as
// the request's fine end, when the line itself gave none and the two agree
// on the second: a wrapper of another clock must not move the request.
func wrapperEnd(ev *event.Event, wrapper time.Time) {
	if ev.HTTP == nil || ev.HTTP.EndBy != "" || wrapper.IsZero() {
		return
	}
	if d := wrapper.Sub(ev.Time); d > -2*time.Second && d < 2*time.Second {
		ev.HTTP.EndAfter, ev.HTTP.EndBy = wrapper.Sub(ev.Time), "container-log time"
	}
}

// looksLikeAccess is a cheap test that spares the full parse for the
// ordinary application output that makes up most container logs.
func looksLikeAccess(text []byte) bool {
	if bytes.Contains(text, []byte("[pid: ")) { // uWSGI's request line (no quotes)
		return true
	}
	if len(text) > 0 && text[0] == '{' {
		return bytes.Contains(text, []byte(`"status`))
	}
	return bytes.IndexByte(text, '[') > 0 && bytes.IndexByte(text, '"') > 0
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// dockerJSONLine is one json-file record. attrs (--log-opt labels/env/tag)
// are ignored.
type dockerJSONLine struct {
	Log    *string `json:"log"`
	Stream string  `json:"stream"`
	Time   string  `json:"time"`
}

// SniffDockerJSON accepts a json-file record: an object with a "log" string
// and no keys but those dockerd writes, so that a log shipper's records
// ({"log":…, "kubernetes":…}) are left to the envelope format.
func SniffDockerJSON(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("{")) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		// The last record of a live or copied-while-written file is often
		// cut; in a short file it must not outvote the good ones.
		return bytes.HasPrefix(line, []byte(`{"log":"`))
	}
	log, ok := m["log"]
	if !ok || len(log) == 0 || log[0] != '"' {
		return false
	}
	for k := range m {
		switch k {
		case "log", "stream", "time", "attrs":
		default:
			return false
		}
	}
	return true
}

// dockerJSONDecoder reads one json-file log.
type dockerJSONDecoder struct {
	log containerLog
}

// NewDockerJSON returns a decoder for one json-file log of container c.
// A joined line is cut at maxJoined bytes; access turns an access-log line
// into its KindHTTP event (nil when the line is not one).
func NewDockerJSON(c event.Container, maxJoined int, access AccessFunc) event.Decoder {
	return &dockerJSONDecoder{log: containerLog{container: c, source: event.FormatDockerJSON, maxJoined: maxJoined, access: access}}
}

func (d *dockerJSONDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	var rec dockerJSONLine
	if err := json.Unmarshal(line, &rec); err != nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker json-file record is not valid JSON (truncated or corrupted; skipped): %v", event.ErrFormat, err))
	}
	if rec.Log == nil {
		return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker json-file record without a \"log\" field", event.ErrFormat))
	}
	var t time.Time
	if rec.Time != "" {
		pt, err := time.Parse(time.RFC3339Nano, rec.Time)
		if err != nil {
			return out, event.NewError(pos, string(line), fmt.Errorf("%w: docker json-file record with a bad time %q", event.ErrFormat, rec.Time))
		}
		t = pt.UTC()
	}
	text := *rec.Log
	complete := strings.HasSuffix(text, "\n")
	return d.log.chunk(pos, line, rec.Stream, t, []byte(text), complete, out)
}

func (d *dockerJSONDecoder) Flush(out []*event.Event) []*event.Event { return d.log.flush(out) }
