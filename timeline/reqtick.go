package timeline

import (
	"cmp"
	"slices"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// An audit record's time is when its syscall began (the kernel stamps the
// context at syscall entry, with the coarse clock: one tick is 4 ms on
// many kernels), and its serial is taken when the record is emitted, at
// the syscall's exit. A php-fpm worker's accept is stamped when it went
// back to wait and numbered when a connection came; a child's exec is
// stamped and numbered within the exec. So an accept of the worker stamped
// with the same tick as its child's exec is ordered by the serials:
//   - the accept's serial above the exec's: it returned after the exec,
//     so it began after it too (a worker starts a child only while it
//     serves a request, never while it waits): the request the child came
//     from ended with that accept;
//   - below: it returned before the exec, so it began before it: the
//     child came from the request that accept took, which ended at the
//     worker's next accept.
// When either record has no serial (a log that is not auditd's) or two
// accepts share the tick, the order stays unknown and rule 5g names
// nothing, as before. The serial is a 32-bit window of auditd's counter:
// two records of one tick are never 2^31 records apart.

// tickOrder says where a worker's accept in the exec's own clock tick lies.
type tickOrder int

const (
	tickNone    tickOrder = iota // no accept of the worker in the exec's tick
	tickBefore                   // one, before the exec by its serial
	tickAfter                    // one, after the exec by its serial
	tickUnknown                  // the serials do not say
)

// tickOrder returns where the worker's pool accept stamped with the
// exec's own time lies relative to the exec.
func (w *workerAccepts) tickOrder(worker *parser.Process, ex *parser.Event) tickOrder {
	w.sort()
	ms := w.by[worker.Key]
	t := ex.Time.UnixNano()
	i, found := slices.BinarySearchFunc(ms, t, func(m acceptMark, at int64) int { return cmp.Compare(m.at, at) })
	if !found {
		return tickNone
	}
	if i+1 < len(ms) && ms[i+1].at == t || ms[i].serial == 0 || ex.Serial == 0 {
		return tickUnknown
	}
	if d := int32(ms[i].serial - uint32(ex.Serial)); d > 0 {
		return tickAfter
	} else if d < 0 {
		return tickBefore
	}
	return tickUnknown
}

// endAfter returns when the worker ended the request it was serving at
// exec ex: its accept in the exec's own tick when the serials put it
// after the exec, else its first pool accept after the exec's time
// (next; an accept whose order the serials do not give is taken as
// before the exec, which only makes the end later).
func (w *workerAccepts) endAfter(worker *parser.Process, ex *parser.Event) (time.Time, bool) {
	if worker == nil || !isFPMWorker(worker) {
		return time.Time{}, false
	}
	if w.tickOrder(worker, ex) == tickAfter {
		return ex.Time.UTC(), true
	}
	return w.next(worker, ex.Time)
}
