package auditd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Reassembly of auditd records into events.
//
// go-libaudit's Reassembler keys events by serial alone and expires them on
// the wall clock; offline that merges hosts and makes results depend on
// machine speed. Here an event is keyed by (node, timestamp, serial) within
// one input, and completes deterministically: on its PROCTITLE or EOE record,
// at once for user-space record types, when DefaultWindow newer records have
// gone by without adding to it, or at the end of the input.

// DefaultWindow is how many records may pass before an event that is still
// open is taken as complete. auditd writes no EOE lines to disk, and kernel
// records of one event are written together, so a small window suffices;
// it only matters for events that lack a PROCTITLE.
const DefaultWindow = 1024

// maxLine bounds one line (event.MaxLine).
const maxLine = event.MaxLine

type eventKey struct {
	node   string
	sec    int64
	msec   int32
	serial uint64
}

// rawRecord is one line of a pending event, as offsets into pending.buf.
type rawRecord struct {
	typ      uint16
	name     string
	start    int32 // line start in buf
	rec      int32 // "type=" start
	body     int32
	enriched int32
	end      int32
	line     int
}

// rawEvent is a reassembled event: its lines and where they came from.
type orderEntry struct {
	key eventKey
	gen uint64
}

type rawEvent struct {
	key     eventKey
	gen     uint64 // which use of a recycled buffer this is
	buf     []byte
	recs    []rawRecord
	first   Pos
	last    int   // records counter when last extended
	seq     int64 // order of completion
	done    bool
	skipped int

	// Records past the event's limits, dropped: how many, their bytes,
	// and the first one, which the report points at.
	cutRecs  int
	cutBytes int64
	cutPos   Pos
	cutLine  string
	cutWhy   string
}

// assembler reads one auditd input and yields raw events in completion order.
type assembler struct {
	in      *Input
	r       *bufio.Reader
	lp      *lineParser
	window  int
	lim     Limits
	line    int
	offset  int64
	records int
	pending map[eventKey]*rawEvent
	// order lists pending events in arrival order for the window. It holds
	// keys, not pointers: a completed event goes to a decoder goroutine and
	// its buffer is recycled, so the assembler must not look at it again.
	order []orderEntry
	gen   uint64
	ready []*rawEvent // complete, from head on
	head  int
	errs  *ErrorList
	eof   bool
	pool  *sync.Pool // of *rawEvent, returned by release once decoded
	// last is the pending event the previous record joined, nil once it
	// completed: an event's records are written one after another, so
	// most records find their event here without hashing the key.
	last *rawEvent
}

func newAssembler(in *Input, r io.Reader, window int, lim Limits) *assembler {
	if window <= 0 {
		window = DefaultWindow
	}
	var br *bufio.Reader
	if r != nil {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	return &assembler{
		in: in, r: br, lp: newLineParser(), window: window, lim: lim.withDefaults(),
		pending: make(map[eventKey]*rawEvent), errs: in.Errors,
	}
}

// readLine returns the next line without its newline, growing past the
// bufio buffer for long lines (encoding/csv's readLine).
func (a *assembler) readLine(long *[]byte) ([]byte, error) {
	line, err := a.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		*long = append((*long)[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = a.r.ReadSlice('\n')
			if len(*long) < maxLine {
				*long = append(*long, line...)
			}
		}
		line = *long
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
	}
	a.offset += int64(len(line))
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line, err
}

// next returns the next complete event, or io.EOF.
func (a *assembler) next() (*rawEvent, error) {
	var long []byte
	for a.head == len(a.ready) {
		if a.eof {
			return nil, io.EOF
		}
		start := a.offset
		line, err := a.readLine(&long)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				a.errs.Add(newError(Pos{File: a.in.Path, Line: a.line + 1, Offset: start}, "", err))
			}
			a.eof = true
			a.flushAll()
			break
		}
		a.line++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		a.feed(Pos{File: a.in.Path, Line: a.line, Offset: start}, line)
	}
	if ev := a.pop(); ev != nil {
		return ev, nil
	}
	return nil, io.EOF
}

// feed adds one line (without its newline) at pos. The line is copied, so
// the caller may reuse its buffer. Complete events queue up for pop.
func (a *assembler) feed(pos Pos, line []byte) {
	a.records++
	if len(line) >= maxLine {
		a.bad(pos, line, ErrTooLong)
		return
	}
	h, err := a.lp.parse(line)
	if err != nil {
		a.bad(pos, line, err)
		return
	}
	a.add(pos, line, &h)
	if a.records%64 == 0 {
		a.expire()
	}
}

// pop returns the next complete event, or nil.
func (a *assembler) pop() *rawEvent {
	if a.head == len(a.ready) {
		return nil
	}
	ev := a.ready[a.head]
	a.ready[a.head] = nil
	a.head++
	if a.head == len(a.ready) {
		// start again at the front of the array (slicing the front off
		// left no room, and appending allocated for most events)
		a.ready, a.head = a.ready[:0], 0
	}
	return ev
}

func (a *assembler) bad(pos Pos, line []byte, err error) {
	*a.in.Malformed++
	a.errs.Add(newError(pos, string(line), err))
}

func (a *assembler) add(pos Pos, line []byte, h *header) {
	k := eventKey{node: h.Node, sec: h.Sec, msec: h.Msec, serial: h.Serial}
	ev := a.last
	if ev == nil || ev.key != k {
		ev = a.pending[k]
	}
	a.last = ev
	if ev == nil {
		ev = a.newRaw()
		a.gen++
		ev.key, ev.first, ev.gen = k, pos, a.gen
		a.pending[k] = ev
		a.order = append(a.order, orderEntry{k, a.gen})
		a.last = ev
	} else if why := a.overLimit(ev, line); why != "" {
		// Past the event's limits (the first record is always kept, so
		// an event is never empty): drop the record but let it end the
		// event as it would have. BytesPerEvent ≤ 1 GiB and a line <
		// maxLine keep the int32 offsets below from overflowing.
		a.cut(ev, pos, line, why)
		ev.last = a.records
		if h.TypeNum == typeProctitle || h.TypeNum == typeEOE {
			a.complete(ev)
		}
		return
	} else if len(ev.buf) > 0 {
		ev.buf = append(ev.buf, '\n')
	}
	base := int32(len(ev.buf))
	ev.buf = append(ev.buf, line...)
	ev.recs = append(ev.recs, rawRecord{
		typ: h.TypeNum, name: h.Type, start: base, rec: base + int32(h.Start),
		body: base + int32(h.Body), enriched: base + int32(h.Enriched),
		end: int32(len(ev.buf)), line: pos.Line,
	})
	ev.last = a.records
	switch {
	case h.TypeNum == typeProctitle, h.TypeNum == typeEOE:
		a.complete(ev)
	case standalone(h.TypeNum) && len(ev.recs) == 1:
		a.complete(ev)
	}
}

// newRaw takes a recycled event buffer: events are the bulk of what the
// parser allocates, and their buffers are dead once decoded.
func (a *assembler) newRaw() *rawEvent {
	if a.pool != nil {
		if ev, ok := a.pool.Get().(*rawEvent); ok {
			return ev
		}
	}
	return &rawEvent{buf: make([]byte, 0, 2048), recs: make([]rawRecord, 0, 8)}
}

// release returns a decoded event's buffers for reuse.
func release(pool *sync.Pool, ev *rawEvent) {
	if pool == nil || cap(ev.buf) > 64<<10 {
		return // a huge argv: let it go rather than pin it
	}
	*ev = rawEvent{buf: ev.buf[:0], recs: ev.recs[:0]}
	pool.Put(ev)
}

// overLimit says why line may not join ev, or "". Once an event is cut,
// every later record of it is cut too, so that what is kept is its start.
func (a *assembler) overLimit(ev *rawEvent, line []byte) string {
	switch {
	case ev.cutRecs > 0:
		return ev.cutWhy
	case len(ev.recs) >= a.lim.RecordsPerEvent:
		return fmt.Sprintf("more than %d records", a.lim.RecordsPerEvent)
	case len(ev.buf)+1+len(line) > a.lim.BytesPerEvent:
		return fmt.Sprintf("more than %d bytes", a.lim.BytesPerEvent)
	}
	return ""
}

// cut drops a record past its event's limits, counting it as malformed; the
// event reports the cut once, when it completes.
func (a *assembler) cut(ev *rawEvent, pos Pos, line []byte, why string) {
	*a.in.Malformed++
	if ev.cutRecs == 0 {
		ev.cutPos, ev.cutWhy = pos, why
		ev.cutLine = string(line[:min(len(line), 128)])
	}
	ev.cutRecs++
	ev.cutBytes += int64(len(line)) + 1
}

func (a *assembler) complete(ev *rawEvent) {
	if ev.done {
		return
	}
	if ev.cutRecs > 0 {
		k := ev.key
		a.errs.Add(newError(ev.cutPos, ev.cutLine, fmt.Errorf(
			"%w: event audit(%d.%03d:%d) begun at line %d has %s: its last %d records (%d bytes) cut",
			ErrLimit, k.sec, k.msec, k.serial, ev.first.Line, ev.cutWhy, ev.cutRecs, ev.cutBytes)))
	}
	ev.done = true
	delete(a.pending, ev.key)
	if a.last == ev {
		a.last = nil
	}
	a.ready = append(a.ready, ev)
}

// expire completes the oldest pending events that the window has passed.
func (a *assembler) expire() {
	i := 0
	for ; i < len(a.order); i++ {
		ev := a.pending[a.order[i].key]
		if ev == nil || ev.gen != a.order[i].gen {
			continue // completed already
		}
		if a.records-ev.last < a.window {
			break
		}
		a.complete(ev)
	}
	if i > 0 {
		a.order = append(a.order[:0], a.order[i:]...)
	}
}

func (a *assembler) flushAll() {
	for _, o := range a.order {
		if ev := a.pending[o.key]; ev != nil && ev.gen == o.gen {
			a.complete(ev)
		}
	}
	a.order = nil
}

// auditDecoder runs the assembler and normalizer line by line, for auditd
// records that arrive wrapped in another format (journald exports, log
// shipper envelopes, syslog files mixed with other lines). It reports its
// own bad lines into the input's ErrorList, so Line never returns an error.
type auditDecoder struct {
	in *Input
	a  *assembler
	n  *normalizer
}

func newAuditDecoder(in *Input, opts *Options) *auditDecoder {
	return &auditDecoder{in: in, a: newAssembler(in, nil, opts.Window, opts.Limits), n: newNormalizer(opts)}
}

// Line feeds one auditd line (already unwrapped) and appends completed events.
func (d *auditDecoder) Line(pos Pos, line []byte, out []*Event) ([]*Event, error) {
	d.a.feed(pos, line)
	return d.drain(out), nil
}

// Flush completes every pending event.
func (d *auditDecoder) Flush(out []*Event) []*Event {
	d.a.flushAll()
	return d.drain(out)
}

func (d *auditDecoder) drain(out []*Event) []*Event {
	for raw := d.a.pop(); raw != nil; raw = d.a.pop() {
		ev, errs := d.n.normalize(d.in, raw)
		for _, e := range errs {
			d.in.Errors.Add(e)
		}
		*d.in.Malformed += BadRecords(errs)
		out = append(out, ev)
	}
	return out
}
