package event

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Kind says what an Event records.
type Kind uint8

// Event kinds. The zero Kind is KindOther: a record we keep as evidence but do
// not interpret.
const (
	KindOther     Kind = iota
	KindExec           // a process image was executed (execve/execveat, or a sensor's exec event)
	KindFork           // a process was created without exec (fork/vfork/clone)
	KindExit           // a process ended
	KindFileWrite      // a file opened for writing, created or truncated
	KindFileRead       // a watched file was opened for reading
	KindRename         // a file was renamed or linked
	KindUnlink         // a file was deleted
	KindChmod          // a file's mode changed
	KindChown          // a file's owner changed
	KindConnect        // an outbound network connection
	KindAccept         // an inbound network connection accepted
	KindBind           // a socket was bound to a local address
	KindLogin          // a user login or authentication
	KindSession        // a user session started or ended
	KindHTTP           // an HTTP request from an access log
	KindContainer      // a container lifecycle or exec event from a runtime log
	KindConfig         // a change to the audit configuration (rules, enabled state)
	KindDaemon         // the audit daemon started, stopped, rotated or failed
	KindAlert          // an alert another sensor already raised (Falco)
	KindSyscall        // another audited syscall
	kindCount
)

// NumKinds is the number of kinds: arrays indexed by Kind have this length.
const NumKinds = int(kindCount)

var kindNames = [...]string{
	KindOther: "other", KindExec: "exec", KindFork: "fork", KindExit: "exit",
	KindFileWrite: "file-write", KindFileRead: "file-read", KindRename: "rename",
	KindUnlink: "unlink", KindChmod: "chmod", KindChown: "chown",
	KindConnect: "connect", KindAccept: "accept", KindBind: "bind",
	KindLogin: "login", KindSession: "session", KindHTTP: "http",
	KindContainer: "container", KindConfig: "config", KindDaemon: "daemon",
	KindAlert: "alert", KindSyscall: "syscall",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// ParseKind returns the Kind named s, and false when s names none.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return KindOther, false
}

// ID is a numeric user, group, login or session id that may be unset.
// auditd writes 4294967295 (or -1) for "unset"; the zero ID is unset too, so
// an ID read from nothing never pretends to be root.
type ID struct {
	N   uint32
	Set bool
}

// Unset is the audit subsystem's value for an unset id ((uint32)-1).
const Unset = 4294967295

// NewID returns a set ID unless n is the audit "unset" value.
func NewID(n uint32) ID { return ID{N: n, Set: n != Unset} }

// Value returns the id as auditd writes it: the number, or 4294967295 when unset.
func (id ID) Value() uint32 {
	if !id.Set {
		return Unset
	}
	return id.N
}

func (id ID) String() string {
	if !id.Set {
		return "unset"
	}
	return strconv.FormatUint(uint64(id.N), 10)
}

// Evidence points at the raw source of an event: where it starts, the audit
// serial (0 for other sources) and the records as they stand in the file.
type Evidence struct {
	Pos    Pos
	Serial uint64
	Raw    string // the event's lines joined by "\n", exactly as read
}

// PathRecord is one PATH record of an audit event (or a sensor's file target).
type PathRecord struct {
	Name     string
	Nametype string // NORMAL, PARENT, CREATE, DELETE, UNKNOWN
	Mode     uint32 // st_mode, 0 when unknown
	Inode    uint64
	Dev      string
	OUID     ID
	// CapFP is the permitted set of the file's capabilities (cap_fp, a
	// bit per capability): what the kernel grants a program at exec, as
	// a setuid bit grants an identity. 0 for none.
	CapFP uint64
}

// Addr is a decoded socket address.
type Addr struct {
	Family string // "inet", "inet6", "unix", "netlink", or "" when unknown
	IP     string
	Port   int
	Path   string // unix socket path
}

// String renders the address as ip:port, [ip6]:port or the unix path.
func (a Addr) String() string {
	switch a.Family {
	case "inet":
		return a.IP + ":" + strconv.Itoa(a.Port)
	case "inet6":
		return "[" + a.IP + "]:" + strconv.Itoa(a.Port)
	case "unix":
		return a.Path
	}
	return a.Family
}

// Container identifies a container across sources. Any field may be empty.
type Container struct {
	ID        string // full 64-hex id when known, else a short id
	Name      string
	Image     string
	Pod       string
	Namespace string
	Runtime   string // docker, containerd, cri-o …
}

// IsZero reports whether nothing is known about the container.
func (c Container) IsZero() bool { return c == Container{} }

// HTTPRequest is one access-log line.
type HTTPRequest struct {
	Client    string
	Method    string
	Path      string // path without the query string
	Query     string // raw query string, without '?'
	Proto     string
	Status    int
	Bytes     int64
	Referer   string
	UserAgent string
	VHost     string
	// Duration is how long the server took to serve the request, when the
	// log records it (nginx $request_time, Apache/lighttpd %D, a JSON
	// duration); HasDuration says it did (0 is a real duration).
	Duration    time.Duration
	HasDuration bool
	// EndAfter places the request's end finer than the logged second: it
	// ended at Event.Time + EndAfter (an offset, so that --clock-skew,
	// which moves Event.Time, moves it too). EndBy says what told it
	// ("msec": nginx $msec or a JSON epoch time; "container-log time": the
	// runtime's nanosecond time of the line); "" when only the logged
	// second is known.
	EndAfter time.Duration
	EndBy    string
	// BareTail is a bare final integer after the user agent that was too
	// small to be read as %D on its own (below 1000: 3 µs or Apache's %T of
	// 3 s?); HasBareTail says there was one. The file decides: when other
	// lines of it carry values that can only be microseconds, this one is
	// microseconds too (timeline/reqlogged.go).
	BareTail    int64
	HasBareTail bool
	// ReceiveTime: the format itself says that Event.Time is when the
	// request was received, not when it ended (uWSGI's request line
	// stamps the request's start though it is written at the end); the
	// timeline then runs Duration forward from it (timeline/reqlogged.go).
	ReceiveTime bool
	// WorkerPID is the pid of the process that served the request when the
	// log names it (uWSGI's %(pid) as pid=N, worker_pid= in a JSON line):
	// an application server's own record of which worker it was.
	WorkerPID int
	// ClientPort is the client's TCP port when the line records it
	// (uvicorn's "127.0.0.1:36382", Caddy's remote_port, a JSON
	// remote_port), 0 when not: with Client it names the connection the
	// request came on, whose accept the audit log may hold
	// (timeline/reqconn.go).
	ClientPort int
}

// Alert is a detection another sensor raised (Falco, runtime exports).
type Alert struct {
	Source   string // "falco", …
	Rule     string
	Priority string
	Output   string
	Tags     []string
}

// Synth says that a sensor decoder made an event up from another record's
// fields rather than read it from a record of its own: an exec the record
// implies but that the sensor did not capture.
type Synth uint8

const (
	NotSynth     Synth = iota // read from a record of its own
	SynthParent               // a parent's exec, from a child record's parent fields
	SynthProcess              // a process's exec, from the process fields of its first record
)

func (s Synth) String() string {
	switch s {
	case NotSynth:
		return ""
	case SynthParent:
		return "parent"
	case SynthProcess:
		return "process"
	}
	return "synth(" + strconv.Itoa(int(s)) + ")"
}

// Event is one normalized observation from any source.
//
// The fields that do not apply to a kind are zero. Proc is set by the tree
// builder for events that belong to a process.
//
// The small fields stand together (Kind, Synth, Success; the flags at the
// end) and the rare ones are out of line (rare.go): an event and its
// evidence are one 640-byte block (recycle.go), two size classes below the
// 768 bytes they took with a container's six strings inline and 896 with
// padding between the small fields; tens of thousands are kept to the end
// of a scan.
type Event struct {
	Kind    Kind
	Synth   Synth     // set when a sensor decoder made the event up; see Synth
	Success bool      // auditd: the syscall's success=yes
	Time    time.Time // UTC
	Host    string
	Source  Format // the input format the event was read from

	// auditd specifics
	Serial     uint64
	RecordType string // first record type of the event: SYSCALL, USER_LOGIN, …
	Syscall    string // syscall name, e.g. "execve"
	Arch       string
	Exit       int64 // syscall return value; negative errno on failure
	Key        string

	// the acting process
	PID, PPID int
	UID, EUID ID
	GID       ID
	AUID, SES ID
	TTY       string
	Comm, Exe string
	Cwd       string
	Args      []string // argv for KindExec
	User      string   // name of UID from the evidence itself (enriched log, --passwd)
	AUser     string   // name of AUID
	Subj      string   // LSM label, if any

	// targets
	Paths   []PathRecord
	Path    string // the main file target (created, written, deleted, read)
	OldPath string // for renames
	Peer    Addr   // remote (connect) or local (bind) address; for accept, the client
	Child   int    // pid returned by fork/clone

	// login / session / config / daemon / container
	Op      string // audit op= or action (e.g. "add_rule", "start", "exec_start")
	Message string // a short free text for non-process events
	Account string // target account of a login or session

	HTTP *HTTPRequest

	// rare holds the fields few events have (a container, a wrapper time,
	// another sensor's alert): read and set them with the methods of the
	// same names (rare.go). Out of line, they kept every event 120 bytes
	// larger than an audit record needs.
	rare *rare

	Evidence []Evidence

	// ProcTitle is the process title the event's PROCTITLE record shows
	// (the command line as the process names itself, cut at 128 bytes by
	// the kernel), as recorded: hex unless ProcTitleQuoted. Read it with
	// TitleArgs; the tree decodes it only for a process whose exec it
	// never saw (Process.Title), so most events never pay for it.
	ProcTitle string

	Proc *Process // set by the tree builder

	retention *Retention // counts Retain calls; see CountRetention
	// ProcTitleQuoted: ProcTitle is as quoted, not hex (among the small
	// fields: beside ProcTitle its padding cost 8 bytes an event)
	ProcTitleQuoted bool
	rawKept         bool // see Retain(KeepText)
	retained        bool // see Retain
	inBlock         bool // made by Blocks.New, not yet recycled
	// PathByInode: Path was given relative to a directory descriptor and
	// is named by its inode, which other records of the host name by this
	// absolute path (parser/inodes.go); Paths keeps the record's name
	PathByInode bool
}

// Failed reports whether a syscall event failed; a non-blocking connect that
// returned EINPROGRESS (-115) still counts as a connection attempt that
// happened, so it is not "failed" in the sense that matters for forensics.
func (e *Event) Failed() bool {
	return !e.Success && e.Exit != -115
}

// ExecSucceeded reports whether an exec event ran its image: auditd also
// logs failed execve calls, the other sources only execs that happened.
func (e *Event) ExecSucceeded() bool {
	return e.Success || e.Source != FormatAuditd
}

// FirstEvidence returns the first evidence entry, or a zero one.
func (e *Event) FirstEvidence() Evidence {
	if len(e.Evidence) == 0 {
		return Evidence{}
	}
	return e.Evidence[0]
}

// TitleArgs decodes ProcTitle into its NUL-separated words; nil when there
// is none or it is not valid hex.
func (e *Event) TitleArgs() []string {
	t := e.ProcTitle
	if t == "" {
		return nil
	}
	if !e.ProcTitleQuoted {
		b, err := hex.DecodeString(t)
		if err != nil {
			return nil
		}
		t = string(b)
	}
	t = strings.TrimSuffix(t, "\x00")
	var out []string
	for _, w := range strings.Split(t, "\x00") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}
