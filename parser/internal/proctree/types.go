package proctree

import "github.com/auditchain/auditchain/parser/internal/event"

// The tree's files were parser's until the tree got a package of its own;
// these aliases let them keep their short names for the shared types.
type (
	Event     = event.Event
	Process   = event.Process
	ProcKey   = event.ProcKey
	Exec      = event.Exec
	Container = event.Container
	Addr      = event.Addr
	ID        = event.ID
	Kind      = event.Kind
	Format    = event.Format
	Guess     = event.Guess
)

const (
	FormatAuditd  = event.FormatAuditd
	GuessNone     = event.GuessNone
	GuessDaemon   = event.GuessDaemon
	GuessSubshell = event.GuessSubshell
	GuessRelay    = event.GuessRelay
	KindExec      = event.KindExec
	KindFork      = event.KindFork
	KindConnect   = event.KindConnect
	KindExit      = event.KindExit
)

// SetMaxHosts bounds the hosts t lists (0: DefaultMaxHosts). It is a
// function, not a method, so that parser's Tree API stays what it was.
func SetMaxHosts(t *Tree, n int) { t.hosts.max = n }
