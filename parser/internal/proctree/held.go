package proctree

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// Held counts what keeps the tree's processes in memory: a spilling tree
// moves every process but the pinned ones (Process.Pin) and their
// ancestors, so on a long log these counts, not the spill limit, say what
// the trees cost (a leaked pin shows as Pinned growing with the log).
type Held struct {
	InMemory  int // processes in memory
	Pinned    int // of those, pinned by a consumer
	Ancestors int // of those, not pinned but above a pinned one
	// Sites says, when pins are traced (event.TracePins), which
	// consumers' pins hold them, most first.
	Sites []HeldBy
	// MovedAlive counts, when pins are traced, the processes the tree
	// moved out that are still referenced after the last collection: a
	// consumer keeps a *Process without pinning it, which keeps a copy
	// alive that the tree no longer updates (the accepts kept for
	// connection bounds did, 58 000 of them on the 2 GB pid-repeating
	// log). The caller collects garbage first (runtime.GC).
	MovedAlive int
}

// HeldBy counts the processes one consumer (a source file) holds.
type HeldBy struct {
	Site   string
	Pinned int // processes it pins
	Held   int // processes it pins or is above one it pins
	Only   int // of those, held by its pins alone: let go if it were
}

// Held walks the processes in memory; it costs a map entry per ancestor,
// so it is for profiles (scan --memprofile), not for every scan.
func (t *Tree) Held() Held {
	if t.parts != nil {
		return t.unionHeld()
	}
	h := Held{InMemory: len(t.procs)}
	if t.spill != nil {
		for _, w := range t.spill.moved {
			if w.Value() != nil {
				h.MovedAlive++
			}
		}
	}
	above := map[*Process]bool{}
	index := map[string]int{}
	var names []string
	var pinned []int
	masks := map[*Process]uint64{}
	for _, p := range t.procs {
		if !event.Pinned(p) {
			continue
		}
		h.Pinned++
		for q := p.Parent; q != nil && !above[q]; q = q.Parent {
			above[q] = true
		}
		var m uint64
		for site, n := range event.PinSites(p) {
			if n <= 0 {
				continue
			}
			i, ok := index[site]
			if !ok {
				i = len(names)
				index[site] = i
				names = append(names, site)
				pinned = append(pinned, 0)
			}
			if i < 64 {
				m |= 1 << i
				pinned[i]++
			}
		}
		if m == 0 && names != nil {
			m = 1 << 63 // pinned, by no file traced (or by more than 64)
		}
		for q := p; q != nil; q = q.Parent {
			if masks[q]&m == m && q != p {
				break
			}
			masks[q] |= m
		}
	}
	for q := range above {
		if !event.Pinned(q) {
			h.Ancestors++
		}
	}
	if len(names) == 0 {
		return h
	}
	by := make([]HeldBy, len(names))
	for i, n := range names {
		by[i] = HeldBy{Site: n, Pinned: pinned[i]}
	}
	for _, m := range masks {
		for r := m &^ (1 << 63); r != 0; r &= r - 1 {
			i := bits.TrailingZeros64(r)
			if i < len(by) {
				by[i].Held++
				if bits.OnesCount64(m) == 1 {
					by[i].Only++
				}
			}
		}
	}
	slices.SortFunc(by, func(a, b HeldBy) int { return cmp.Compare(b.Held, a.Held) })
	h.Sites = by
	return h
}
