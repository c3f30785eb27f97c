package detect

import (
	"math/bits"
	"strings"
)

// The needs of forty rules on an exec are a hundred strings.Contains over
// the same few values. needIndex looks for all of a field's literals in
// one scan of each value instead (as multiContains does for one list: a
// bitmap of the literals' first two bytes), once per event; a clause is
// then a bit-set test.

// litTable holds every literal the needs look for in one field.
type litTable struct {
	lits   []string
	ids    map[string]int
	bitmap [1 << 16 / 64]uint64 // the first two bytes of every literal
	// starts holds the literals of fewer than four bytes by their first
	// two; the longer ones are found by their first four (quads): the
	// literals on Image and CommandLine share their first two bytes by
	// the dozen ("/u", "/b", "-o"), and comparing each where those two
	// met was 7–17 ns a byte scanned on the busy-server log
	starts map[uint16][]int
	// dense is starts by rank in the bitmap (rank: the bits set in the
	// words before, per word), made by freeze: scan's lookup for each
	// pair of bytes it meets was a map access, a tenth of its time
	rank  [1 << 16 / 64]int32
	dense [][]int
	short bool // some literal is in starts
	// quads holds the literals of four bytes or more by their first
	// four, and quadBits their hashes (quadHash), a filter before the
	// map lookup
	quads    map[uint32][]int
	quadBits [1 << 16 / 64]uint64
}

// quad is the four bytes of s from i, which must be there.
func quad(s string, i int) uint32 {
	return uint32(s[i])<<24 | uint32(s[i+1])<<16 | uint32(s[i+2])<<8 | uint32(s[i+3])
}

// quadHash is a quad's bit in quadBits.
func quadHash(q uint32) uint32 { return (q * 0x9E3779B1) >> 16 }

// freeze makes dense once every literal is in.
func (t *litTable) freeze() {
	n := int32(0)
	for w, b := range t.bitmap {
		t.rank[w] = n
		n += int32(bits.OnesCount64(b))
	}
	t.dense = make([][]int, n)
	for k, ids := range t.starts {
		t.dense[t.slot(k)] = ids
	}
}

// slot is the rank of k's bit, which must be set.
func (t *litTable) slot(k uint16) int32 {
	return t.rank[k>>6] + int32(bits.OnesCount64(t.bitmap[k>>6]&(1<<(k&63)-1)))
}

func (t *litTable) id(l string) int {
	if id, ok := t.ids[l]; ok {
		return id
	}
	id := len(t.lits)
	t.lits = append(t.lits, l)
	t.ids[l] = id
	k := uint16(l[0])<<8 | uint16(l[1]) // needs hold literals of minLiteral bytes or more
	t.bitmap[k>>6] |= 1 << (k & 63)
	if len(l) < 4 {
		t.starts[k] = append(t.starts[k], id)
		t.short = true
		return id
	}
	if t.quads == nil {
		t.quads = map[uint32][]int{}
	}
	q := quad(l, 0)
	t.quads[q] = append(t.quads[q], id)
	h := quadHash(q)
	t.quadBits[h>>6] |= 1 << (h & 63)
	return id
}

// scan sets in found the bit of every literal v holds.
func (t *litTable) scan(v string, found []uint64) {
	for i := 0; i+1 < len(v); i++ {
		k := uint16(v[i])<<8 | uint16(v[i+1])
		if t.bitmap[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		if t.short {
			for _, id := range t.dense[t.slot(k)] {
				if strings.HasPrefix(v[i:], t.lits[id]) {
					found[id/64] |= 1 << (id % 64)
				}
			}
		}
		if i+3 >= len(v) {
			continue
		}
		q := quad(v, i)
		if h := quadHash(q); t.quadBits[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		for _, id := range t.quads[q] {
			if strings.HasPrefix(v[i:], t.lits[id]) {
				found[id/64] |= 1 << (id % 64)
			}
		}
	}
}

// indexNeeds gives every runnable rule's need clauses their table and
// bits, one table per field.
func (e *Engine) indexNeeds() {
	tables := map[*fieldRef]*litTable{}
	var clauses []*clause
	for _, r := range e.rules {
		if !r.Runnable || r.det == nil {
			continue
		}
		for _, n := range append([]need{r.det.need}, r.det.also...) {
			for i := range n {
				cl := &n[i]
				t := tables[cl.ref]
				if t == nil {
					t = &litTable{ids: map[string]int{}, starts: map[uint16][]int{}}
					tables[cl.ref] = t
				}
				cl.tab = t
				for _, l := range cl.lits {
					t.id(l)
				}
				clauses = append(clauses, cl)
			}
		}
	}
	for _, t := range tables {
		t.freeze()
	}
	for _, cl := range clauses { // the tables are complete: size the masks
		cl.mask = make([]uint64, (len(cl.tab.lits)+63)/64)
		for _, l := range cl.lits {
			id := cl.tab.ids[l]
			cl.mask[id/64] |= 1 << (id % 64)
		}
	}
}

// litsFound returns the bits of t's literals that the field's lower-cased
// values hold, computed once per event.
func (c *evalCtx) litsFound(ref *fieldRef, t *litTable) []uint64 {
	if len(c.found) <= ref.id {
		c.found = append(c.found, make([]foundCache, ref.id+1-len(c.found))...)
	}
	fc := &c.found[ref.id]
	if fc.gen != c.gen {
		fc.gen = c.gen
		n := (len(t.lits) + 63) / 64
		fc.bits = append(fc.bits[:0], make([]uint64, n)...)
		for _, v := range c.lowerValues(ref) {
			t.scan(v, fc.bits)
		}
	}
	return fc.bits
}

type foundCache struct {
	gen  uint32
	bits []uint64
}
