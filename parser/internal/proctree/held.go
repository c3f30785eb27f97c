package proctree

import "github.com/auditchain/auditchain/parser/internal/event"

// Held counts what keeps the tree's processes in memory: a spilling tree
// moves every process but the pinned ones (Process.Pin) and their
// ancestors, so on a long log these counts, not the spill limit, say what
// the trees cost (a leaked pin shows as Pinned growing with the log).
type Held struct {
	InMemory  int // processes in memory
	Pinned    int // of those, pinned by a consumer
	Ancestors int // of those, not pinned but above a pinned one
}

// Held walks the processes in memory; it costs a map entry per ancestor,
// so it is for profiles (scan --memprofile), not for every scan.
func (t *Tree) Held() Held {
	if t.parts != nil {
		return t.unionHeld()
	}
	h := Held{InMemory: len(t.procs)}
	above := map[*Process]bool{}
	for _, p := range t.procs {
		if !event.Pinned(p) {
			continue
		}
		h.Pinned++
		for q := p.Parent; q != nil && !above[q]; q = q.Parent {
			above[q] = true
		}
	}
	for q := range above {
		if !event.Pinned(q) {
			h.Ancestors++
		}
	}
	return h
}
