package parser

import "github.com/auditchain/auditchain/parser/internal/event"

// The shared types live in the leaf package parser/internal/event, which
// every format package imports and which imports none of ours; these
// aliases keep parser's API as it was. Documentation is on the originals.

// Positions and errors.
type (
	Pos       = event.Pos
	Error     = event.Error
	ErrorList = event.ErrorList
)

// DefaultMaxErrors is how many errors an ErrorList keeps unless told otherwise.
const DefaultMaxErrors = event.DefaultMaxErrors

// Sentinel errors carried in Error.Err; test them with errors.Is.
var (
	ErrHeader    = event.ErrHeader
	ErrField     = event.ErrField
	ErrFormat    = event.ErrFormat
	ErrTooLong   = event.ErrTooLong
	ErrDuplicate = event.ErrDuplicate
	ErrRepaired  = event.ErrRepaired
)

// newError builds an *Error with its Record shortened.
func newError(pos Pos, record string, err error) *Error { return event.NewError(pos, record, err) }

// Events.
type (
	Kind        = event.Kind
	ID          = event.ID
	Evidence    = event.Evidence
	PathRecord  = event.PathRecord
	Addr        = event.Addr
	Container   = event.Container
	HTTPRequest = event.HTTPRequest
	Alert       = event.Alert
	Event       = event.Event
	Keep        = event.Keep
	Retention   = event.Retention
	// EventStore keeps events packed, Packed names one (event/packed.go):
	// what a consumer keeps to the end for their fields only costs about
	// 100 bytes an event instead of a 640-byte block.
	EventStore = event.Store
	Packed     = event.Packed
)

// Pinned reports whether a consumer holds p (Process.Pin, Event.Retain):
// a spilling tree keeps it in memory.
func Pinned(p *Process) bool { return event.Pinned(p) }

// What a consumer keeps of an event it retains (Event.Retain).
const (
	KeepFields = event.KeepFields
	KeepText   = event.KeepText
)

// Event kinds.
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
)

// NumKinds is the number of kinds: arrays indexed by Kind have this length.
const NumKinds = event.NumKinds

// Unset is the audit subsystem's value for an unset id ((uint32)-1).
const Unset = event.Unset

// NewID returns a set ID unless n is the audit "unset" value.
func NewID(n uint32) ID { return event.NewID(n) }

// ParseKind returns the Kind named s, and false when s names none.
func ParseKind(s string) (Kind, bool) { return event.ParseKind(s) }

// Synth says that a sensor decoder made an event up (Event.Synth).
type Synth = event.Synth

// How an event was made up.
const (
	NotSynth     = event.NotSynth
	SynthParent  = event.SynthParent
	SynthProcess = event.SynthProcess
)

// Processes.
type (
	ProcKey = event.ProcKey
	Exec    = event.Exec
	Process = event.Process
	Guess   = event.Guess
)

// How a process's parent was inferred (Process.ParentGuess).
const (
	GuessNone     = event.GuessNone
	GuessDaemon   = event.GuessDaemon
	GuessSubshell = event.GuessSubshell
	GuessRelay    = event.GuessRelay
)

// Input formats.
type Format = event.Format

// The formats auditchain reads.
const (
	FormatUnknown      = event.FormatUnknown
	FormatAuditd       = event.FormatAuditd
	FormatJournald     = event.FormatJournald
	FormatAccessLog    = event.FormatAccessLog
	FormatDockerJSON   = event.FormatDockerJSON
	FormatCRI          = event.FormatCRI
	FormatDockerEvents = event.FormatDockerEvents
	FormatTetragon     = event.FormatTetragon
	FormatFalco        = event.FormatFalco
	FormatCloudDefend  = event.FormatCloudDefend
	FormatSysmon       = event.FormatSysmon
	FormatK8sAudit     = event.FormatK8sAudit
	FormatEnvelope     = event.FormatEnvelope
)

// decoder turns the lines of one non-auditd input into events.
type decoder = event.Decoder
