package parser

import (
	"errors"
	"slices"
)

// Limits bound what one hostile input can make the parser hold or do. The
// logs come from a machine an attacker controlled, so every size the input
// chooses is capped; the defaults are far above what a real kernel or
// daemon writes, so that no real event is ever cut. When a limit is hit,
// what was cut is counted as malformed and reported with file:line, and the
// rest of the input is read as usual. The zero value means the defaults.
type Limits struct {
	// RecordsPerEvent caps the records of one auditd event (one
	// node/time/serial key). Default 65 536: the largest real event, an
	// execve at the kernel's argv limit, has about 2 000 EXECVE records.
	// When hit, the event is completed with its first records; the rest
	// of the records with its key are dropped and counted as malformed.
	RecordsPerEvent int
	// BytesPerEvent caps the bytes of one auditd event's records. Default
	// 32 MiB, twice the most a kernel logs for one execve (6 MiB of argv and
	// envp, hex-encoded, plus record headers). When hit, as for
	// RecordsPerEvent. It is clamped to 1 GiB so that offsets into the
	// event can never overflow.
	BytesPerEvent int
	// ArgsPerExec caps the arguments kept for one execve. Default
	// 2 097 152: the kernel allows at most 6 MiB of argv+envp strings and
	// pointers, at least 9 bytes an argument on 64-bit (about 700 000) and
	// 5 on 32-bit kernels (about 1.26 million). When hit, the arguments past
	// it are dropped and the EXECVE record is reported as cut.
	ArgsPerExec int
	// PartsPerArg caps the aN[i] parts of one argument the kernel split
	// over several records. Default 4 096: an argument is at most
	// MAX_ARG_STRLEN (128 KiB, 256 KiB hex) and parts are up to 7 500
	// bytes, so a real argument has a few dozen. When hit, the parts past
	// it are dropped and the record is reported as cut.
	PartsPerArg int
}

// Default limits; see Limits.
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

// ErrLimit marks what was cut because a Limits bound was reached.
var ErrLimit = errors.New("limit reached")

// badRecords counts the records that the errors of one event are about:
// they name each record by its line, and a record with two problems is one
// malformed record.
func badRecords(errs []*Error) int {
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
