// Package event holds the types every format decoder shares: events,
// processes, positions and errors.
//
// # Retention: who may keep an event
//
// An event handed to a consumer (a Reader's Next or All callback, and
// everything that callback passes it to) is the consumer's only for that
// call. A consumer that keeps the *Event, or a pointer into it, past that
// call — in a finding, a linking list, detection state — must call
// ev.Retain during the call, once per reason it keeps it:
//
//   - Retain(KeepFields): the fields are read later; the record text may
//     go (the caller of the loop compacts a retained event, see Compact).
//   - Retain(KeepText): the record text is quoted later as well (a
//     finding's evidence, a request or login the report quotes).
//
// Retain pins the event's process (Process.Pin: a spilling tree keeps it,
// and it stays the one *Process for its process) and counts what is kept
// (see Retention). A consumer that keeps a process without an event calls
// Process.Pin itself. An event nobody retained is not looked at again
// after the loop's iteration; what it held is the reader's.
package event

// Keep is what a consumer keeps of an event it retains.
type Keep uint8

const (
	// KeepFields keeps the event's fields; its record text may be dropped.
	KeepFields Keep = iota + 1
	// KeepText keeps the record text too: it is quoted later.
	KeepText
)

// Retention counts what consumers retained of the events one reader
// yielded: the memory a scan keeps past its loop, by cause.
type Retention struct {
	Events     int   // events retained at least once
	TextEvents int   // of those, events whose record text is kept
	TextBytes  int64 // bytes of record text kept (as read, before Compact)
}

// Retain marks e as kept past the call it was received in, for the reason
// k; see the package comment for the contract.
func (e *Event) Retain(k Keep) {
	e.Proc.Pin()
	if !e.retained {
		e.retained = true
		if e.retention != nil {
			e.retention.Events++
		}
	}
	if k == KeepText && !e.rawKept {
		e.rawKept = true
		if e.retention != nil {
			e.retention.TextEvents++
			for _, x := range e.Evidence {
				e.retention.TextBytes += int64(len(x.Raw))
			}
		}
	}
}

// TextRetained reports whether a consumer retained e with its record text
// (Retain(KeepText)): it stays in memory whole whoever else lets it go.
func (e *Event) TextRetained() bool { return e.rawKept }

// Retained reports whether a consumer retained e.
func (e *Event) Retained() bool { return e.retained }

// CountRetention makes e's Retain calls count in r; the reader sets it on
// each event it yields. A function, not a method, so that it stays out of
// parser's API.
func CountRetention(e *Event, r *Retention) { e.retention = r }
