package auditd

import (
	"cmp"
	"io"
	"sync"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// What parser's reading of auditd inputs (its parallel pipeline, the
// time-order lanes, the sniffer, the envelopes' wrapped records) uses of
// the hot path kept here: reassembly, the field scanner and normalization.

// Input is what the auditd decoders need of one of parser's inputs: its
// name for positions, and where bad records are counted and kept.
type Input struct {
	Path      string
	Errors    *ErrorList
	Malformed *int
}

// Options are the parser options the auditd decoders read.
type Options struct {
	Host   string            // the host of records without node=
	Users  map[uint32]string // uid → name from the evidence's passwd
	Window int               // the reassembly window in records; 0: DefaultWindow
	Limits Limits
	Blocks *event.Blocks // where events are allocated; nil: fresh ones
}

// RawEvent is one reassembled event's records, not yet normalized.
type RawEvent = rawEvent

// Size is the bytes of the event's records.
func (ev *rawEvent) Size() int { return len(ev.buf) }

// Assembler reads one auditd input and yields raw events in completion
// order.
type Assembler = assembler

// NewAssembler reads in's records from r. pool, when not nil, recycles the
// events' buffers (see Release).
func NewAssembler(in *Input, r io.Reader, opts *Options, pool *sync.Pool) *Assembler {
	a := newAssembler(in, r, opts.Window, opts.Limits)
	a.pool = pool
	return a
}

// Resume numbers the lines from line+1 and the offsets from offset: r
// starts there in the input.
func (a *assembler) Resume(line int, offset int64) { a.line, a.offset = line, offset }

// Next returns the next completed event, or io.EOF after the last.
func (a *assembler) Next() (*RawEvent, error) { return a.next() }

// Records returns the records read so far.
func (a *assembler) Records() int { return a.records }

// Release returns a normalized event's buffers to pool for reuse.
func Release(pool *sync.Pool, ev *RawEvent) { release(pool, ev) }

// Normalizer turns raw events into Events; it is safe for concurrent use.
type Normalizer = normalizer

// NewNormalizer returns a Normalizer with opts.
func NewNormalizer(opts *Options) *Normalizer { return newNormalizer(opts) }

// Normalize returns raw's Event and the errors of its records.
func (n *normalizer) Normalize(in *Input, raw *RawEvent) (*Event, []*Error) {
	return n.normalize(in, raw)
}

// NewDecoder decodes auditd records that arrive wrapped in another format
// line by line; it reports its bad lines into in itself.
func NewDecoder(in *Input, opts *Options) event.Decoder { return newAuditDecoder(in, opts) }

// FirstTime returns the time of the first of lines that has an audit
// header.
func FirstTime(lines [][]byte) (time.Time, bool) {
	lp := newLineParser()
	for _, l := range lines {
		if h, err := lp.parse(trimCR(l)); err == nil {
			return time.Unix(h.Sec, int64(h.Msec)*1e6).UTC(), true
		}
	}
	return time.Time{}, false
}

func trimCR(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

// IsTypeName reports whether b can be an audit record type name (the
// envelopes tell a wrapped audit record by it).
func IsTypeName(b []byte) bool { return isTypeName(b) }

// Compare orders raw events by time, then serial (node aside: one input's
// lanes are merged into the order of one host's log).
func Compare(a, b *RawEvent) int {
	return cmp.Or(cmp.Compare(a.key.sec, b.key.sec), cmp.Compare(a.key.msec, b.key.msec), cmp.Compare(a.key.serial, b.key.serial))
}
