package parser

import (
	"container/heap"
	"time"
)

// Sensor exports and shipper envelopes are written in the order the
// pipeline received them, not the order things happened: on OTRF's public
// Sysmon capture a reverse shell's connect (18:10:22.139) is three lines
// before the exec of the process that made it (18:10:22.138), so the tree
// met the connect first and judged it without its process. A line input's
// events therefore pass a bounded reorder buffer: an event is released once
// an event reorderWindow later than it has been read, or when the buffer
// holds reorderMax events, or at the end of the input. Events of equal time
// keep their input order (a synthesized parent stays before its child).
// An event later than the window is released when it comes, out of order,
// as before. Memory stays bounded by reorderMax events and reorderBytes of
// their record text (a sensor line may be up to 16 MiB: a count alone
// would let 16 384 of them hold 256 GiB).
const (
	reorderWindow = 10 * time.Second
	reorderMax    = 16384
	reorderBytes  = 64 << 20
)

type reorderItem struct {
	ev   *Event
	seq  uint64
	size int // bytes of record text it holds
}

type reorderHeap []reorderItem

func (h reorderHeap) Len() int { return len(h) }
func (h reorderHeap) Less(i, j int) bool {
	if !h[i].ev.Time.Equal(h[j].ev.Time) {
		return h[i].ev.Time.Before(h[j].ev.Time)
	}
	return h[i].seq < h[j].seq
}
func (h reorderHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *reorderHeap) Push(x any)   { *h = append(*h, x.(reorderItem)) }
func (h *reorderHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = reorderItem{}
	*h = old[:len(old)-1]
	return it
}

// reorder is the buffer; the zero value is ready.
type reorder struct {
	h      reorderHeap
	seq    uint64
	newest time.Time
	bytes  int
}

// add takes an event read from the input.
func (r *reorder) add(ev *Event) {
	if ev.Time.After(r.newest) {
		r.newest = ev.Time
	}
	size := 0
	for _, e := range ev.Evidence {
		size += len(e.Raw)
	}
	heap.Push(&r.h, reorderItem{ev: ev, seq: r.seq, size: size})
	r.seq++
	r.bytes += size
}

// ready reports whether the earliest event may be released while more
// input may come.
func (r *reorder) ready() bool {
	if len(r.h) == 0 {
		return false
	}
	return len(r.h) >= reorderMax || r.bytes >= reorderBytes || r.newest.Sub(r.h[0].ev.Time) > reorderWindow
}

// pop releases the earliest event, nil when empty.
func (r *reorder) pop() *Event {
	if len(r.h) == 0 {
		return nil
	}
	it := heap.Pop(&r.h).(reorderItem)
	r.bytes -= it.size
	return it.ev
}
