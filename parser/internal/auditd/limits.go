package auditd

import "slices"

// Limits are the bounds of parser.Limits that the auditd decoders enforce;
// their documentation is there. The zero value means the defaults.
type Limits struct {
	RecordsPerEvent int
	BytesPerEvent   int
	ArgsPerExec     int
	PartsPerArg     int
}

// Default limits; see parser.Limits.
const (
	DefaultRecordsPerEvent = 1 << 16
	DefaultBytesPerEvent   = 32 << 20
	DefaultArgsPerExec     = 1 << 21
	DefaultPartsPerArg     = 4096

	// maxBytesPerEvent keeps int32 offsets into an event's buffer safe: an
	// event may exceed BytesPerEvent by one line (maxLine) at most.
	maxBytesPerEvent = 1 << 30
)

// withDefaults returns l with zero (or negative) fields set to their
// defaults and BytesPerEvent clamped.
func (l Limits) withDefaults() Limits {
	if l.RecordsPerEvent <= 0 {
		l.RecordsPerEvent = DefaultRecordsPerEvent
	}
	if l.BytesPerEvent <= 0 {
		l.BytesPerEvent = DefaultBytesPerEvent
	}
	l.BytesPerEvent = min(l.BytesPerEvent, maxBytesPerEvent)
	if l.ArgsPerExec <= 0 {
		l.ArgsPerExec = DefaultArgsPerExec
	}
	if l.PartsPerArg <= 0 {
		l.PartsPerArg = DefaultPartsPerArg
	}
	return l
}

// BadRecords counts the records that the errors of one event are about:
// they name each record by its line, and a record with two problems is one
// malformed record.
func BadRecords(errs []*Error) int {
	switch len(errs) {
	case 0, 1:
		return len(errs)
	}
	lines := make([]int, len(errs))
	for i, e := range errs {
		lines[i] = e.Pos.Line
	}
	slices.Sort(lines)
	return len(slices.Compact(lines))
}
