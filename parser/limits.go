package parser

import (
	"github.com/auditchain/auditchain/parser/internal/auditd"
	"github.com/auditchain/auditchain/parser/internal/event"
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

	// Decompress bounds what each compressed input may inflate to (see
	// DecompressLimits for its defaults).
	Decompress DecompressLimits
	// MaxJoinedLine bounds a container log line rebuilt from partial
	// chunks; 0 means DefaultMaxJoinedLine. When hit, the line is cut
	// there, keeping its head, and the cut is reported.
	MaxJoinedLine int
	// MaxHosts bounds the hosts Tree.Hosts lists; 0 means
	// DefaultMaxHosts. When hit, the processes of hosts past it are still
	// read and counted (Tree.HostsCut).
	MaxHosts int
}

// Default limits; see Limits.
const (
	DefaultRecordsPerEvent = auditd.DefaultRecordsPerEvent
	DefaultBytesPerEvent   = auditd.DefaultBytesPerEvent
	DefaultArgsPerExec     = auditd.DefaultArgsPerExec
	DefaultPartsPerArg     = auditd.DefaultPartsPerArg
)

// ErrLimit marks what was cut because a Limits bound was reached.
var ErrLimit = event.ErrLimit

// auditd returns the bounds the auditd decoders enforce.
func (l Limits) auditd() auditd.Limits {
	return auditd.Limits{RecordsPerEvent: l.RecordsPerEvent, BytesPerEvent: l.BytesPerEvent, ArgsPerExec: l.ArgsPerExec, PartsPerArg: l.PartsPerArg}
}
