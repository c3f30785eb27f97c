package proctree

import (
	"encoding/binary"
	"fmt"
	"os"
	"slices"
)

// pidIndex finds, for a host and pid whose process moved to the spill
// file, the record that holds it, so that the log naming the pid again
// reads it back. It was a Go map with one entry per such pid, and on a
// long archive almost every pid a host ever used has its last process on
// disk: 21 MB on the 2 GB busy-server log, growing with the log.
//
// The keys (host id << 32 | pid) are dense: pids are small integers handed
// out in turn. So the index is an array of record numbers in pages of
// pidPageLen pids, and only maxPIDPages pages stay in memory; the page
// used longest ago goes to a page file of its own (unlinked as it is
// made, like the spill file) and comes back when a pid in it is asked
// for. Pids are handed out in order, so the pages that new processes ask
// for are few and neighbours; the writes of a spill are applied sorted, so
// each page comes in once per spill.
//
// Beside each record number the page keeps the process's parent pid, a
// mark and its boot (Tree.spilledReused, Tree.coldSpilled). The bound:
// maxPIDPages × 16 KiB in memory (4 MiB), plus a page header (about 64
// bytes with its map entry) per 1 024 pids of a host that have a
// process on disk — 256 KiB for a host using all of Linux's 4 194 304
// pids. A page with no entry left is dropped. The page file holds 16 KiB
// per page with entries. When no page file can be made, pages stay in
// memory: no pid is lost, only the memory bound is off.
type pidIndex struct {
	dir    map[uint64]*pidPage // by key >> pidPageBits
	res    []*pidPage          // the pages in memory
	max    int                 // pages kept in memory
	clock  uint64
	tmpDir string
	f      *os.File
	noFile string  // why no page file could be made; pages stay in memory
	free   []int32 // slots of the page file no page uses
	slots  int32
	buf    []byte
	spare  []int32 // the entries of the page evicted last, for the next one read
	fail   func(error)

	reads, writes int // pages read from and written to the file
}

const (
	pidPageBits = 10
	pidPageLen  = 1 << pidPageBits
	// a page holds each pid's record+1, then each pid's parent pid, then
	// what the tree's guesses need to pass a process by (its last-seen
	// time, whether it is a placeholder, its boot): Tree.spilledReused and
	// Tree.coldSpilled read them so as not to read the process back
	pidPageBytes = 16 * pidPageLen
	// maxPIDPages is how many pages of the pid index stay in memory.
	maxPIDPages = 256
)

type pidPage struct {
	ents  []int32 // record+1 by pid, 0 for none, then the parent pids, the marks, the boots; nil while on disk
	n     int32   // entries set
	slot  int32   // place in the page file, -1 for none
	used  uint64  // clock of the last use, to evict the oldest
	dirty bool    // differs from its copy in the file
}

func newPIDIndex(dir string, max int, fail func(error)) *pidIndex {
	return &pidIndex{dir: map[uint64]*pidPage{}, max: max, tmpDir: dir, fail: fail}
}

// entry returns key's entries (record+1, then what is kept beside it, a
// page length apart), nil when it has no record.
func (x *pidIndex) entry(key uint64) []int32 {
	pg := x.dir[key>>pidPageBits]
	if pg == nil || !x.in(pg) {
		return nil
	}
	i := key & (pidPageLen - 1)
	if pg.ents[i] == 0 {
		return nil
	}
	return pg.ents[i:]
}

func (x *pidIndex) get(key uint64) (int32, bool) {
	if e := x.entry(key); e != nil {
		return e[0] - 1, true
	}
	return 0, false
}

// ppid returns the parent pid stored with key's record (0: unknown).
func (x *pidIndex) ppid(key uint64) (int32, bool) {
	if e := x.entry(key); e != nil {
		return e[pidPageLen], true
	}
	return 0, false
}

// mark returns the mark and the boot stored with key's record (0:
// unknown).
func (x *pidIndex) mark(key uint64) (mark, boot int32, ok bool) {
	if e := x.entry(key); e != nil {
		return e[2*pidPageLen], e[3*pidPageLen], true
	}
	return 0, 0, false
}

// setWith points key at record r with the process's parent pid, mark and
// boot.
func (x *pidIndex) setWith(key uint64, r, ppid, mark, boot int32) {
	x.set(key, r)
	if pg := x.dir[key>>pidPageBits]; pg != nil && pg.ents != nil {
		i := key & (pidPageLen - 1)
		pg.ents[pidPageLen+i], pg.ents[2*pidPageLen+i], pg.ents[3*pidPageLen+i] = ppid, mark, boot
	}
}

// set points key at record r, keeping what is stored beside it.
func (x *pidIndex) set(key uint64, r int32) {
	pg := x.dir[key>>pidPageBits]
	if pg == nil {
		x.makeRoom()
		pg = &pidPage{ents: x.take(), slot: -1}
		x.dir[key>>pidPageBits] = pg
		x.res = append(x.res, pg)
	}
	if !x.in(pg) {
		return
	}
	i := key & (pidPageLen - 1)
	if pg.ents[i] == 0 {
		pg.n++
	}
	pg.ents[i], pg.dirty = r+1, true
	pg.used = x.tick()
}

func (x *pidIndex) del(key uint64) {
	pg := x.dir[key>>pidPageBits]
	if pg == nil || !x.in(pg) {
		return
	}
	i := key & (pidPageLen - 1)
	if pg.ents[i] == 0 {
		return
	}
	pg.ents[i], pg.ents[pidPageLen+i], pg.ents[2*pidPageLen+i], pg.ents[3*pidPageLen+i], pg.dirty = 0, 0, 0, 0, true
	if pg.n--; pg.n > 0 {
		return
	}
	// no pid of the page is on disk any more: drop it
	delete(x.dir, key>>pidPageBits)
	if i := slices.Index(x.res, pg); i >= 0 {
		x.res[i] = x.res[len(x.res)-1]
		x.res[len(x.res)-1] = nil
		x.res = x.res[:len(x.res)-1]
	}
	if pg.slot >= 0 {
		x.free = append(x.free, pg.slot)
	}
	x.spare = pg.ents
}

// setSorted applies a spill's writes in key order, so that each page is
// read in at most once for them.
func (x *pidIndex) setSorted(kv []pidRec) {
	slices.SortStableFunc(kv, func(a, b pidRec) int { // stable: the last write of a key wins
		if a.key < b.key {
			return -1
		}
		if a.key > b.key {
			return 1
		}
		return 0
	})
	for _, e := range kv {
		x.setWith(e.key, e.r, e.ppid, e.mark, e.boot)
	}
}

type pidRec struct {
	key                 uint64
	r, ppid, mark, boot int32
}

func (x *pidIndex) tick() uint64 { x.clock++; return x.clock }

// take returns a zeroed entry array.
func (x *pidIndex) take() []int32 {
	if e := x.spare; e != nil {
		x.spare = nil
		clear(e)
		return e
	}
	return make([]int32, 4*pidPageLen)
}

// in makes sure pg is in memory; false after an I/O error (reported).
func (x *pidIndex) in(pg *pidPage) bool {
	pg.used = x.tick()
	if pg.ents != nil {
		return true
	}
	x.makeRoom()
	ents := x.take()
	b := slices.Grow(x.buf[:0], pidPageBytes)[:pidPageBytes]
	x.buf = b
	if _, err := x.f.ReadAt(b, int64(pg.slot)*pidPageBytes); err != nil {
		x.fail(fmt.Errorf("pid index page %d: %w", pg.slot, err))
		x.spare = ents
		return false
	}
	for i := range ents {
		ents[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	x.reads++
	pg.ents, pg.dirty = ents, false
	x.res = append(x.res, pg)
	return true
}

// makeRoom writes the page used longest ago to the file when the pages in
// memory are at their bound.
func (x *pidIndex) makeRoom() {
	if len(x.res) < x.max || x.noFile != "" {
		return
	}
	if x.f == nil {
		f, err := os.CreateTemp(x.tmpDir, "auditchain-pids-*")
		if err != nil {
			x.noFile = err.Error()
			return
		}
		os.Remove(f.Name()) // the open file lives on, nothing is left behind
		x.f = f
	}
	old := 0
	for i, pg := range x.res {
		if pg.used < x.res[old].used {
			old = i
		}
	}
	pg := x.res[old]
	if pg.dirty || pg.slot < 0 {
		if pg.slot < 0 {
			if n := len(x.free); n > 0 {
				pg.slot, x.free = x.free[n-1], x.free[:n-1]
			} else {
				pg.slot, x.slots = x.slots, x.slots+1
			}
		}
		b := slices.Grow(x.buf[:0], pidPageBytes)
		for _, v := range pg.ents {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		x.buf = b
		if _, err := x.f.WriteAt(b, int64(pg.slot)*pidPageBytes); err != nil {
			x.fail(fmt.Errorf("pid index page %d: %w", pg.slot, err))
			return // it stays in memory
		}
		x.writes++
	}
	x.spare, pg.ents, pg.dirty = pg.ents, nil, false
	x.res[old] = x.res[len(x.res)-1]
	x.res[len(x.res)-1] = nil
	x.res = x.res[:len(x.res)-1]
}

func (x *pidIndex) close() error {
	if x == nil || x.f == nil {
		return nil
	}
	err := x.f.Close()
	x.f = nil
	return err
}
