package parser

import (
	"bufio"
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/proctree"
)

// Options configure a Reader.
type Options struct {
	// Host names the host of records that carry no node= name.
	Host string
	// Users and Groups map ids to names from the evidence's own /etc/passwd
	// and /etc/group (--passwd, --group); never from the analyst's machine.
	Users  map[uint32]string
	Groups map[uint32]string
	// Workers is the number of goroutines that decode auditd fields;
	// 0 means GOMAXPROCS.
	Workers int
	// Window is the reassembly window in records; 0 means DefaultWindow.
	Window int
	// ClockSkew shifts the times of every event of a format (key: format
	// name such as "access-log") or of one input (key: its path), to line
	// up sources whose clocks disagree.
	ClockSkew map[string]time.Duration
	// Progress, when set, is advanced by the bytes of stored input read,
	// for a progress display.
	Progress *atomic.Int64
	// SpillLimit, when > 0, bounds the processes the tree keeps in memory:
	// beyond it, the subtrees quiet longest move to a temporary file in
	// SpillDir ("" for the system's) and come back when the log names them
	// again. Callers that keep a process past the event at hand pin it
	// (Process.Pin); 0 keeps every process in memory.
	SpillLimit int
	SpillDir   string
	// Limits bound what one input may make the parser hold; the zero
	// value means the defaults (see Limits).
	Limits Limits
	// PoisonRecycled makes Reader.Recycle overwrite the events it takes
	// back with garbage instead of reusing them (see Reader.Recycle).
	PoisonRecycled bool

	blocks *event.Blocks // set by NewReader: the auditd events' blocks
}

// Stats counts what a Reader read.
type Stats struct {
	Inputs     int
	Records    int
	Events     int
	Malformed  int
	Duplicates int
	Processes  int
	Spill      SpillStats // what the tree moved to disk and back
	Retained   Retention  // what consumers retained of the events (Event.Retain)
}

// Reader reads events from a set of inputs, merged in time order, and
// builds their process trees as it goes. It is pull-based, like
// encoding/csv.Reader: call Next until io.EOF.
type Reader struct {
	opts    Options
	inputs  []*Input
	streams []stream
	heads   eventHeap
	started bool
	tree    *Tree
	events  int
	kept    event.Retention // counted by Event.Retain
	// compacted shares the copies Compact takes (recycle.go)
	compacted event.Strings
	inodes    inodeNames // absolute names of inodes, for dirfd-relative targets (inodes.go)
}

// stream yields the events of one or more inputs in order.
type stream interface {
	next() (*Event, error) // io.EOF at the end
	close()
}

// NewReader returns a Reader over inputs found by Resolve.
func NewReader(inputs []*Input, opts Options) *Reader {
	t := NewTree()
	if opts.SpillLimit > 0 {
		t.SpillTo(opts.SpillDir, opts.SpillLimit)
	}
	proctree.SetMaxHosts(t, opts.Limits.MaxHosts)
	opts.Limits.Decompress.decoders = newZstdPool()
	opts.blocks = &event.Blocks{Poison: opts.PoisonRecycled}
	return &Reader{opts: opts, inputs: inputs, tree: t}
}

// Inputs returns the inputs with what reading them found so far.
func (r *Reader) Inputs() []*Input { return r.inputs }

// Tree returns the process trees built from the events read so far.
func (r *Reader) Tree() *Tree { return r.tree }

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	s := Stats{Inputs: len(r.inputs), Events: r.events, Processes: r.tree.Len()}
	s.Spill = r.tree.SpillStats()
	s.Retained = r.kept
	for _, in := range r.inputs {
		s.Records += in.Records
		s.Malformed += in.Malformed
		s.Duplicates += in.Duplicates
	}
	return s
}

func (r *Reader) start() {
	r.started = true
	var audit []*Input
	for _, in := range r.inputs {
		if in.Format == FormatAuditd {
			audit = append(audit, in)
			continue
		}
		def := formatDefOf(in.Format)
		if def == nil || def.newDecoder == nil {
			in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: fmt.Errorf("%w: no decoder for format %q", ErrFormat, in.Format)})
			continue
		}
		r.streams = append(r.streams, newLineStream(in, def.newDecoder(in, &r.opts), r.skew(in), r.opts.Host, r.opts.Progress, r.opts.Limits.Decompress))
	}
	if len(audit) > 0 {
		r.streams = append([]stream{newAuditStream(audit, &r.opts)}, r.streams...)
	}
	for i, s := range r.streams {
		r.push(i, s)
	}
}

func (r *Reader) skew(in *Input) time.Duration {
	if d, ok := r.opts.ClockSkew[in.Path]; ok {
		return d
	}
	return r.opts.ClockSkew[string(in.Format)]
}

func (r *Reader) push(i int, s stream) {
	ev, err := s.next()
	if err != nil {
		s.close()
		return
	}
	heap.Push(&r.heads, head{ev: ev, stream: i})
}

// Next returns the next event in time order across inputs, with Proc set
// for process events, or io.EOF after the last one. Within one input the
// order of the input is kept.
func (r *Reader) Next() (*Event, error) {
	if !r.started {
		r.start()
	}
	if r.heads.Len() == 0 {
		if err := r.tree.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	// The stream's next event takes the place of the one returned
	// (heap.Fix): heap.Pop and heap.Push box a head in an interface, two
	// allocations an event.
	h := r.heads[0]
	if ev, err := r.streams[h.stream].next(); err == nil {
		r.heads[0].ev = ev
		heap.Fix(&r.heads, 0)
	} else {
		r.streams[h.stream].close()
		heap.Pop(&r.heads)
	}
	r.inodes.observe(h.ev)
	r.tree.Observe(h.ev)
	event.CountRetention(h.ev, &r.kept)
	r.events++
	return h.ev, nil
}

// Close stops reading; the goroutines of unfinished inputs end.
func (r *Reader) Close() {
	for _, s := range r.streams {
		s.close()
	}
	r.tree.Close()
	r.opts.Limits.Decompress.decoders.close()
}

// All reads every event, calling fn for each (an iter.Seq-style helper for
// callers that do not need to stop early).
func (r *Reader) All(fn func(*Event)) error {
	for {
		ev, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fn(ev)
	}
}

type head struct {
	ev     *Event
	stream int
}

type eventHeap []head

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	a, b := h[i].ev.Time, h[j].ev.Time
	if !a.Equal(b) {
		return a.Before(b)
	}
	return h[i].stream < h[j].stream
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(head)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ---- auditd: a sequential reassembler feeding parallel field decoders ----

// A batch holds batchSize events or batchBytes of records, whichever
// comes first: events of tens of MiB (huge execs, long joined container
// lines) must not queue by the hundred; queuedBatches wait in each channel.
// Four are a few milliseconds of work, enough to keep two workers busy; 16
// held some 20 MB more of raw and normalized events for nothing (peak RSS
// of tree --stats on 200 MB: 156 MB with 16, 140 MB with 4, same CPU).
const (
	batchSize     = 256
	batchBytes    = 4 << 20
	queuedBatches = 4
)

type batch struct {
	in   *Input
	ain  *auditd.Input // in, as the normalizer sees it
	raws []*auditd.RawEvent
	evs  []*Event
	errs []*Error
	last bool // the input's final batch: its counts are final
	done chan struct{}

	bytes int // of raws, to bound the bytes in flight as well as the events
	bad   int // records errs are about
}

// auditStream reads auditd inputs one after another (a rotated set, oldest
// first) and decodes their events on Workers goroutines while keeping their
// order.
type auditStream struct {
	order chan *batch
	stop  chan struct{}
	pool  *sync.Pool
	once  sync.Once
	cur   *batch
	i     int

	// dedup of events repeated by overlapping rotations
	inputs    []*Input
	inputIdx  map[*Input]int
	curIn     *Input
	curTail   map[rawKey]struct{} // tailkeys.go
	prevIn    *Input
	prevTail  map[rawKey]struct{}
	tailKeys  rawKeys
	nextFirst time.Time

	// disorder of an input read once (stdin), see order.go
	tracker   *orderTracker
	trackedIn *Input

	// field errors of the input being read, held until its last batch
	fieldErrs ErrorList
	fieldBad  int
}

func newAuditStream(inputs []*Input, opts *Options) *auditStream {
	s := &auditStream{order: make(chan *batch, queuedBatches), stop: make(chan struct{}), inputs: inputs, inputIdx: map[*Input]int{}, tailKeys: newRawKeys()}
	for i, in := range inputs {
		s.inputIdx[in] = i
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan *batch, queuedBatches) // bounds the events in flight: memory
	norm := auditd.NewNormalizer(opts.auditd())
	pool := &sync.Pool{}
	s.pool = pool
	for w := 0; w < workers; w++ {
		go func() {
			for b := range jobs {
				b.evs = make([]*Event, 0, len(b.raws))
				for _, raw := range b.raws {
					ev, errs := norm.Normalize(b.ain, raw)
					b.evs = append(b.evs, ev)
					b.errs = append(b.errs, errs...)
					b.bad += auditd.BadRecords(errs)
					auditd.Release(pool, raw)
				}
				b.raws = nil
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(s.order)
		defer close(jobs)
		send := func(b *batch) bool {
			select {
			case s.order <- b:
			case <-s.stop:
				return false
			}
			jobs <- b
			return true
		}
		for _, in := range inputs {
			if !s.readInput(in, opts, send) {
				return
			}
		}
	}()
	return s
}

func (s *auditStream) readInput(in *Input, opts *Options, send func(*batch) bool) bool {
	if in.Compression == "" && in.open != nil && in.Path != "-" && !in.hashedApart {
		in.startStoredHash(s.stop) // hashread.go
	}
	if m := s.planOrder(in, opts); m != nil { // out of time order: see order.go
		defer m.close()
		return s.sendAll(in, m.next, in.awaitHash, send)
	}
	r, done, err := openStream(in, opts.Progress, opts.Limits.Decompress)
	if err != nil {
		in.awaitHash()
		in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: err})
		// send hands the batch to a worker, which closes done: a
		// closed one here panicked the worker
		return send(&batch{in: in, last: true, done: make(chan struct{})})
	}
	a := auditd.NewAssembler(auditInput(in), r, opts.auditd(), s.pool)
	return s.sendAll(in, a.Next, func() { in.Records = a.Records(); done() }, send)
}

// sendAll sends the raw events of next in batches; finish runs before the
// input's last batch, whose counts are then final.
func (s *auditStream) sendAll(in *Input, next func() (*auditd.RawEvent, error), finish func(), send func(*batch) bool) bool {
	ain := auditInput(in)
	b := &batch{in: in, ain: ain, done: make(chan struct{})}
	for {
		raw, err := next()
		if err != nil {
			break
		}
		b.raws = append(b.raws, raw)
		b.bytes += raw.Size()
		if len(b.raws) == batchSize || b.bytes >= batchBytes {
			if !send(b) {
				return false
			}
			b = &batch{in: in, ain: ain, done: make(chan struct{})}
		}
	}
	finish()
	b.last = true
	return send(b)
}

func (s *auditStream) next() (*Event, error) {
	for {
		if s.cur != nil && s.i < len(s.cur.evs) {
			ev := s.cur.evs[s.i]
			s.i++
			if s.duplicate(s.cur.in, ev) {
				continue
			}
			in := s.cur.in
			s.trackOrder(in, ev)
			if in.First.IsZero() || ev.Time.Before(in.First) {
				in.First = ev.Time
			}
			if ev.Time.After(in.Last) {
				in.Last = ev.Time
			}
			return ev, nil
		}
		b, ok := <-s.order
		if !ok {
			return nil, io.EOF
		}
		<-b.done
		s.addErrors(b)
		s.cur, s.i = b, 0
	}
}

// duplicate reports whether ev repeats an event of the previous input of the
// chain: rotated files overlap when a copy was taken while auditd wrote.
// Only events in the overlap are remembered, and only identical records count.
func (s *auditStream) duplicate(in *Input, ev *Event) bool {
	if in != s.curIn {
		s.prevIn, s.prevTail = s.curIn, s.curTail
		s.curIn, s.curTail = in, nil
		s.nextFirst = time.Time{}
		if i := s.inputIdx[in]; i+1 < len(s.inputs) {
			s.nextFirst = s.inputs[i+1].first
		}
	}
	inOverlap := s.prevIn != nil && !ev.Time.After(s.prevIn.Last)
	inTail := !s.nextFirst.IsZero() && !ev.Time.Before(s.nextFirst)
	if !inOverlap && !inTail {
		// hashing the record is most of this check's cost, and an event
		// outside both overlaps (every event of a single file) needs none
		return false
	}
	raw := s.tailKeys.of(ev.Evidence[0].Raw)
	if inOverlap {
		if _, ok := s.prevTail[raw]; ok {
			in.Duplicates++
			return true
		}
	}
	if inTail {
		if s.curTail == nil {
			s.curTail = map[rawKey]struct{}{}
		}
		s.curTail[raw] = struct{}{}
	}
	return false
}

func (s *auditStream) close() {
	s.once.Do(func() {
		close(s.stop)
		go func() { // drain so the producer and workers can finish
			for b := range s.order {
				<-b.done
			}
		}()
	})
}

// ---- other formats: one goroutine per input running its decoder ----

type lineStream struct {
	evs  chan []*Event
	stop chan struct{}
	once sync.Once
	buf  reorder // events in time order (see reorder.go)
	done bool    // evs is closed
}

func newLineStream(in *Input, d decoder, skew time.Duration, host string, progress *atomic.Int64, lim DecompressLimits) *lineStream {
	s := &lineStream{evs: make(chan []*Event, 16), stop: make(chan struct{})}
	go func() {
		defer close(s.evs)
		r, done, err := openStream(in, progress, lim)
		if err != nil {
			in.Errors.Add(&Error{Pos: Pos{File: in.Path}, Err: err})
			return
		}
		defer done()
		br := bufio.NewReaderSize(r, 1<<20)
		var out []*Event
		var long []byte
		line, offset := 0, int64(0)
		outBytes := 0 // of the lines behind out: bounds a batch of long lines
		flush := func(force bool) bool {
			if len(out) == 0 || (!force && len(out) < batchSize && outBytes < batchBytes) {
				return true
			}
			if out = dropOutOfRange(in, out); len(out) == 0 {
				outBytes = 0
				return true
			}
			for _, ev := range out {
				ev.Time = ev.Time.Add(skew)
				if ev.Source == "" {
					ev.Source = in.Format
				}
				if ev.Host == "" {
					ev.Host = host
				}
				if in.First.IsZero() || ev.Time.Before(in.First) {
					in.First = ev.Time
				}
				if ev.Time.After(in.Last) {
					in.Last = ev.Time
				}
			}
			select {
			case s.evs <- out:
			case <-s.stop:
				return false
			}
			out, outBytes = nil, 0
			return true
		}
		for {
			b, err := br.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				long = append(long[:0], b...)
				for err == bufio.ErrBufferFull {
					b, err = br.ReadSlice('\n')
					if len(long) < maxLine {
						long = append(long, b...)
					}
				}
				b = long
			}
			if len(b) == 0 && err != nil {
				if err != io.EOF {
					in.Errors.Add(&Error{Pos: Pos{File: in.Path, Line: line + 1}, Err: err})
				}
				break
			}
			line++
			pos := Pos{File: in.Path, Line: line, Offset: offset}
			offset += int64(len(b))
			b = bytes.TrimRight(b, "\r\n")
			if len(bytes.TrimSpace(b)) == 0 {
				continue
			}
			in.Records++
			outBytes += len(b)
			var derr error
			out, derr = d.Line(pos, b, out)
			if derr != nil {
				if !errors.Is(derr, ErrRepaired) { // a warning: the events are kept
					in.Malformed++
				}
				var pe *Error
				if !errors.As(derr, &pe) {
					pe = newError(pos, string(b), derr)
				}
				in.Errors.Add(pe)
			}
			if !flush(false) {
				return
			}
		}
		out = d.Flush(out)
		flush(true)
	}()
	return s
}

func (s *lineStream) next() (*Event, error) {
	for !s.done && !s.buf.ready() {
		b, ok := <-s.evs
		if !ok {
			s.done = true
			break
		}
		for _, ev := range b {
			s.buf.add(ev)
		}
	}
	if ev := s.buf.pop(); ev != nil {
		return ev, nil
	}
	return nil, io.EOF
}

func (s *lineStream) close() {
	s.once.Do(func() {
		close(s.stop)
		go func() {
			for range s.evs {
			}
		}()
	})
}

// ParseIDFile reads an /etc/passwd or /etc/group file of the evidence
// (see ContextFile) into an id → name map. Malformed lines are reported
// with file:line.
func ParseIDFile(path string, r io.Reader) (map[uint32]string, error) {
	m := map[uint32]string{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if l == "" || l[0] == '#' {
			continue
		}
		parts := strings.Split(l, ":")
		if len(parts) < 3 {
			return nil, fmt.Errorf("%s:%d: want name:x:id:…, got %q", path, n, l)
		}
		id, err := strconv.ParseUint(parts[2], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad id %q", path, n, parts[2])
		}
		if _, dup := m[uint32(id)]; !dup {
			m[uint32(id)] = parts[0]
		}
	}
	return m, sc.Err()
}

// Add adds the counts of another reader, for a run that read its inputs
// with one reader per host partition.
func (s *Stats) Add(o Stats) {
	s.Inputs += o.Inputs
	s.Records += o.Records
	s.Events += o.Events
	s.Malformed += o.Malformed
	s.Duplicates += o.Duplicates
	s.Processes += o.Processes
	s.Spill.Spilled += o.Spill.Spilled
	s.Spill.Faults += o.Spill.Faults
	s.Spill.PathFaults += o.Spill.PathFaults
	s.Spill.Bytes += o.Spill.Bytes
	if s.Spill.Unavailable == "" {
		s.Spill.Unavailable = o.Spill.Unavailable
	}
	s.Retained.Events += o.Retained.Events
	s.Retained.TextEvents += o.Retained.TextEvents
	s.Retained.TextBytes += o.Retained.TextBytes
}
