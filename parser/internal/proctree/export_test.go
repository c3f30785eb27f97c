package proctree

import "github.com/auditchain/auditchain/parser/internal/event"

// SpillDump is spillDump for the tests outside the package, which read the
// lab's logs through parser (which imports this package).
var SpillDump = spillDump

// The tests' short names for the shared types, as in types.go.
const (
	KindOther     = event.KindOther
	KindDaemon    = event.KindDaemon
	KindAccept    = event.KindAccept
	KindFileWrite = event.KindFileWrite
)

func NewID(n uint32) ID { return event.NewID(n) }
