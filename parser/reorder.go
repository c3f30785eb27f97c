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
// as before; memory stays bounded by reorderMax.
const (
	reorderWindow = 10 * time.Second
	reorderMax    = 16384
)

type reorderItem struct {
	ev  *Event
	seq uint64
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
}

// add takes an event read from the input.
func (r *reorder) add(ev *Event) {
	if ev.Time.After(r.newest) {
		r.newest = ev.Time
	}
	heap.Push(&r.h, reorderItem{ev: ev, seq: r.seq})
	r.seq++
}

// ready reports whether the earliest event may be released while more
// input may come.
func (r *reorder) ready() bool {
	if len(r.h) == 0 {
		return false
	}
	return len(r.h) >= reorderMax || r.newest.Sub(r.h[0].ev.Time) > reorderWindow
}

// pop releases the earliest event, nil when empty.
func (r *reorder) pop() *Event {
	if len(r.h) == 0 {
		return nil
	}
	return heap.Pop(&r.h).(reorderItem).ev
}
