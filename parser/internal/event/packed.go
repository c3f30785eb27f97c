package event

import (
	"encoding/binary"
	"fmt"
	"time"
)

// A kept event costs its whole 640-byte block (recycle.go) however few of
// its fields it has: a file write has a path, a connect an address, and
// most of an Event's thirty fields are zero. The timeline keeps up to
// 65 536 events to the end of a scan only to link chains (Retain
// KeepFields); on the pid-repeating log at 2 GB they were 36 MiB of the
// live heap while the log was read, the largest part of it.
//
// A Store keeps such events packed: each field as a varint or the number of
// a string in the store's table, the strings, argv and PATH records of all
// the events once (kept events repeat them: the same acts again and
// again), and the pointers an event holds (its process, its HTTP request,
// its rare fields) beside the bytes. About 100 bytes an event
// instead of 640 (85 of fields on the lab captures, 32 of pointers);
// Unpack gives back an event equal to the one packed in every field, its
// process the same *Process (a packed event keeps its pin: the tree must
// not move the process, see Process.Pin).
//
// Only events nobody keeps whole may be packed: Unpack returns a new
// *Event, so a consumer that compares pointers with another's (a
// finding's event, Retain KeepText) must keep that event as it is.

// Packed names an event in a Store.
type Packed uint32

// Store keeps packed events; the zero Store is ready to use. It is not safe
// for concurrent use.
type Store struct {
	// The events' fields, one after the other in chunks of storeChunk
	// bytes (an event never spans two), and where each event starts:
	// chunk number × storeChunk + offset. The pointers, by event, in
	// chunks of ptrChunk. One slice grown by append copied all it held at
	// every growth, on the scan's one consumer goroutine: 0.12 s a 500 MB
	// scan, and the old array and the new one live at once.
	chunks  [][]byte
	nbytes  int
	at      []uint64
	ptrs    [][]packedPtrs
	scratch []byte // one event's fields as they are packed

	strs    []string // strs[0] is ""
	strIdx  map[string]uint32
	argvs   [][]string // argv tables: index+1 in an event, 0 for nil
	argvIdx map[string]uint32
	recs    [][]PathRecord
	recIdx  map[string]uint32
	evis    [][]Evidence // evidence lists other than one entry (rare)
	times   []time.Time  // times other than UTC (never a decoder's)
	key     []byte       // scratch for the keys of argvIdx and recIdx
}

// packedPtrs are the pointers of a packed event: they stay pointers, so
// that an unpacked event shares what the packed one pointed to.
type packedPtrs struct {
	proc      *Process
	http      *HTTPRequest
	rare      *rare
	retention *Retention
}

// Len is the number of events packed; Bytes the size of their fields.
func (s *Store) Len() int   { return len(s.at) }
func (s *Store) Bytes() int { return s.nbytes }

const (
	storeChunk = 256 << 10
	ptrChunk   = 4096
)

// ptr returns the pointers of h.
func (s *Store) ptr(h Packed) *packedPtrs { return &s.ptrs[h/ptrChunk][h%ptrChunk] }

// place copies an event's fields b into the last chunk, or a new one when
// they do not fit, and returns where they start.
func (s *Store) place(b []byte) uint64 {
	n := len(s.chunks)
	if n == 0 || len(s.chunks[n-1])+len(b) > storeChunk {
		s.chunks = append(s.chunks, make([]byte, 0, max(storeChunk, len(b))))
		n++
	}
	c := &s.chunks[n-1]
	// 64 bits: --max-link-events 0 keeps every event, and 32-bit offsets
	// would wrap past 4 GiB of them
	at := uint64(n-1)*storeChunk + uint64(len(*c))
	*c = append(*c, b...)
	s.nbytes += len(b)
	return at
}

// Pack stores e and returns its name. e itself is not changed and may be
// let go.
func (s *Store) Pack(e *Event) Packed {
	if s.strIdx == nil {
		s.strs = []string{""}
		s.strIdx = map[string]uint32{}
		s.argvIdx = map[string]uint32{}
		s.recIdx = map[string]uint32{}
	}
	h := Packed(len(s.at))
	if int(h)%ptrChunk == 0 {
		s.ptrs = append(s.ptrs, make([]packedPtrs, 0, ptrChunk))
	}
	last := &s.ptrs[len(s.ptrs)-1]
	*last = append(*last, packedPtrs{e.Proc, e.HTTP, e.rare, e.retention})
	b := s.scratch[:0]
	b = append(b, byte(e.Kind), byte(e.Synth), packBools(e.Success, e.ProcTitleQuoted, e.rawKept, e.retained, e.inBlock, e.PathByInode))
	b = s.appendTime(b, e.Time)
	b = s.appendStr(b, e.Host)
	b = s.appendStr(b, string(e.Source))
	b = binary.AppendUvarint(b, e.Serial)
	b = s.appendStr(b, e.RecordType)
	b = s.appendStr(b, e.Syscall)
	b = s.appendStr(b, e.Arch)
	b = binary.AppendVarint(b, e.Exit)
	b = s.appendStr(b, e.Key)
	b = binary.AppendVarint(b, int64(e.PID))
	b = binary.AppendVarint(b, int64(e.PPID))
	for _, id := range [...]ID{e.UID, e.EUID, e.GID, e.AUID, e.SES} {
		b = appendPackedID(b, id)
	}
	for _, v := range [...]string{e.TTY, e.Comm, e.Exe, e.Cwd} {
		b = s.appendStr(b, v)
	}
	b = binary.AppendUvarint(b, uint64(s.argv(e.Args)))
	for _, v := range [...]string{e.User, e.AUser, e.Subj} {
		b = s.appendStr(b, v)
	}
	b = binary.AppendUvarint(b, uint64(s.pathRecs(e.Paths)))
	for _, v := range [...]string{e.Path, e.OldPath, e.Peer.Family, e.Peer.IP} {
		b = s.appendStr(b, v)
	}
	b = binary.AppendVarint(b, int64(e.Peer.Port))
	b = s.appendStr(b, e.Peer.Path)
	b = binary.AppendVarint(b, int64(e.Child))
	for _, v := range [...]string{e.Op, e.Message, e.Account, e.ProcTitle} {
		b = s.appendStr(b, v)
	}
	// evidence: one entry inline (nearly always), else a list of the store's
	switch {
	case e.Evidence == nil:
		b = append(b, 0)
	case len(e.Evidence) == 1:
		b = append(b, 1)
		b = s.appendEvidence(b, e.Evidence[0])
	default:
		b = append(b, 2)
		b = binary.AppendUvarint(b, uint64(len(s.evis)))
		s.evis = append(s.evis, append([]Evidence(nil), e.Evidence...))
	}
	s.scratch = b
	s.at = append(s.at, s.place(b))
	return h
}

// Drop lets go of the pointers of a packed event its consumer no longer
// keeps (its bytes stay: the store only grows).
func (s *Store) Drop(h Packed) { *s.ptr(h) = packedPtrs{} }

// Unpack returns a new event equal to the one packed as h.
func (s *Store) Unpack(h Packed) (*Event, error) {
	blk := new(block) // an event and one evidence entry: one allocation, as read
	e := &blk.ev
	at := s.at[h]
	d := packedReader{b: s.chunks[at/storeChunk][at%storeChunk:], s: s}
	p := *s.ptr(h)
	e.Proc, e.HTTP, e.rare, e.retention = p.proc, p.http, p.rare, p.retention
	e.Kind, e.Synth = Kind(d.byte()), Synth(d.byte())
	e.Success, e.ProcTitleQuoted, e.rawKept, e.retained, e.inBlock, e.PathByInode = unpackBools(d.byte())
	e.inBlock = false // a block of its own: never recycled
	e.Time = d.time()
	e.Host = d.str()
	e.Source = Format(d.str())
	e.Serial = d.uvarint()
	e.RecordType, e.Syscall, e.Arch = d.str(), d.str(), d.str()
	e.Exit = d.varint()
	e.Key = d.str()
	e.PID, e.PPID = int(d.varint()), int(d.varint())
	e.UID, e.EUID, e.GID, e.AUID, e.SES = d.id(), d.id(), d.id(), d.id(), d.id()
	e.TTY, e.Comm, e.Exe, e.Cwd = d.str(), d.str(), d.str(), d.str()
	if i := d.uvarint(); i > 0 && d.ok(i <= uint64(len(s.argvs))) {
		e.Args = s.argvs[i-1]
	}
	e.User, e.AUser, e.Subj = d.str(), d.str(), d.str()
	if i := d.uvarint(); i > 0 && d.ok(i <= uint64(len(s.recs))) {
		e.Paths = s.recs[i-1]
	}
	e.Path, e.OldPath, e.Peer.Family, e.Peer.IP = d.str(), d.str(), d.str(), d.str()
	e.Peer.Port = int(d.varint())
	e.Peer.Path = d.str()
	e.Child = int(d.varint())
	e.Op, e.Message, e.Account, e.ProcTitle = d.str(), d.str(), d.str(), d.str()
	switch d.byte() {
	case 1:
		blk.evi[0] = d.evidence()
		e.Evidence = blk.evi[:]
	case 2:
		if i := d.uvarint(); d.ok(i < uint64(len(s.evis))) {
			e.Evidence = append([]Evidence(nil), s.evis[i]...)
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("packed event %d: %w", h, d.err)
	}
	return e, nil
}

func packBools(v ...bool) byte {
	var b byte
	for i, x := range v {
		if x {
			b |= 1 << i
		}
	}
	return b
}

func unpackBools(b byte) (bool, bool, bool, bool, bool, bool) {
	return b&1 != 0, b&2 != 0, b&4 != 0, b&8 != 0, b&16 != 0, b&32 != 0
}

// appendTime writes t as Unix seconds and nanoseconds: an event's time is
// UTC (no location, no monotonic reading), which these give back exactly.
// Any other time (no decoder makes one) is kept whole beside the bytes.
func (s *Store) appendTime(b []byte, t time.Time) []byte {
	if t == time.Unix(t.Unix(), int64(t.Nanosecond())).UTC() {
		b = append(b, 0)
		b = binary.AppendVarint(b, t.Unix())
		return binary.AppendUvarint(b, uint64(t.Nanosecond()))
	}
	b = append(b, 1)
	b = binary.AppendUvarint(b, uint64(len(s.times)))
	s.times = append(s.times, t)
	return b
}

func appendPackedID(b []byte, id ID) []byte {
	v := uint64(id.N) << 1
	if id.Set {
		v |= 1
	}
	return binary.AppendUvarint(b, v)
}

func (s *Store) appendEvidence(b []byte, x Evidence) []byte {
	b = s.appendStr(b, x.Pos.File)
	b = binary.AppendVarint(b, int64(x.Pos.Line))
	b = binary.AppendVarint(b, x.Pos.Offset)
	b = binary.AppendUvarint(b, x.Serial)
	return s.appendStr(b, x.Raw)
}

// appendStr writes the number of v in the string table.
func (s *Store) appendStr(b []byte, v string) []byte {
	return binary.AppendUvarint(b, uint64(s.str(v)))
}

func (s *Store) str(v string) uint32 {
	if v == "" {
		return 0
	}
	if i, ok := s.strIdx[v]; ok {
		return i
	}
	i := uint32(len(s.strs))
	v = cloneString(v) // never a substring of a record's text: it would keep all of it
	s.strs = append(s.strs, v)
	s.strIdx[v] = i
	return i
}

// argv returns the number+1 of a's table (0 for nil), equal argvs sharing
// one.
func (s *Store) argv(a []string) uint32 {
	if a == nil {
		return 0
	}
	k := s.key[:0]
	for _, w := range a {
		k = binary.AppendUvarint(k, uint64(s.str(w)))
	}
	s.key = k
	if i, ok := s.argvIdx[string(k)]; ok {
		return i
	}
	c := make([]string, len(a))
	for j, w := range a {
		c[j] = s.strs[s.str(w)]
	}
	s.argvs = append(s.argvs, c)
	i := uint32(len(s.argvs))
	s.argvIdx[string(k)] = i
	return i
}

// pathRecs is argv for PATH records.
func (s *Store) pathRecs(a []PathRecord) uint32 {
	if a == nil {
		return 0
	}
	k := s.key[:0]
	for _, p := range a {
		k = binary.AppendUvarint(k, uint64(s.str(p.Name)))
		k = binary.AppendUvarint(k, uint64(s.str(p.Nametype)))
		k = binary.AppendUvarint(k, uint64(p.Mode))
		k = binary.AppendUvarint(k, p.Inode)
		k = binary.AppendUvarint(k, uint64(s.str(p.Dev)))
		k = appendPackedID(k, p.OUID)
		k = binary.AppendUvarint(k, p.CapFP)
	}
	s.key = k
	if i, ok := s.recIdx[string(k)]; ok {
		return i
	}
	c := make([]PathRecord, len(a))
	for j, p := range a {
		c[j] = p
		c[j].Name, c[j].Nametype, c[j].Dev = s.strs[s.str(p.Name)], s.strs[s.str(p.Nametype)], s.strs[s.str(p.Dev)]
	}
	s.recs = append(s.recs, c)
	i := uint32(len(s.recs))
	s.recIdx[string(k)] = i
	return i
}

func cloneString(v string) string { return string([]byte(v)) }

// packedReader reads one packed event.
type packedReader struct {
	b   []byte
	s   *Store
	err error
}

func (d *packedReader) ok(c bool) bool {
	if !c && d.err == nil {
		d.err = fmt.Errorf("a reference out of range")
	}
	return c
}

func (d *packedReader) byte() byte {
	if !d.ok(len(d.b) > 0) {
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *packedReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if !d.ok(n > 0) {
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *packedReader) varint() int64 {
	v, n := binary.Varint(d.b)
	if !d.ok(n > 0) {
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *packedReader) str() string {
	i := d.uvarint()
	if !d.ok(i < uint64(len(d.s.strs))) {
		return ""
	}
	return d.s.strs[i]
}

func (d *packedReader) id() ID {
	v := d.uvarint()
	return ID{N: uint32(v >> 1), Set: v&1 != 0}
}

func (d *packedReader) time() time.Time {
	if d.byte() == 0 {
		sec := d.varint()
		return time.Unix(sec, int64(d.uvarint())).UTC()
	}
	if i := d.uvarint(); d.ok(i < uint64(len(d.s.times))) {
		return d.s.times[i]
	}
	return time.Time{}
}

func (d *packedReader) evidence() Evidence {
	var x Evidence
	x.Pos.File = d.str()
	x.Pos.Line = int(d.varint())
	x.Pos.Offset = d.varint()
	x.Serial = d.uvarint()
	x.Raw = d.str()
	return x
}
