package parser

import "github.com/auditchain/auditchain/parser/internal/event"

// Recycle gives ev back to the reader once the caller's loop is done with
// it: when no consumer retained it (Event.Retain), a later event is
// decoded into its memory. The loop that received ev from Next or All
// calls it last, after every consumer has seen ev; nothing may use ev
// afterwards. With Options.PoisonRecycled the event is overwritten with
// garbage instead, so that a consumer that kept it without retaining it
// reads nonsense (tests run this way). Events of formats other than
// auditd are left to the collector.
func (r *Reader) Recycle(ev *Event) { r.opts.blocks.Recycle(ev) }

// Compact is Event.Compact for an event the caller's loop retained (see
// Event.Retain): its record text goes unless a consumer quotes it. The
// copies of the fields that pointed into the text are shared with equal
// ones of the events compacted before (event.Strings): the events kept to
// the end of a scan repeat the same programs, keys and files.
func (r *Reader) Compact(ev *Event) { event.CompactShared(ev, &r.compacted) }
