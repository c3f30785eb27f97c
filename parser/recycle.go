package parser

// Recycle gives ev back to the reader once the caller's loop is done with
// it: when no consumer retained it (Event.Retain), a later event is
// decoded into its memory. The loop that received ev from Next or All
// calls it last, after every consumer has seen ev; nothing may use ev
// afterwards. With Options.PoisonRecycled the event is overwritten with
// garbage instead, so that a consumer that kept it without retaining it
// reads nonsense (tests run this way). Events of formats other than
// auditd are left to the collector.
func (r *Reader) Recycle(ev *Event) { r.opts.blocks.Recycle(ev) }
