package parser

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/auditchain/auditchain/parser/internal/auditd"
)

// Input order versus record order.
//
// An audit log is written in time order, but what reaches the analyst need
// not be: rotated halves concatenated the wrong way round, pieces of several
// rotations pasted into one file, records written late by a syscall that
// blocked. Reading such a file in stored order breaks the process trees and
// the chains (a child before its parent's exec), so results would depend on
// how the evidence was copied.
//
// A bounded reorder buffer cannot fix a half-file swap (the first record to
// emit is in the middle of the file), so a file that can be opened again is
// read twice: a first pass reads only the record headers and splits the file
// into runs, each a byte range whose records go forward in time (a record
// more than ReorderTolerance older than the newest record of its host in the
// run starts a new run). A file in order is one run and is then read as
// before. Otherwise the runs are sorted by their first time and dealt into
// lanes of runs that do not overlap in time; each lane is read run after run
// (reopening the file when a run lies before the last one read), and the
// lanes are merged by record time and serial. Lanes are as many as runs
// overlap at one time — two for a late record, one for swapped halves —
// and at most maxOrderLanes; memory is one reader per lane.
//
// Standard input can be read only once: it is read in stored order and the
// places where it went back in time are counted and reported.

// ReorderTolerance is how far a record may be older than the newest one of
// its host before the file counts as out of order there. Kernel records of a
// syscall carry its entry time and are written at its exit, so a little
// disorder is normal and is left as stored.
const ReorderTolerance = time.Second

// MaxOrderRuns bounds the runs one input is split into. A file going back in
// time more often (hostile, or several hosts' clocks at odds in one file)
// is read in stored order, and that is reported.
const MaxOrderRuns = 1024

// maxOrderLanes bounds the runs read side by side (an open file and a
// decompressor each); runs beyond it join the lane that ends first, and what
// stays out of order is counted.
const maxOrderLanes = 16

// orderRun is a byte range of an input's (decompressed) text whose records
// go forward in time.
type orderRun struct {
	off, end    int64 // byte range
	line        int   // lines before the run
	first, last int64 // unix nanoseconds of its oldest and newest record
}

// orderTracker finds the places where records go back in time, per host.
type orderTracker struct {
	newest map[string]int64 // node → newest time in the current run
	tol    int64
	// The node of the last record and its newest time, which newest
	// holds a stale value for: a log's records mostly name one node (or
	// none), and the map was hashed and written for each of them.
	node   string
	t      int64
	cached bool
}

func newOrderTracker() *orderTracker {
	return &orderTracker{newest: map[string]int64{}, tol: int64(ReorderTolerance)}
}

// back records a record of node at t and reports whether it goes back in
// time past the tolerance, which starts a new run.
func (o *orderTracker) back(node string, t int64) bool {
	if o.cached && node == o.node {
		if t < o.t-o.tol {
			clear(o.newest)
			o.newest[node] = t
			o.t = t
			return true
		}
		o.t = max(o.t, t)
		return false
	}
	if o.cached {
		o.newest[o.node] = o.t
	}
	if _, ok := o.newest[node]; !ok && len(o.newest) >= 4096 {
		node = "" // bounded: a flood of host names shares one entry
	}
	n, ok := o.newest[node]
	back := false
	if ok && t < n-o.tol {
		clear(o.newest)
		o.newest[node] = t
		back = true
	} else if !ok || t > n {
		o.newest[node] = t
	}
	o.node, o.t, o.cached = node, o.newest[node], true
	return back
}

// scanOrder is the first pass: it splits the input's text into runs. cut is
// true when there were more than MaxOrderRuns.
func scanOrder(in *Input, lim DecompressLimits) (runs []orderRun, cut bool, err error) {
	if in.Compression == "" {
		return scanOrderPlain(in)
	}
	return scanOrderStream(in, lim)
}

// scanOrderStream is scanOrder line by line from openText's reader.
func scanOrderStream(in *Input, lim DecompressLimits) (runs []orderRun, cut bool, err error) {
	r, done, err := openText(in, lim)
	if err != nil {
		return nil, false, err
	}
	complete := false
	defer func() { done(complete) }()
	br := r.(*bufio.Reader) // openText's: one buffer, not one on another
	sp := newRunSplitter()
	for {
		b, err := br.ReadSlice('\n')
		n := int64(len(b))
		head := b
		for err == bufio.ErrBufferFull { // a long line: its header is in the first part
			head = append([]byte(nil), head...)
			b, err = br.ReadSlice('\n')
			n += int64(len(b))
		}
		if n == 0 {
			if err != nil && err != io.EOF {
				return nil, false, fmt.Errorf("%s:%d: %w", in.Path, sp.line+1, err)
			}
			complete = true
			break
		}
		if sp.add(head, n) {
			return sp.runs, true, nil
		}
		if err != nil {
			complete = err == io.EOF
			break
		}
	}
	return sp.finish(), false, nil
}

// runSplitter cuts a text into runs line by line (scanOrder).
type runSplitter struct {
	tr   *orderTracker
	runs []orderRun
	cur  orderRun
	off  int64
	line int
}

func newRunSplitter() *runSplitter {
	return &runSplitter{tr: newOrderTracker(), cur: orderRun{first: -1}}
}

// add takes the next line: head is its start (at least its first
// lineTimeHead bytes, or all of it), n its length with the newline. It
// reports when the runs reached MaxOrderRuns.
func (sp *runSplitter) add(head []byte, n int64) (cut bool) {
	if node, t, ok := auditd.LineTime(head); ok {
		if sp.tr.back(node, t) {
			sp.cur.end = sp.off
			sp.runs = append(sp.runs, sp.cur)
			if len(sp.runs) >= MaxOrderRuns {
				return true
			}
			sp.cur = orderRun{off: sp.off, line: sp.line, first: -1}
		}
		if sp.cur.first < 0 || t < sp.cur.first {
			sp.cur.first = t
		}
		sp.cur.last = max(sp.cur.last, t)
	}
	sp.line++
	sp.off += n
	return false
}

func (sp *runSplitter) finish() []orderRun {
	sp.cur.end = sp.off
	return append(sp.runs, sp.cur)
}

// lineTimeHead is the most of a line auditd.LineTime reads.
const lineTimeHead = 512

// The first pass over a plain file reads it in chunks of orderChunk bytes
// into one buffer and scans their lines in place. It does not hash: a plain
// file is hashed by a read of its own (hashread.go), which runs beside this
// pass and the read after it instead of holding this pass, which the whole
// scan waits for, to the pace of SHA-256.

// orderChunk is the size of those chunks (a variable for the tests, which
// cut lines across chunks).
var orderChunk = 1 << 20

// scanOrderPlain is scanOrder for an uncompressed file.
func scanOrderPlain(in *Input) (runs []orderRun, cut bool, err error) {
	f, err := in.open()
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	sp := newRunSplitter()
	var carry []byte // the start of a line the chunk ends in
	var pend int64   // that line's bytes so far
	buf := make([]byte, orderChunk)
	for {
		n, rerr := io.ReadFull(f, buf)
		data := buf[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 { // the line goes on in the next chunk
				if len(carry) < lineTimeHead {
					carry = append(carry, data[:min(len(data), lineTimeHead-len(carry))]...)
				}
				pend += int64(len(data))
				break
			}
			head, ln := data[:i+1], int64(i+1)
			if pend > 0 {
				if len(carry) < lineTimeHead {
					carry = append(carry, head[:min(len(head), lineTimeHead-len(carry))]...)
				}
				head, ln = carry, pend+ln
				carry, pend = carry[:0], 0
			}
			if sp.add(head, ln) {
				return sp.runs, true, nil // cut: read in stored order
			}
			data = data[i+1:]
		}
		if rerr == nil {
			continue
		}
		if pend > 0 { // the last line, without a newline
			if sp.add(carry, pend) {
				return sp.runs, true, nil
			}
		} else if rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return nil, false, fmt.Errorf("%s:%d: %w", in.Path, sp.line+1, rerr)
		}
		break
	}
	return sp.finish(), false, nil
}

// openText opens an input's text for the first pass: decompressed, and
// hashed as stored (hashread.go). done(complete) fills the input's SHA256
// and Bytes when the pass read the whole file.
func openText(in *Input, lim DecompressLimits) (io.Reader, func(complete bool), error) {
	f, err := in.open()
	if err != nil {
		return nil, nil, err
	}
	hr, sum := firstPassHash(in, f)
	// The same bounded decompression as the read proper: a bomb or a
	// window past the limit must not cost more here than there.
	r, release, err := decompress(in, hr, lim)
	if err != nil {
		sum(false)
		f.Close()
		return nil, nil, err
	}
	return bufio.NewReaderSize(r, 256<<10), func(complete bool) { release(); sum(complete); f.Close() }, nil
}

// orderLane is a set of runs that do not overlap in time, read one after
// another.
type orderLane struct {
	runs []orderRun
	last int64
}

// planLanes deals runs sorted by time into lanes; stray counts the runs that
// had to join a lane they overlap (beyond maxOrderLanes).
func planLanes(runs []orderRun) (lanes []*orderLane, stray int) {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b orderRun) int {
		return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.off, b.off))
	})
	tol := int64(ReorderTolerance)
	for _, r := range sorted {
		var best *orderLane
		for _, l := range lanes { // the lane that ended last before r began
			if l.last <= r.first+tol && (best == nil || l.last > best.last) {
				best = l
			}
		}
		if best == nil && len(lanes) < maxOrderLanes {
			best = &orderLane{}
			lanes = append(lanes, best)
		}
		if best == nil {
			stray++
			best = slices.MinFunc(lanes, func(a, b *orderLane) int { return cmp.Compare(a.last, b.last) })
		}
		best.runs = append(best.runs, r)
		best.last = max(best.last, r.last)
	}
	return lanes, stray
}

// laneReader reads the runs of one lane, reopening the input only when a
// run lies before the point already read.
type laneReader struct {
	in      *Input
	opts    *Options
	lane    *orderLane
	nextRun int
	r       io.Reader
	done    func()
	pos     int64
	a       *auditd.Assembler
	owner   *auditStream
	closed  bool
}

func (l *laneReader) event() (*auditd.RawEvent, error) {
	for {
		if l.a != nil {
			raw, err := l.a.Next()
			if err == nil {
				return raw, nil
			}
			l.in.Records += l.a.Records()
			l.a = nil
		}
		if l.nextRun == len(l.lane.runs) {
			l.close()
			return nil, io.EOF
		}
		run := l.lane.runs[l.nextRun]
		l.nextRun++
		if l.r == nil || l.pos > run.off {
			l.close()
			r, done, pos, err := l.open(run.off)
			if err != nil {
				return nil, err
			}
			l.r, l.done, l.pos, l.closed = r, done, pos, false
		}
		if _, err := io.CopyN(io.Discard, l.r, run.off-l.pos); err != nil {
			return nil, fmt.Errorf("%s: reading again for time order: %w", l.in.Path, err)
		}
		l.pos = run.end
		l.a = auditd.NewAssembler(auditInput(l.in), io.LimitReader(l.r, run.end-run.off), l.opts.auditd(), l.owner.pool)
		l.a.Resume(run.line, run.off)
	}
}

// open opens the input for a run at off: a file hashed apart (a plain file,
// or one the first pass hashed) is sought there (hashread.go); otherwise it
// is read from its start and pos is 0.
func (l *laneReader) open(off int64) (r io.Reader, done func(), pos int64, err error) {
	if !l.in.hashedApart {
		r, done, err := openStream(l.in, nil, l.opts.Limits.Decompress)
		return r, done, 0, err
	}
	f, err := l.in.open()
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", l.in.Path, cleanPathError(err))
	}
	return openCounted(l.in, f, off, nil, l.opts.Limits.Decompress)
}

func (l *laneReader) close() {
	if l.done != nil && !l.closed {
		l.done()
		l.closed = true
	}
}

// laneMerge yields the raw events of all lanes in (time, serial) order.
type laneMerge struct {
	lanes []*laneReader
	heads laneHeap
}

type laneHead struct {
	raw  *auditd.RawEvent
	lane int
}

type laneHeap []laneHead

func (h laneHeap) Len() int { return len(h) }
func (h laneHeap) Less(i, j int) bool {
	if c := auditd.Compare(h[i].raw, h[j].raw); c != 0 {
		return c < 0
	}
	return h[i].lane < h[j].lane
}
func (h laneHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *laneHeap) Push(x any)   { *h = append(*h, x.(laneHead)) }
func (h *laneHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (m *laneMerge) pull(i int) {
	raw, err := m.lanes[i].event()
	if err == nil {
		heap.Push(&m.heads, laneHead{raw, i})
		return
	}
	m.failed(i, err)
}

// failed reports lane i's error unless it is the lane's end.
func (m *laneMerge) failed(i int, err error) {
	if err != io.EOF {
		m.lanes[i].in.Errors.Add(&Error{Pos: Pos{File: m.lanes[i].in.Path}, Err: err})
	}
}

func (m *laneMerge) next() (*auditd.RawEvent, error) {
	if m.heads.Len() == 0 {
		return nil, io.EOF
	}
	// the lane's next event takes the place of the one returned:
	// heap.Pop and heap.Push box a laneHead, two allocations an event
	h := m.heads[0]
	raw, err := m.lanes[h.lane].event()
	if err == nil {
		m.heads[0].raw = raw
		heap.Fix(&m.heads, 0)
		return h.raw, nil
	}
	heap.Pop(&m.heads)
	m.failed(h.lane, err)
	return h.raw, nil
}

func (m *laneMerge) close() {
	for _, l := range m.lanes {
		l.close()
	}
}

// planOrder runs the first pass over an auditd input that can be read again
// and returns the reader of its runs in time order, or nil when the input is
// in order (or cannot be read twice) and is read as stored.
func (s *auditStream) planOrder(in *Input, opts *Options) *laneMerge {
	if in.Path == "-" {
		return nil // read once; auditStream.next counts its disorder
	}
	in.orderChecked = true
	runs, cut, err := scanOrder(in, opts.Limits.Decompress)
	if in.hash != nil && err == nil && !cut {
		in.scanned = runs[len(runs)-1].end // finish's: never empty
	}
	if err != nil {
		// the real read reports the error with its position
		in.orderChecked = false
		return nil
	}
	in.OutOfOrder = len(runs) - 1
	if cut {
		in.OrderNote = fmt.Sprintf("goes back in time in more than %d places: read in stored order", MaxOrderRuns)
		return nil
	}
	if len(runs) <= 1 {
		return nil
	}
	lanes, stray := planLanes(runs)
	in.Reordered = true
	in.OrderNote = fmt.Sprintf("records out of time order in %d places: read in time order (%d runs, %d read side by side)", in.OutOfOrder, len(runs), len(lanes))
	if stray > 0 {
		in.OrderNote += fmt.Sprintf("; %d runs overlap more than %d others and stay partly out of order", stray, maxOrderLanes)
	}
	m := &laneMerge{}
	for _, l := range lanes {
		m.lanes = append(m.lanes, &laneReader{in: in, opts: opts, lane: l, owner: s})
	}
	for i := range m.lanes {
		m.pull(i)
	}
	return m
}

// trackOrder counts, for an input read once in stored order, the places
// where its records go back in time.
func (s *auditStream) trackOrder(in *Input, ev *Event) {
	if in.orderChecked || len(ev.Evidence) == 0 {
		return
	}
	if s.tracker == nil || s.trackedIn != in {
		s.tracker, s.trackedIn = newOrderTracker(), in
	}
	if s.tracker.back(ev.Host, ev.Time.UnixNano()) {
		in.OutOfOrder++
		in.OrderNote = fmt.Sprintf("records out of time order in %d places: standard input is read once, in stored order (give the file to have it read in time order)", in.OutOfOrder)
	}
}
