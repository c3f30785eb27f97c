package timeline

import (
	"fmt"

	"github.com/auditchain/auditchain/parser"
)

// The linking lists (webExecs, fileOps, connects …) hold up to
// MaxLinkEvents events to the end of the log, for their fields only: on a
// long archive they were the largest part of the scan's memory (57 000
// events of 640 bytes on the pid-repeating log at 2 GB, 35 MiB of the
// live heap while the log was read). While the log is read, the lists
// therefore hold each event packed (parser.EventStore, about 100 bytes)
// once the Observe that kept it is over, and Build unpacks them, once
// each, into the lists the linkers read: by then the reader's buffers and
// detection's tables are gone. An event another consumer keeps whole (a
// finding quotes it: Retain KeepText) stays as it is: the linkers compare
// it by pointer with the findings' events. A packed event keeps the pin
// keep took: its process stays the one *Process, the same after Build.

// keptEntry is one event of a linking list while the log is read: the
// event itself, or, once packed, its name in the Builder's store.
type keptEntry struct {
	ev *parser.Event // nil once packed
	h  parser.Packed
	// gone: an exec kept aside that was let go (earlyrelease.go); the
	// entry stays so that the list's bound counts it
	gone bool
}

// heldList returns the entries the list pointed to holds while the log
// is read.
func (b *Builder) heldList(list *[]*parser.Event) *[]keptEntry {
	if b.held == nil {
		b.held = map[*[]*parser.Event]*[]keptEntry{}
	}
	es := b.held[list]
	if es == nil {
		es = new([]keptEntry)
		b.held[list] = es
	}
	return es
}

// hold appends ev to list (keep), packed once the Observe at hand is over
// (settle).
func (b *Builder) hold(list *[]*parser.Event, ev *parser.Event) {
	es := b.heldList(list)
	*es = append(*es, keptEntry{ev: ev})
	if b.freshEv != ev {
		b.freshEv, b.fresh = ev, b.fresh[:0]
	}
	b.fresh = append(b.fresh, list)
}

// heldLen is how many events list holds.
func (b *Builder) heldLen(list *[]*parser.Event) int {
	return len(*b.heldList(list)) + len(*list)
}

// settle packs the event the last Observe kept, unless another consumer
// retained its text (it is kept whole then). Observe calls it first, and
// unpackLists before anything reads the lists: by then every consumer of
// the event has seen it.
func (b *Builder) settle() {
	ev := b.freshEv
	if ev == nil {
		return
	}
	b.freshEv = nil
	if ev.TextRetained() {
		b.fresh = b.fresh[:0]
		return
	}
	h := b.store.Pack(ev)
	if len(b.fresh) > 1 && b.early.by != nil {
		b.early.sharedIn(h, b.fresh, b)
	}
	for _, list := range b.fresh {
		es := *b.heldList(list)
		// its entries are at the end (a list keeps an event once; thin
		// keeps the order)
		for i := len(es) - 1; i >= 0 && es[i].ev == ev; i-- {
			es[i] = keptEntry{h: h}
		}
	}
	b.fresh = b.fresh[:0]
}

// heldEvent returns the event of an entry, unpacked when it is packed (a
// new *Event each time: for reading its fields).
func (b *Builder) heldEvent(e keptEntry) *parser.Event {
	if e.ev != nil {
		return e.ev
	}
	ev, err := b.store.Unpack(e.h)
	if err != nil {
		panic(fmt.Sprintf("timeline: %v", err)) // our own bytes: a bug, never the input's
	}
	return ev
}

// unpackLists moves the held entries into the lists the linkers read,
// each packed event unpacked once (an event in two lists is one *Event in
// both), and lets the store go.
func (b *Builder) unpackLists() {
	b.settle()
	if len(b.held) == 0 {
		return
	}
	memo := map[parser.Packed]*parser.Event{}
	for _, list := range b.allLists() {
		es := b.held[list]
		if es == nil {
			continue
		}
		for _, e := range *es {
			if e.gone {
				continue
			}
			ev := e.ev
			if ev == nil {
				if ev = memo[e.h]; ev == nil {
					ev = b.heldEvent(e)
					memo[e.h] = ev
				}
			}
			*list = append(*list, ev)
		}
	}
	b.held = nil
	b.store = parser.EventStore{}
	b.early = earlyState{}
}

// allLists are the lists keep fills, in a fixed order.
func (b *Builder) allLists() []*[]*parser.Event {
	return []*[]*parser.Event{&b.requests, &b.webExecs, &b.unnamedParent, &b.earlyExecs, &b.cgiExecs, &b.fileOps, &b.connects, &b.accepts, &b.logins, &b.crontabs}
}
