package proctree

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"time"
	"weak"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// A tree of a busy server's log holds every process the log names, and
// audit rules rarely record exits, so nothing tells which processes are over:
// kept in memory, the tree grows with the input (about 600 bytes a process,
// 1 GB of memory for 2 GB of log). A spilling tree keeps a bounded number of
// processes in memory and moves the subtrees that have been quiet longest to
// a temporary file. A process of a moved subtree that the log names again is
// read back (faulted in) with the chain of its ancestors, the rest of the
// subtree staying on disk (faultPath), so the tree built is the same as
// without spilling; tests and fuzz tests compare the two.
//
// Only whole subtrees move, so the parent of a process in memory is in
// memory: ancestry walks (reuse checks, cycle checks, container attribution)
// never touch the file. A moved process is dropped, and reading it back
// makes a new *Process: a consumer that keeps a process past the event at
// hand (a finding, an event kept for linking) pins it (Process.Pin), and
// pinned processes never move.

// DefaultSpillLimit is the number of processes a spilling tree keeps in
// memory before it moves cold subtrees out: about 12 MB, with the pinned
// processes (those a finding or a linking list keeps) on top. It was
// 131 072, then 65 536: at 32 768 the busy 2 GB log used to read whole
// cold subtrees back for one pid and write them out again (2.2 million
// processes written for 771 000, and a peak of 444-488 MB). Since a pid
// coming round reads back only its own chain (faultPath), 32 768 writes
// 934 000 there (65 536: 918 000), and on the busy-server and
// pid-repeating logs it took the peak RSS down by 25-45 MB at 500 MB and
// 30 MB at 2 GB, at the same CPU (two alternating runs each).
const DefaultSpillLimit = 1 << 15

// forestProcs is how many processes the cold subtrees of one parent
// gather in a record before the next starts (a subtree larger than that
// has a record of its own): about 40 KB, which a read-back skims whole.
const forestProcs = 128

// spillRec is one record of the spill file: the subtrees of sibling
// processes (cold children of one parent, or roots), count processes in
// preorder, n bytes at off. A record written whole has base 0; one left
// on disk when part of its record was read back (faultPath) is a range of
// that record's bytes, whose first process was number base of it: the
// parent numbers in the bytes count from the record's start, and a
// process whose parent number falls before the range hangs from the
// record's parent.
type spillRec struct {
	off int64
	// parent is the in-memory process the subtree hangs from; nil for a
	// root, or when the parent is on disk too, in record outer.
	parent *Process
	n      int32
	count  int32 // processes; 0 once read back (the bytes are dead)
	base   int32
	outer  int32 // -1: none
}

func (r *spillRec) loaded() bool { return r.count == 0 }

// spillStore is the spill file and what the tree needs to find its way back.
type spillStore struct {
	dir   string
	limit int // processes in memory that trigger a spill
	next  int // len(procs) at which to try the next spill
	f     *os.File
	w     *bufio.Writer
	off   int64 // bytes written
	flush int64 // bytes known to be in the file (not in w)
	recs  spillRecs
	// idx finds the record of a process the live index lost when it moved,
	// so that the log naming its pid again reads it back (pidindex.go);
	// pending holds a spill's writes to it, applied sorted by key.
	idx     *pidIndex
	pending []pidRec
	wide    map[hostPID]int32 // pids past 32 bits, which only a crafted log has
	// refs lists, for each process in memory, its child subtrees on disk.
	refs  map[*Process][]int32
	roots []int32 // root subtrees on disk
	err   error   // the first I/O error; the run reports it

	markBase  time.Time         // the zero of the marks' seconds
	hosts     map[string]uint64 // host ids of idx keys
	lastHost  string
	lastID    uint64
	buf, rbuf []byte // scratch of writeSubtree and readRecord, kept
	sub, vals []int64
	size      []int32
	nodes     []*Process
	parents   []int
	live      []bool

	shape recordShape // faultPath's scratch

	// moved: with event.TracePins, a weak pointer to every process moved
	// out, so that Held can count those something still keeps (MovedAlive)
	moved []weak.Pointer[Process]

	stats SpillStats
}

// SpillTo makes t move cold subtrees to a temporary file in dir ("" for the
// system's) once it holds more than limit processes in memory. It must be
// called before the first Observe. The file is removed as soon as it is
// created, so that no run leaves one behind.
func (t *Tree) SpillTo(dir string, limit int) {
	if limit < 2 {
		limit = 2
	}
	s := &spillStore{dir: dir, limit: limit, next: limit, wide: map[hostPID]int32{}, refs: map[*Process][]int32{}}
	s.idx = newPIDIndex(dir, maxPIDPages, s.fail)
	t.spill = s
}

// Err reports the first error of the spill file once processes moved to
// it: a tree whose file failed may miss processes, and the run must say
// so. A file that could not be made is no error (see SpillStats).
func (t *Tree) Err() error {
	for _, p := range t.parts {
		if err := p.Err(); err != nil {
			return err
		}
	}
	if t.spill == nil {
		return nil
	}
	return t.spill.err
}

// SpillStats counts what a spilling tree moved.
type SpillStats struct {
	Spilled int // processes written to the file (again when re-spilled)
	Faults  int // subtrees read back
	// PathFaults counts the reads for a pid that came round again, which
	// bring back one process and its ancestors, not their whole subtree.
	PathFaults int
	Bytes      int64 // size of the file
	// Unavailable says why no spill file could be made; the tree then
	// kept every process in memory.
	Unavailable string
}

// SpillStats returns what the tree moved to its file and back.
func (t *Tree) SpillStats() SpillStats {
	if t.parts != nil {
		return t.unionSpillStats()
	}
	if t.spill == nil {
		return SpillStats{}
	}
	return t.spill.stats
}

// Close closes the spill file, which was unlinked when it was made: this
// frees its disk space.
func (t *Tree) Close() error {
	if t.parts != nil {
		var err error
		for _, p := range t.parts {
			if e := p.Close(); err == nil {
				err = e
			}
		}
		return err
	}
	if t.spill == nil {
		return nil
	}
	err := t.spill.idx.close()
	if t.spill.f != nil {
		if e := t.spill.f.Close(); err == nil {
			err = e
		}
		t.spill.f = nil
	}
	return err
}

func (s *spillStore) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("process tree spill file: %w", err)
	}
}

// find returns the process the live index or the spill file has for k.
func (t *Tree) find(k hostPID) *Process {
	if p := t.live[k]; p != nil {
		return p
	}
	if t.spill == nil {
		return nil
	}
	r, ok := t.spill.lookup(k)
	if !ok {
		return nil
	}
	t.faultPath(r, func(p *Process, live bool, _ []int32) bool {
		return live && p.Key.PID == k.pid && p.Key.Host == k.host
	})
	return t.live[k]
}

// spilledReused reports, without reading it back, that the process on
// disk holding k is not the one an event names: reused's first rule, read
// from the parent pid the index keeps beside the record. A long archive's
// pids come round again (the busy-server log at 2 GB read 113 742
// processes back, at 500 MB two), and each new process of a pid whose
// last holder was moved out read that holder, its record's path with it,
// only to find another parent. The answer is left to the read-back when
// it may need the holder's ancestors: the new parent is not in memory
// (it may be an ancestor on disk), or it is the pid of a process above
// the record in memory (perhaps a subreaper that adopted it), or the
// record is nested in another on disk.
func (t *Tree) spilledReused(k hostPID, ev *Event) bool {
	s := t.spill
	if s == nil || ev.PPID <= 1 || t.live[k] != nil {
		return false
	}
	ppid, ok := s.lookupPPID(k)
	if !ok || ppid <= 0 || int(ppid) == ev.PPID || t.live[hostPID{k.host, ev.PPID}] == nil {
		return false
	}
	r, ok := s.lookup(k)
	if !ok {
		return false
	}
	rec := s.rec(r)
	if rec.loaded() || rec.parent == nil && rec.outer >= 0 {
		return false
	}
	n := 0
	for a := rec.parent; a != nil && n < MaxAncestry; a, n = a.Parent, n+1 {
		if a.Key.PID == ev.PPID {
			return false
		}
	}
	return true
}

// coldSpilled reports whether the tree's guesses of an unseen parent may
// pass the process holding k by without reading it back: it is on disk,
// and is a placeholder or of an earlier boot (which no guess takes: not
// logged, for the guesses that count the logged pids), or was last seen
// before since (too long ago for any guess: logged).
func (t *Tree) coldSpilled(k hostPID, since time.Time) (skip, logged bool) {
	s := t.spill
	if s == nil || t.live[k] != nil {
		return false, false
	}
	ph, seen, boot, ok := s.lookupMark(k)
	switch {
	case !ok:
		return false, false
	case ph || boot != t.bootOf(k.host).epoch:
		return true, false
	}
	return seen.Before(since), true
}

// maybeSpill moves the coldest subtrees out when the tree holds too many
// processes. Cold is the newest LastSeen in a subtree: that time never
// exceeds its parent's, so the cold processes are whole subtrees, and
// choosing the cutoff as a quantile of it moves about half the processes.
func (t *Tree) maybeSpill() {
	s := t.spill
	if len(t.procs) < s.next || s.err != nil || s.stats.Unavailable != "" {
		return
	}
	keep := max(s.limit/2, 1)
	s.next = len(t.procs) + keep // try again only after that many more
	defer s.flushPending()
	// One walk numbers the processes in preorder and notes each subtree's
	// size and recency; the second walk, in the same order, reads them
	// back by number instead of looking them up.
	sub := s.sub[:0]
	size := s.size[:0]
	var number func(p *Process) int64
	number = func(p *Process) int64 {
		i := len(sub)
		sub, size = append(sub, 0), append(size, 0)
		m := p.LastSeen.UnixNano()
		if event.Pinned(p) {
			m = math.MaxInt64 // never cold, nor are its ancestors
		}
		for _, c := range p.Children {
			m = max(m, number(c))
		}
		sub[i], size[i] = m, int32(len(sub)-i)
		return m
	}
	var roots []*Process
	for _, p := range t.procs {
		if p.Parent == nil {
			roots = append(roots, p)
			number(p)
		}
	}
	s.sub, s.size = sub, size
	vals := append(s.vals[:0], sub...)
	s.vals = vals
	slices.Sort(vals)
	cutoff := vals[max(len(vals)-keep, 0)]
	if cutoff <= vals[0] {
		return // one instant: nothing is colder than the rest
	}
	kept := t.procs[:0:0]
	i := 0 // preorder number of the process at hand
	// keepAll keeps the subtrees a failed write could not move
	var keepAll func(p *Process)
	keepAll = func(p *Process) {
		kept = append(kept, p)
		for _, c := range p.Children {
			keepAll(c)
		}
	}
	// The cold children of one parent go to one record, and so do the
	// cold roots, up to forestProcs processes a record: a record for each
	// subtree made the record table and each long-lived parent's list of
	// records on disk grow by one entry for every subtree moved (10 MiB
	// of records on the 2 GB busy-server log), and one record for all of
	// them made a read-back skim thousands of processes to find one.
	// write moves cold (children of p, nil for roots) and returns what
	// stays in memory.
	write := func(p *Process, cold, stay []*Process) []*Process {
		if len(cold) == 0 {
			return stay
		}
		if r, ok := t.writeSubtree(cold); ok {
			if p != nil {
				s.refs[p] = append(s.refs[p], r)
				s.rec(r).parent = p
			} else {
				s.roots = append(s.roots, r)
			}
			return stay
		}
		for _, c := range cold {
			stay = append(stay, c)
			keepAll(c)
		}
		return stay
	}
	var walk func(p *Process)
	walk = func(p *Process) {
		kept = append(kept, p)
		i++
		stay := p.Children[:0]
		var cold []*Process
		n := 0
		for _, c := range p.Children {
			if sub[i] < cutoff && s.err == nil {
				cold = append(cold, c)
				n += int(size[i])
				i += int(size[i])
				if n >= forestProcs {
					stay = write(p, cold, stay)
					cold, n = cold[:0], 0
				}
				continue
			}
			stay = append(stay, c)
			walk(c)
		}
		stay = write(p, cold, stay)
		clear(p.Children[len(stay):]) // the collector must not see moved nodes
		p.Children = stay
	}
	var cold []*Process
	n := 0
	for _, p := range roots {
		if sub[i] < cutoff && s.err == nil {
			cold = append(cold, p)
			n += int(size[i])
			i += int(size[i])
			if n >= forestProcs {
				write(nil, cold, nil)
				cold, n = cold[:0], 0
			}
			continue
		}
		walk(p)
	}
	write(nil, cold, nil)
	if len(kept) == len(t.procs) {
		return // nothing moved (no file could be made): procs is as it was
	}
	// kept is in walk order: Processes sorts by Seq when asked
	clear(t.procs)
	t.procs = kept
	t.unsorted = true
	s.next = len(t.procs) + keep
}

// The spill index is keyed by host and pid packed in a uint64: a map of
// integers costs half the memory of one keyed by strings. A pid that does
// not fit in 32 bits (no kernel makes one, a crafted log may) goes to a
// map of its own, so that no two processes share a key.
func (s *spillStore) key(k hostPID) (uint64, bool) {
	if k.pid < 0 || k.pid > 1<<32-1 {
		return 0, false
	}
	if k.host != s.lastHost || s.hosts == nil {
		id, ok := s.hosts[k.host]
		if !ok {
			if s.hosts == nil {
				s.hosts = map[string]uint64{}
			}
			id = uint64(len(s.hosts))
			s.hosts[k.host] = id
		}
		s.lastHost, s.lastID = k.host, id
	}
	return s.lastID<<32 | uint64(k.pid), true
}

// flushPending applies the index writes of a spill, sorted by key.
func (s *spillStore) flushPending() {
	s.idx.setSorted(s.pending)
	clear(s.pending)
	s.pending = s.pending[:0]
}

func (s *spillStore) lookup(k hostPID) (int32, bool) {
	if n, ok := s.key(k); ok {
		return s.idx.get(n)
	}
	r, found := s.wide[k]
	return r, found
}

// lookupPPID returns the parent pid of the process on disk holding k (0
// when unknown or past 32 bits).
func (s *spillStore) lookupPPID(k hostPID) (int32, bool) {
	if n, ok := s.key(k); ok {
		return s.idx.ppid(n)
	}
	return 0, false
}

// A mark tells the tree's guesses of an unseen parent, which look at the
// processes of the pids just below a new one, enough of a process on disk
// to pass it by unread: whether it is a placeholder, and an upper bound of
// its last-seen time, in whole seconds from a base a day before the first
// process moved out. 0 is unknown.
const (
	markPlaceholder = 1 << 30
	markSeconds     = markPlaceholder - 1
)

// markOf returns p's mark.
func (s *spillStore) markOf(p *Process) int32 {
	if s.markBase.IsZero() {
		// a day before the first process moved out: the processes
		// moved out with it or after were seen after that, but for a
		// log far out of order (their marks are unknown)
		s.markBase = p.FirstSeen.Add(-24 * time.Hour)
	}
	d := p.LastSeen.Sub(s.markBase)
	if d < 0 {
		return 0
	}
	secs := int64(d/time.Second) + 2 // ceil, and 0 stays unknown
	if secs > markSeconds {
		return 0
	}
	m := int32(secs)
	if p.Placeholder {
		m |= markPlaceholder
	}
	return m
}

// lookupMark returns k's holder on disk: a placeholder, the latest time it
// may have been seen, and its boot (false when unknown).
func (s *spillStore) lookupMark(k hostPID) (placeholder bool, seenBy time.Time, boot uint16, ok bool) {
	n, ok := s.key(k)
	if !ok {
		return false, time.Time{}, 0, false
	}
	m, b, ok := s.idx.mark(n)
	if !ok || m&markSeconds == 0 || b == 0 {
		return false, time.Time{}, 0, false
	}
	return m&markPlaceholder != 0, s.markBase.Add(time.Duration(m&markSeconds-1) * time.Second), uint16(b - 1), true
}

func (s *spillStore) store(k hostPID, r int32, ppid int, mark int32, boot uint16) {
	if n, ok := s.key(k); ok {
		if ppid < 0 || ppid > math.MaxInt32 {
			ppid = 0
		}
		s.pending = append(s.pending, pidRec{n, r, int32(ppid), mark, int32(boot) + 1})
	} else {
		s.wide[k] = r
	}
}

// put points the index entry of k at r now (outside a spill).
func (s *spillStore) put(k hostPID, r int32) {
	if n, ok := s.key(k); ok {
		s.idx.set(n, r)
	} else {
		s.wide[k] = r
	}
}

func (s *spillStore) forget(k hostPID) {
	if n, ok := s.key(k); ok {
		s.idx.del(n)
	} else {
		delete(s.wide, k)
	}
}

func (s *spillStore) rec(r int32) *spillRec { return s.recs.at(r) }

// spillRecs is the table of records, in chunks of a fixed size: a slice
// grown by append kept up to half its capacity unused and, while growing,
// the old array and the new one at once (a 16 MB table on the
// pid-repeating log at 2 GB, which writes a record for every subtree it
// moves).
//
// The number of a record read back is free once it is read (nothing on
// disk or in memory names it any more) and is given to the next record
// made: reading back one path at a time leaves a record for every subtree
// hanging from the path, and without reuse the table grew by a record for
// each (10 MB on the 2 GB busy-server log).
type spillRecs struct {
	chunks [][]spillRec
	n      int
	free   []int32
}

const recChunk = 1 << 12

func (t *spillRecs) len() int { return t.n }

func (t *spillRecs) at(r int32) *spillRec { return &t.chunks[r/recChunk][r%recChunk] }

// add stores rec and returns its number.
func (t *spillRecs) add(rec spillRec) int32 {
	if n := len(t.free); n > 0 {
		r := t.free[n-1]
		t.free = t.free[:n-1]
		*t.at(r) = rec
		return r
	}
	if t.n%recChunk == 0 {
		t.chunks = append(t.chunks, make([]spillRec, 0, recChunk))
	}
	c := &t.chunks[len(t.chunks)-1]
	*c = append(*c, rec)
	t.n++
	return int32(t.n - 1)
}

// writeSubtree appends the subtrees of cs, siblings (children of one
// parent, or roots), to the file as one record and drops them from the
// live index.
func (t *Tree) writeSubtree(cs []*Process) (int32, bool) {
	s := t.spill
	if s.stats.Unavailable != "" {
		return 0, false
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "auditchain-tree-*")
		if err != nil {
			// nothing has moved yet: the tree stays whole in memory
			s.stats.Unavailable = err.Error()
			return 0, false
		}
		os.Remove(f.Name()) // the open file lives on, nothing is left behind
		s.f, s.w = f, bufio.NewWriterSize(f, 1<<20)
	}
	nodes, parents := s.nodes[:0], s.parents[:0]
	var pre func(p *Process, parent int)
	pre = func(p *Process, parent int) {
		nodes, parents = append(nodes, p), append(parents, parent)
		me := len(nodes) // 1-based: 0 is "outside the record"
		for _, q := range p.Children {
			pre(q, me)
		}
	}
	for _, c := range cs {
		pre(c, 0)
	}
	b := s.buf[:0]
	live := s.live[:0]
	for i, p := range nodes {
		l := t.live[hostPID{p.Key.Host, p.Key.PID}] == p
		live = append(live, l)
		b = binary.AppendUvarint(b, uint64(parents[i]))
		b = encodeProcess(b, p, l, s.refs[p])
	}
	s.buf, s.live = b, live
	if _, err := s.w.Write(b); err != nil {
		s.fail(err)
		return 0, false
	}
	r := s.recs.add(spillRec{off: s.off, n: int32(len(b)), count: int32(len(nodes)), outer: -1})
	s.off += int64(len(b))
	s.stats.Bytes += int64(len(b))
	for i, p := range nodes {
		if event.Tracing() {
			s.moved = append(s.moved, weak.Make(p))
		}
		if live[i] {
			k := hostPID{p.Key.Host, p.Key.PID}
			delete(t.live, k)
			s.store(k, r, p.PPID, s.markOf(p), p.Boot)
		}
		if refs, ok := s.refs[p]; ok {
			for _, ref := range refs {
				s.rec(ref).parent, s.rec(ref).outer = nil, r
			}
			delete(s.refs, p)
		}
	}
	clear(nodes)
	s.nodes, s.parents = nodes[:0], parents[:0]
	s.stats.Spilled += len(nodes)
	return r, true
}

// load reads record r back into the tree, first the records holding its
// ancestors.
func (t *Tree) load(r int32) {
	s := t.spill
	rec := s.rec(r)
	if rec.loaded() || s.err != nil {
		return
	}
	if rec.outer >= 0 {
		t.load(rec.outer)
		rec = s.rec(r)
		if rec.outer >= 0 { // the outer record did not name it: corrupt
			s.fail(fmt.Errorf("record %d: parent record %d lost it", r, rec.outer))
			return
		}
	}
	nodes, live, refs, err := t.readRecord(r)
	if err != nil {
		s.fail(err)
		return
	}
	s.stats.Faults++
	// a record read back must not hold its parent: once the parent moves
	// out, that pointer would keep it and its subtree in memory for good;
	// its number is free (see spillRecs)
	parent := rec.parent
	rec.count, rec.parent = 0, nil
	s.recs.free = append(s.recs.free, r)
	if parent != nil {
		for _, p := range nodes {
			if p.Parent == nil { // a top-level process of the record
				p.Parent = parent
				parent.Children = append(parent.Children, p)
			}
		}
		s.refs[parent] = deleteRef(s.refs[parent], r)
		if len(s.refs[parent]) == 0 {
			delete(s.refs, parent)
		}
	} else {
		s.roots = deleteRef(s.roots, r)
	}
	for i, p := range nodes {
		// the process the log's pid led to before it moved leads there
		// again, unless a newer process took the pid since
		if live[i] {
			k := hostPID{p.Key.Host, p.Key.PID}
			if v, ok := s.lookup(k); ok && v == r {
				t.live[k] = p
				s.forget(k)
			}
		}
		if len(refs[i]) > 0 {
			s.refs[p] = refs[i]
			for _, ref := range refs[i] {
				s.rec(ref).parent, s.rec(ref).outer = p, -1
			}
		}
	}
	t.procs = append(t.procs, nodes...)
	t.unsorted = true
}

// faultPath reads back, from record r, the process pick chooses and its
// ancestors within the record (with the records above it, the same way),
// and leaves every other subtree of the record on disk as a record of its
// own, a range of the same bytes. A pid that comes round again brings
// back the process that settles it — same process or a new one — and the
// chain above it, which ancestry walks need, instead of the whole cold
// subtree around it: on the 2 GB busy-server log whole subtrees read back
// were 40 MB of the processes in memory, and were written out again at
// the next spill. It returns the process, nil when none matched (an
// error is reported then: the index said it was there).
func (t *Tree) faultPath(r int32, pick func(p *Process, live bool, refs []int32) bool) *Process {
	s := t.spill
	if s.rec(r).loaded() || s.err != nil {
		return nil
	}
	if outer := s.rec(r).outer; outer >= 0 {
		t.faultPath(outer, func(_ *Process, _ bool, refs []int32) bool { return slices.Contains(refs, r) })
		if s.rec(r).outer >= 0 { // the outer record did not name it: corrupt
			s.fail(fmt.Errorf("record %d: parent record %d lost it", r, outer))
			return nil
		}
	}
	whole := *s.rec(r)
	b, err := s.readBytes(r)
	if err != nil {
		s.fail(err)
		return nil
	}
	// First the shape of the record: each process's parent, live flag,
	// child records, pid and where its bytes start, decoded into one
	// scratch process.
	n := int(whole.count)
	sh := &s.shape
	sh.reset(n)
	d := &recordDecoder{b: b, t: t, skim: true}
	target := -1
	scratch := &sh.scratch // kept: a local one escapes, one allocation a fault
	for i := 0; i < n && d.err == nil; i++ {
		sh.offs[i] = int32(len(b) - len(d.b))
		pi := d.uvarint()
		*scratch = Process{}
		l, rs := d.process(scratch)
		switch {
		case d.err != nil:
		case pi > uint64(int(whole.base)+i):
			d.fail(errors.New("bad parent index"))
		case pi <= uint64(whole.base):
			sh.parent[i] = -1 // top-level: hangs from the record's parent
		default:
			sh.parent[i] = int32(int(pi) - 1 - int(whole.base))
		}
		sh.live[i], sh.refs[i] = l, rs
		sh.keys[i] = hostPID{scratch.Key.Host, scratch.Key.PID}
		if target < 0 && d.err == nil && pick(scratch, l, rs) {
			target = i
		}
	}
	sh.offs[n] = int32(len(b))
	switch {
	case d.err != nil:
		s.fail(fmt.Errorf("record %d: %w", r, d.err))
		return nil
	case len(d.b) != 0:
		s.fail(fmt.Errorf("record %d: trailing bytes", r))
		return nil
	case target < 0:
		s.fail(fmt.Errorf("record %d: the process the index named is not in it", r))
		return nil
	}
	// the path, root first, decoded again into new processes
	for j := target; j >= 0; j = int(sh.parent[j]) {
		sh.path = append(sh.path, int32(j))
	}
	slices.Reverse(sh.path)
	procs := make([]*Process, len(sh.path))
	for k, j := range sh.path {
		p := new(Process)
		pd := &recordDecoder{b: b[sh.offs[j]:sh.offs[j+1]], t: t}
		pd.uvarint()
		pd.process(p)
		if pd.err != nil {
			s.fail(fmt.Errorf("record %d: %w", r, pd.err))
			return nil
		}
		if k > 0 {
			p.Parent = procs[k-1]
			procs[k-1].Children = append(procs[k-1].Children, p)
		}
		procs[k] = p
		sh.onPath[j] = int32(k) + 1
	}
	// Every other process stays on disk. Each hangs, through its
	// ancestors off the path, from a process of the path or from the
	// record's parent (attach: path position+1, or 0); in preorder the
	// processes of one attach point between two processes of the path are
	// contiguous, and each such run becomes a record of its own — at most
	// two for each level of the path, however many siblings there are.
	for i := range n {
		switch {
		case sh.onPath[i] != 0:
			sh.attach[i] = -1
		case sh.parent[i] < 0:
			sh.attach[i] = 0
		case sh.onPath[sh.parent[i]] != 0:
			sh.attach[i] = sh.onPath[sh.parent[i]]
		default:
			sh.attach[i] = sh.attach[sh.parent[i]]
		}
	}
	if whole.parent != nil {
		s.refs[whole.parent] = deleteRef(s.refs[whole.parent], r)
	} else {
		s.roots = deleteRef(s.roots, r)
	}
	for i := 0; i < n; {
		if sh.attach[i] < 0 {
			i++
			continue
		}
		end := i + 1
		for end < n && sh.attach[end] == sh.attach[i] {
			end++
		}
		par := whole.parent
		if a := sh.attach[i]; a > 0 {
			par = procs[a-1]
		}
		sub := s.recs.add(spillRec{off: whole.off + int64(sh.offs[i]), n: sh.offs[end] - sh.offs[i],
			count: int32(end - i), base: whole.base + int32(i), parent: par, outer: -1})
		if par != nil {
			s.refs[par] = append(s.refs[par], sub)
		} else {
			s.roots = append(s.roots, sub)
		}
		for j := i; j < end; j++ {
			if v, ok := s.lookup(sh.keys[j]); ok && v == r && sh.live[j] {
				s.put(sh.keys[j], sub)
			}
			for _, ref := range sh.refs[j] {
				s.rec(ref).outer = sub
			}
		}
		i = end
	}
	for k, j := range sh.path {
		p := procs[k]
		if key := sh.keys[j]; sh.live[j] {
			if v, ok := s.lookup(key); ok && v == r {
				t.live[key] = p
				s.forget(key)
			}
		}
		for _, ref := range sh.refs[j] {
			s.rec(ref).parent, s.rec(ref).outer = p, -1
		}
		if len(sh.refs[j]) > 0 {
			s.refs[p] = append(sh.refs[j], s.refs[p]...)
		}
	}
	if parent := whole.parent; parent != nil {
		parent.Children = append(parent.Children, procs[0])
		procs[0].Parent = parent
		if len(s.refs[parent]) == 0 {
			delete(s.refs, parent)
		}
	}
	s.rec(r).count, s.rec(r).parent = 0, nil // see load
	s.recs.free = append(s.recs.free, r)
	s.stats.Faults++
	s.stats.PathFaults++
	t.procs = append(t.procs, procs...)
	t.unsorted = true
	return procs[len(procs)-1]
}

// recordShape is faultPath's scratch, kept between calls.
type recordShape struct {
	parent, offs, onPath, path []int32
	attach                     []int32
	live                       []bool
	refs                       [][]int32
	keys                       []hostPID
	scratch                    Process
}

func (sh *recordShape) reset(n int) {
	grow := func(a []int32, n int) []int32 { return slices.Grow(a[:0], n)[:n] }
	sh.parent, sh.offs, sh.onPath = grow(sh.parent, n), grow(sh.offs, n+1), grow(sh.onPath, n)
	sh.attach = grow(sh.attach, n)
	clear(sh.onPath)
	sh.path = sh.path[:0]
	sh.live = slices.Grow(sh.live[:0], n)[:n]
	clear(sh.refs)
	sh.refs = slices.Grow(sh.refs[:0], n)[:n]
	clear(sh.keys)
	sh.keys = slices.Grow(sh.keys[:0], n)[:n]
}

func deleteRef(rs []int32, r int32) []int32 {
	if i := slices.Index(rs, r); i >= 0 {
		return slices.Delete(rs, i, i+1)
	}
	return rs
}

// readBytes returns the bytes of record r, in a buffer reused by the next
// call.
func (s *spillStore) readBytes(r int32) ([]byte, error) {
	rec := s.rec(r)
	if rec.off+int64(rec.n) > s.flush {
		if err := s.w.Flush(); err != nil {
			return nil, err
		}
		s.flush = s.off
	}
	b := slices.Grow(s.rbuf[:0], int(rec.n))[:rec.n]
	s.rbuf = b
	if _, err := s.f.ReadAt(b, rec.off); err != nil {
		return nil, fmt.Errorf("record %d: %w", r, err)
	}
	return b, nil
}

// readRecord decodes record r into new processes linked to each other.
func (t *Tree) readRecord(r int32) (nodes []*Process, live []bool, refs [][]int32, err error) {
	s := t.spill
	rec := *s.rec(r)
	// the buffer is reused: decoding copies what it keeps
	b, err := s.readBytes(r)
	if err != nil {
		return nil, nil, nil, err
	}
	nodes, live, refs, err = t.decodeSubtree(b, int(rec.count), int(rec.base))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("record %d: %w", r, err)
	}
	return nodes, live, refs, nil
}

// decodeSubtree decodes one record of count processes, the first of
// which was number base of the record written: their processes in
// preorder, with their links, the live flag of each and the child records
// each had on disk.
func (t *Tree) decodeSubtree(b []byte, count, base int) (nodes []*Process, live []bool, refs [][]int32, err error) {
	if count <= 0 || count > len(b) || base < 0 {
		return nil, nil, nil, errors.New("bad node count")
	}
	d := &recordDecoder{b: b, t: t}
	nodes = make([]*Process, 0, count)
	for i := 0; i < count && d.err == nil; i++ {
		pi := d.uvarint() // the parent's number in the record written, +1
		p := new(Process)
		l, rs := d.process(p)
		if d.err != nil {
			break
		}
		// in preorder a parent comes before its children; one before
		// the range (0: before the record) makes a top-level process,
		// which hangs from the record's parent
		if pi > uint64(base+i) {
			return nil, nil, nil, errors.New("bad parent index")
		}
		if pi > uint64(base) {
			par := nodes[int(pi)-1-base]
			p.Parent = par
			par.Children = append(par.Children, p)
		}
		nodes = append(nodes, p)
		live = append(live, l)
		refs = append(refs, rs)
	}
	if d.err != nil {
		return nil, nil, nil, d.err
	}
	if len(d.b) != 0 {
		return nil, nil, nil, errors.New("trailing bytes")
	}
	return nodes, live, refs, nil
}

// loadAll reads every record back: for callers that need every process.
func (t *Tree) loadAll() {
	if t.spill == nil {
		return
	}
	for r := range t.spill.recs.len() {
		t.load(int32(r))
	}
	t.sortProcs()
}

func (t *Tree) sortProcs() {
	if t.unsorted {
		slices.SortFunc(t.procs, func(a, b *Process) int { return cmp.Compare(a.Seq, b.Seq) })
		t.unsorted = false
	}
}

// LoadChildren reads back p's children that are on disk (with their
// subtrees), so that p.Children is complete. A nil tree or one that does
// not spill has nothing to do.
func (t *Tree) LoadChildren(p *Process) {
	if t != nil && t.parts != nil && p != nil {
		if q := t.partOf(p.Key.Host); q != t {
			q.LoadChildren(p)
		}
		return
	}
	if t == nil || t.spill == nil || p == nil {
		return
	}
	for _, r := range slices.Clone(t.spill.refs[p]) {
		t.load(r)
	}
}

// LoadDescendants reads back every subtree below p that is on disk, so that
// Descendants(p) is complete. A nil tree or one that does not spill has
// nothing to do.
func (t *Tree) LoadDescendants(p *Process) {
	if t != nil && t.parts != nil && p != nil {
		if q := t.partOf(p.Key.Host); q != t {
			q.LoadDescendants(p)
		}
		return
	}
	if t == nil || t.spill == nil {
		return
	}
	stack := []*Process{p}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, r := range slices.Clone(t.spill.refs[q]) {
			t.load(r)
		}
		stack = append(stack, q.Children...)
	}
}

// loadPID reads back every record holding a process with pid on host ("" any).
func (t *Tree) loadPID(host string, pid int) {
	s := t.spill
	if s == nil || s.f == nil || s.err != nil {
		return
	}
	var want []int32
	for r := range int32(s.recs.len()) {
		rec := *s.rec(r)
		if rec.loaded() {
			continue
		}
		nodes, _, _, err := t.readRecord(r)
		if err != nil {
			s.fail(err)
			return
		}
		for _, p := range nodes {
			if p.Key.PID == pid && (host == "" || p.Key.Host == host) {
				want = append(want, r)
				break
			}
		}
	}
	for _, r := range want {
		t.load(r)
	}
}

// The record format: per node in preorder the uvarint index+1 of its
// parent in the record (0 for the record's root) and the process; the
// node count is in the record's entry (spillRec). Strings are length-prefixed, times are a presence byte with
// varint seconds and uvarint nanoseconds (so any time.Time survives, not
// only those UnixNano can hold).

const (
	flagPlaceholder = 1 << iota
	flagReparented
	flagExited
	flagLive
	flagContainer
	flagImageInferred
	// the parent's guess (a Guess, GuessNone to GuessRelay) in the top two bits
	guessShift = 6
)

func encodeProcess(b []byte, p *Process, live bool, refs []int32) []byte {
	fl := byte(p.ParentGuess&3) << guessShift
	for i, on := range []bool{p.Placeholder, p.Reparented, p.Exited, live, p.Container != nil, p.ImageInferred} {
		if on {
			fl |= 1 << i
		}
	}
	b = append(b, fl)
	b = appendString(b, p.Key.Host)
	b = binary.AppendVarint(b, int64(p.Key.PID))
	b = appendTime(b, p.Key.Start)
	b = binary.AppendVarint(b, int64(p.PPID))
	b = appendString(b, p.Exe)
	b = appendString(b, p.Comm)
	b = appendStrings(b, p.Args)
	b = appendStrings(b, p.Title)
	b = binary.AppendUvarint(b, uint64(len(p.Execs)))
	for _, e := range p.Execs {
		b = appendTime(b, e.Time)
		b = appendString(b, e.Exe)
		b = appendStrings(b, e.Args)
		b = appendString(b, e.Cwd)
		b = appendID(b, e.UID)
		b = appendID(b, e.EUID)
		b = appendString(b, e.Pos.File)
		b = binary.AppendVarint(b, int64(e.Pos.Line))
		b = binary.AppendVarint(b, e.Pos.Offset)
		b = binary.AppendUvarint(b, e.Serial)
		b = appendBool(b, e.Inherited)
	}
	b = appendString(b, p.Cwd)
	for _, id := range []ID{p.UID, p.EUID, p.AUID, p.SES} {
		b = appendID(b, id)
	}
	b = appendString(b, p.User)
	b = appendString(b, p.TTY)
	b = appendTime(b, p.FirstSeen)
	b = appendTime(b, p.LastSeen)
	if c := p.Container; c != nil {
		for _, s := range []string{c.ID, c.Name, c.Image, c.Pod, c.Namespace, c.Runtime} {
			b = appendString(b, s)
		}
	}
	b = binary.AppendVarint(b, int64(p.Events))
	b = binary.AppendUvarint(b, uint64(p.Seq))
	b = binary.AppendUvarint(b, uint64(p.Boot))
	b = appendTime(b, event.NewestChild(p))
	b = binary.AppendUvarint(b, uint64(len(p.Peers)))
	for _, a := range p.Peers {
		b = appendString(b, a.Family)
		b = appendString(b, a.IP)
		b = binary.AppendVarint(b, int64(a.Port))
		b = appendString(b, a.Path)
	}
	b = binary.AppendUvarint(b, uint64(len(refs)))
	for _, r := range refs {
		b = binary.AppendUvarint(b, uint64(r))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendStrings writes len+1, so that a nil argv (no exec seen) stays nil.
func appendStrings(b []byte, a []string) []byte {
	if a == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(a))+1)
	for _, s := range a {
		b = appendString(b, s)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendID(b []byte, id ID) []byte {
	b = appendBool(b, id.Set)
	return binary.AppendUvarint(b, uint64(id.N))
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// recordDecoder reads a spill record; the first error sticks and every later read
// returns zero values, like bufio.Scanner.
type recordDecoder struct {
	b   []byte
	t   *Tree
	err error
	// skim reads past strings, execs, peers and containers without
	// keeping them (faultPath's first pass needs only the pid, live flag
	// and child records of each process, and would otherwise make garbage
	// of every process of the record).
	skim bool
}

var errShort = errors.New("truncated record")

func (d *recordDecoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *recordDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// varint undoes binary.AppendVarint's zig-zag encoding.
func (d *recordDecoder) varint() int64 {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *recordDecoder) byte() byte {
	if len(d.b) == 0 {
		d.fail(errShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *recordDecoder) bool() bool { return d.byte() != 0 }

// count reads a length that cannot exceed what is left of the record.
func (d *recordDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail(errShort)
		return 0
	}
	return int(n)
}

func (d *recordDecoder) string() string {
	n := d.count()
	b := d.b[:n]
	d.b = d.b[n:]
	if d.skim {
		return ""
	}
	return d.t.internBytes(b)
}

func (d *recordDecoder) strings() []string {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	if n-1 > uint64(len(d.b)) { // each string takes a byte at least
		d.fail(errShort)
		return nil
	}
	if d.skim {
		for i := uint64(1); i < n && d.err == nil; i++ {
			d.string()
		}
		return nil
	}
	a := make([]string, 0, n-1)
	for i := uint64(1); i < n && d.err == nil; i++ {
		a = append(a, d.string())
	}
	return d.t.internArgs(a)
}

func (d *recordDecoder) time() time.Time {
	if !d.bool() {
		return time.Time{}
	}
	sec := d.varint()
	ns := d.uvarint()
	if ns >= 1e9 {
		d.fail(errors.New("bad nanoseconds"))
		return time.Time{}
	}
	return time.Unix(sec, int64(ns)).UTC()
}

func (d *recordDecoder) id() ID {
	set := d.bool()
	n := d.uvarint()
	if n > 1<<32-1 {
		d.fail(errors.New("bad id"))
	}
	return ID{N: uint32(n), Set: set}
}

// process decodes one process into p and returns its live flag and refs.
func (d *recordDecoder) process(p *Process) (live bool, refs []int32) {
	fl := d.byte()
	p.Placeholder = fl&flagPlaceholder != 0
	p.Reparented = fl&flagReparented != 0
	p.ParentGuess = Guess(fl >> guessShift)
	p.ImageInferred = fl&flagImageInferred != 0
	p.Exited = fl&flagExited != 0
	skim := d.skim
	d.skim = false // the host is kept even when skimming: it names the process
	p.Key.Host = d.string()
	d.skim = skim
	p.Key.PID = int(d.varint())
	p.Key.Start = d.time()
	p.PPID = int(d.varint())
	p.Exe = d.string()
	p.Comm = d.string()
	p.Args = d.strings()
	p.Title = d.strings()
	if n := d.count(); n > 0 {
		if !d.skim {
			p.Execs = make([]Exec, 0, n)
		}
		for i := 0; i < n && d.err == nil; i++ {
			var e Exec
			e.Time = d.time()
			e.Exe = d.string()
			e.Args = d.strings()
			e.Cwd = d.string()
			e.UID = d.id()
			e.EUID = d.id()
			e.Pos.File = d.string()
			e.Pos.Line = int(d.varint())
			e.Pos.Offset = d.varint()
			e.Serial = d.uvarint()
			e.Inherited = d.bool()
			if !d.skim {
				p.Execs = append(p.Execs, e)
			}
		}
	}
	p.Cwd = d.string()
	p.UID, p.EUID, p.AUID, p.SES = d.id(), d.id(), d.id(), d.id()
	p.User = d.string()
	p.TTY = d.string()
	p.FirstSeen = d.time()
	p.LastSeen = d.time()
	if fl&flagContainer != 0 {
		var c Container
		for _, f := range []*string{&c.ID, &c.Name, &c.Image, &c.Pod, &c.Namespace, &c.Runtime} {
			*f = d.string()
		}
		if !d.skim {
			p.Container = &c
		}
	}
	p.Events = int32(d.varint())
	p.Seq = uint32(d.uvarint())
	p.Boot = uint16(d.uvarint())
	event.SetNewestChild(p, d.time())
	if n := d.count(); n > 0 {
		if !d.skim {
			p.Peers = make([]Addr, 0, n)
		}
		for i := 0; i < n && d.err == nil; i++ {
			var a Addr
			a.Family = d.string()
			a.IP = d.string()
			a.Port = int(d.varint())
			a.Path = d.string()
			if !d.skim {
				p.Peers = append(p.Peers, a)
			}
		}
	}
	if n := d.count(); n > 0 {
		refs = make([]int32, 0, n)
		for i := 0; i < n && d.err == nil; i++ {
			r := d.uvarint()
			if r > 1<<31-1 {
				d.fail(errors.New("bad record reference"))
			}
			refs = append(refs, int32(r))
		}
	}
	return fl&flagLive != 0, refs
}
