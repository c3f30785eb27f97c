package event

import (
	"path"
	"strings"
	"time"
)

// ProcKey identifies a process: pids are reused, so the start time is part of
// the identity (like Tetragon's exec_id). Start is the time the process was
// first seen when its real start is not in the logs.
type ProcKey struct {
	Host  string
	PID   int
	Start time.Time
}

// Exec is one image a process ran; a process that execs again (sh → exec nc)
// keeps one node with several Execs.
type Exec struct {
	Time time.Time
	Exe  string
	Args []string
	Cwd  string
	UID  ID
	EUID ID
	// Pos and Serial locate the exec's records; the tree keeps positions,
	// not text.
	Pos    Pos
	Serial uint64
	// Inherited marks the image a forked child ran before its own exec:
	// its parent's, as the child's first records show (exe= of the parent's
	// binary) before an exec replaced it.
	Inherited bool
}

// Process is a node of a process tree.
//
// The tree keeps tens of thousands of processes (parser.DefaultSpillLimit
// plus the pinned ones), so the layout is kept to the allocator's 384-byte
// size class (TestProcessSize): the flags and the 32-bit counters share
// one word group, and the newest child's start is two integers instead of
// a time.Time. It was 416 bytes.
type Process struct {
	Key      ProcKey
	PPID     int      // parent pid as first seen
	Parent   *Process // nil for a root
	Children []*Process
	Exe      string
	Comm     string
	Args     []string // argv of the last exec, nil when no exec was seen
	// Title is the process title (PROCTITLE: the command line as the
	// process names itself, cut at 128 bytes by the kernel) of a process
	// whose exec the logs never showed — a server started before them —
	// from its first record that carries one; nil otherwise. It is what
	// the process says of itself, not an observed exec: the classifiers
	// read it, the reports do not show it as argv.
	Title     []string
	Execs     []Exec
	Cwd       string
	UID, EUID ID
	AUID, SES ID
	User      string // name of UID from the evidence itself
	TTY       string
	FirstSeen time.Time
	LastSeen  time.Time  // for an exited process, its exit
	Container *Container // attribution from the source itself (runtime exports), nil when none
	Peers     []Addr     // distinct addresses it connected to (the first few)
	// newestSec and newestNsec are the start of the newest child linked
	// below it (seconds since the zero time.Time, so that the zero
	// Process has none), which a spilled subtree must not hide (see
	// parentForkedSince). NewestChild and SetNewestChild convert.
	newestSec int64
	Events    int32 // events attributed to this process
	// Seq numbers the processes of a Tree from 1 in the order they were
	// created (0: not made by a Tree). Consumers index bounded caches by
	// it, which is cheaper than hashing pointers and deterministic.
	Seq uint32
	// pins counts the consumers that keep a pointer to the process (Pin,
	// Unpin): while it is above zero a spilling tree must never move it.
	pins       int32
	newestNsec int32
	// Boot numbers the boots of its host from 0 in the order the logs
	// show them (see boot.go): a process never spans two. 16 bits keep the
	// flags below in the size class; a host's boots count modulo 65 536,
	// so only processes exactly that many boots apart could compare as
	// one boot.
	Boot   uint16
	Exited bool
	// Placeholder marks a process known only as someone's ppid so far.
	Placeholder bool
	// Reparented: later records show ppid=1 or a subreaper: the parent
	// died.
	Reparented bool
	// ParentGuess marks a placeholder whose own parent is not in the logs
	// but was inferred, and how (see ParentInferred).
	ParentGuess Guess
	// ImageInferred marks a placeholder whose Exe and Comm were taken from
	// its children: two forks of it that never exec'd run one image, a
	// pre-fork server's workers, so it runs that image too (proctree's
	// inferMasterImage). Its own first record clears it.
	ImageInferred bool
}

// Guess says how a process's parent was inferred.
type Guess uint8

const (
	GuessNone Guess = iota
	// GuessDaemon: a daemon that forked itself into the background
	// (php-fpm --daemonize) is a few pids after a process of the same
	// image that started just before (inferDaemonParent).
	GuessDaemon
	// GuessSubshell: a shell's forked subshell, hung under the shell
	// that forked it (inferSubshellParent).
	GuessSubshell
	// GuessRelay: the fork of a program that runs a command its own argv
	// holds (socat SYSTEM:…, nc -c …), hung under that program
	// (inferSubshellParent).
	GuessRelay
)

// ParentInferred reports whether p's parent was inferred, not read.
func (p *Process) ParentInferred() bool { return p.ParentGuess != GuessNone }

// Pin marks p as kept by a consumer past the event at hand (a finding, an
// event kept for linking, detection state): a spilling tree keeps p, and so
// its ancestors, in memory, and p stays the one *Process for its process.
// A pin is for good unless its consumer, a bounded table that lets p go,
// calls Unpin once for each Pin; on a tree that does not spill neither
// changes anything.
func (p *Process) Pin() {
	if p != nil {
		p.pins++
		if pinTrace.on {
			tracePin(p, 1)
		}
	}
}

// Unpin takes back one Pin of a consumer that no longer keeps p (a bounded
// table that dropped it): once no pin is left, a spilling tree may move p.
// Tables that keep processes for a while and drop the oldest pinned them
// for good before, and on a long archive the pinned processes and their
// ancestors were what the tree could not spill (the pid-repeating 2 GB
// log: 60 000 pinned processes, twice the 500 MB log's).
func (p *Process) Unpin() {
	if p != nil && p.pins > 0 {
		p.pins--
		if pinTrace.on {
			tracePin(p, -1)
		}
	}
}

// Name is a short label: the exe's base name, else comm, else "?".
func (p *Process) Name() string {
	switch {
	case p.Exe != "":
		return path.Base(p.Exe)
	case p.Comm != "":
		return p.Comm
	}
	return "?"
}

// ExecAt returns the newest exec of p at or before t: the image in force
// then; false when p ran none by then.
func (p *Process) ExecAt(t time.Time) (Exec, bool) {
	var found Exec
	ok := false
	for _, x := range p.Execs {
		if x.Time.After(t) {
			break
		}
		found, ok = x, true
	}
	return found, ok
}

// CommandLine joins the argv of the last exec (or the exe) with spaces.
func (p *Process) CommandLine() string {
	if len(p.Args) > 0 {
		return strings.Join(p.Args, " ")
	}
	return p.Exe
}

// Pinned reports whether a consumer pinned p; for the spilling tree, which
// must never move a pinned process. A function, not a method, so that it
// stays out of parser's API.
func Pinned(p *Process) bool { return p.pins > 0 }

// zeroUnix is the zero time.Time in Unix seconds: newestSec counts from
// it, so that a Process's zero value has no newest child.
var zeroUnix = time.Time{}.Unix()

// NewestChild is the start of the newest child linked below p (see the
// tree's parentForkedSince), in UTC; SetNewestChild records it.
func NewestChild(p *Process) time.Time {
	if p.newestSec == 0 && p.newestNsec == 0 {
		return time.Time{}
	}
	return time.Unix(p.newestSec+zeroUnix, int64(p.newestNsec)).UTC()
}

// SetNewestChild records t as the start of p's newest child.
func SetNewestChild(p *Process, t time.Time) {
	p.newestSec, p.newestNsec = t.Unix()-zeroUnix, int32(t.Nanosecond())
}
