package auditd

import "github.com/auditchain/auditchain/parser/internal/event"

// The hot path's files were parser's until auditd got a package of its
// own; these aliases let them keep their short names for the shared types.
type (
	Pos        = event.Pos
	Error      = event.Error
	ErrorList  = event.ErrorList
	Event      = event.Event
	Evidence   = event.Evidence
	PathRecord = event.PathRecord
	Addr       = event.Addr
	ID         = event.ID
	Kind       = event.Kind
)

func newError(pos Pos, record string, err error) *Error { return event.NewError(pos, record, err) }

var (
	ErrHeader  = event.ErrHeader
	ErrField   = event.ErrField
	ErrLimit   = event.ErrLimit
	ErrTooLong = event.ErrTooLong
)

const (
	KindOther     = event.KindOther
	KindExec      = event.KindExec
	KindFork      = event.KindFork
	KindExit      = event.KindExit
	KindFileWrite = event.KindFileWrite
	KindFileRead  = event.KindFileRead
	KindRename    = event.KindRename
	KindUnlink    = event.KindUnlink
	KindChmod     = event.KindChmod
	KindChown     = event.KindChown
	KindConnect   = event.KindConnect
	KindAccept    = event.KindAccept
	KindBind      = event.KindBind
	KindLogin     = event.KindLogin
	KindSession   = event.KindSession
	KindHTTP      = event.KindHTTP
	KindContainer = event.KindContainer
	KindConfig    = event.KindConfig
	KindDaemon    = event.KindDaemon
	KindAlert     = event.KindAlert
	KindSyscall   = event.KindSyscall
	FormatAuditd  = event.FormatAuditd
	Unset         = event.Unset
)

func NewID(n uint32) ID { return event.NewID(n) }
