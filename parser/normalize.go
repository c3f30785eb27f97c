package parser

import (
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-libaudit/v2/auparse"
)

// normalizer turns reassembled auditd records into one Event. It is pure
// (no shared mutable state) so that many run in parallel.
type normalizer struct {
	host  string            // default host for records without node=
	users map[uint32]string // uid → name from the evidence's passwd
}

// archNames maps the hex AUDIT_ARCH value to go-libaudit's table names for
// the architectures we name syscalls for.
var archNames = map[string]string{
	"c000003e": "x86_64",
	"40000003": "i386",
	"c00000b7": "aarch64",
	"40000028": "arm",
}

// archName names an AUDIT_ARCH value, falling back to go-libaudit's table.
func archName(hexArch string) string {
	if n, ok := archNames[hexArch]; ok {
		return n
	}
	v, err := strconv.ParseUint(hexArch, 16, 32)
	if err != nil {
		return hexArch
	}
	return auparse.AuditArch(v).String()
}

// syscallName names a syscall number for an arch; unknown numbers stay numbers.
func syscallName(arch, num string) string {
	n, ok := atoi(num)
	if !ok {
		return num
	}
	if name, ok := auparse.AuditSyscalls[arch][n]; ok {
		return name
	}
	return num
}

var syscallKinds = map[string]Kind{
	"execve": KindExec, "execveat": KindExec,
	"fork": KindFork, "vfork": KindFork, "clone": KindFork, "clone3": KindFork,
	"exit": KindExit, "exit_group": KindExit,
	"connect": KindConnect, "accept": KindAccept, "accept4": KindAccept, "bind": KindBind,
	"rename": KindRename, "renameat": KindRename, "renameat2": KindRename,
	"link": KindRename, "linkat": KindRename, "symlink": KindRename, "symlinkat": KindRename,
	"unlink": KindUnlink, "unlinkat": KindUnlink, "rmdir": KindUnlink,
	"chmod": KindChmod, "fchmod": KindChmod, "fchmodat": KindChmod, "fchmodat2": KindChmod,
	"chown": KindChown, "fchown": KindChown, "lchown": KindChown, "fchownat": KindChown,
	"truncate": KindFileWrite, "ftruncate": KindFileWrite, "creat": KindFileWrite,
	"mkdir": KindFileWrite, "mkdirat": KindFileWrite, "mknod": KindFileWrite, "mknodat": KindFileWrite,
}

// Open flags that make an open a write.
const (
	oWronly = 0x1
	oRdwr   = 0x2
	oCreat  = 0x40
	oTrunc  = 0x200
)

// normalize builds the Event of one raw event. Field problems are returned
// as errors beside a best-effort event: the event is never dropped for them.
func (n *normalizer) normalize(in *Input, raw *rawEvent) (*Event, []*Error) {
	text := string(raw.buf) // one copy per event: fields below point into it
	ev := &Event{
		Time:   time.Unix(raw.key.sec, int64(raw.key.msec)*int64(time.Millisecond)).UTC(),
		Host:   raw.key.node,
		Source: string(FormatAuditd),
		Serial: raw.key.serial,
	}
	if ev.Host == "" {
		ev.Host = n.host
	}
	ev.Evidence = []Evidence{{Pos: raw.first, Serial: raw.key.serial, Raw: text}}
	var errs []*Error
	fail := func(r *rawRecord, what string) {
		errs = append(errs, newError(Pos{File: in.Path, Line: r.line}, text[r.start:r.end], errorf(ErrField, what)))
	}

	// The record that says what the event is: the first one that is
	// neither SYSCALL nor auxiliary (CONFIG_CHANGE, LOGIN, AVC, ANOM_*,
	// user-space records). A CONFIG_CHANGE written by auditctl comes with
	// the SYSCALL of its sendto; the event is still a configuration change.
	lead := -1
	for i := range raw.recs {
		if t := raw.recs[i].typ; t != typeSyscall && !auxiliary(t) {
			lead = i
			break
		}
	}
	var (
		execArgs  argv
		title     []string
		a1, a2    string // raw open flags
		haveExec  bool
		syscallOK bool
	)
	for i := range raw.recs {
		r := &raw.recs[i]
		body := text[r.body:r.enriched]
		var enriched string
		if int(r.enriched) < int(r.end) {
			enriched = text[r.enriched+1 : r.end]
		}
		if i == 0 {
			ev.RecordType = r.name
		}
		if i == lead {
			ev.RecordType = r.name
		}
		switch r.typ {
		case typeSyscall:
			syscallOK = true
			if lead < 0 {
				ev.RecordType = "SYSCALL"
			}
			scanFields(body, func(f field) bool {
				switch f.Key {
				case "arch":
					ev.Arch = archName(f.Value)
				case "syscall":
					ev.Syscall = f.Value // named below, once arch is known
				case "success":
					ev.Success = f.Value == "yes"
				case "exit":
					x, err := strconv.ParseInt(f.Value, 10, 64)
					if err != nil {
						fail(r, "exit="+f.Value)
					}
					ev.Exit = x
				case "a1":
					a1 = f.Value
				case "a2":
					a2 = f.Value
				case "ppid":
					ev.PPID, _ = atoi(f.Value)
				case "pid":
					ev.PID, _ = atoi(f.Value)
				case "auid":
					ev.AUID, _ = parseID(f.Value)
				case "uid":
					ev.UID, _ = parseID(f.Value)
				case "gid":
					ev.GID, _ = parseID(f.Value)
				case "euid":
					ev.EUID, _ = parseID(f.Value)
				case "ses":
					ev.SES, _ = parseID(f.Value)
				case "tty":
					if !absent(f.Value) {
						ev.TTY = f.Value
					}
				case "comm":
					ev.Comm, _ = decodeString(f)
				case "exe":
					ev.Exe, _ = decodeString(f)
				case "subj":
					ev.Subj = f.Value
				case "key":
					ev.Key = decodeKey(f)
				}
				return true
			})
			ev.Syscall = syscallName(ev.Arch, ev.Syscall)
			n.enrichedNames(ev, enriched)
		case typeExecve:
			haveExec = true
			if !execArgs.add(body) {
				fail(r, "EXECVE arguments")
			}
		case typeProctitle:
			scanFields(body, func(f field) bool {
				if f.Key == "proctitle" {
					if s, ok := decodeString(f); ok {
						title = splitNUL(s)
					} else {
						fail(r, "proctitle hex")
					}
				}
				return false
			})
		case typeCwd:
			scanFields(body, func(f field) bool {
				if f.Key == "cwd" {
					ev.Cwd, _ = decodeString(f)
				}
				return true
			})
		case typePath:
			var p PathRecord
			scanFields(body, func(f field) bool {
				switch f.Key {
				case "name":
					if !absent(f.Value) {
						var ok bool
						if p.Name, ok = decodeString(f); !ok {
							fail(r, "PATH name hex")
						}
					}
				case "nametype":
					p.Nametype = f.Value
				case "mode":
					m, _ := strconv.ParseUint(f.Value, 8, 32)
					p.Mode = uint32(m)
				case "inode":
					p.Inode, _ = strconv.ParseUint(f.Value, 10, 64)
				case "dev":
					p.Dev = f.Value
				case "ouid":
					p.OUID, _ = parseID(f.Value)
				}
				return true
			})
			ev.Paths = append(ev.Paths, p)
		case typeSockaddr:
			scanFields(body, func(f field) bool {
				if f.Key == "saddr" {
					a, err := parseSockaddr(f.Value)
					if err != nil {
						fail(r, "saddr")
					}
					ev.Peer = a
				}
				return false
			})
		case typeEOE:
		default:
			// Auxiliary records of a syscall event (BPRM_FCAPS, MMAP,
			// FD_PAIR…) add nothing the event needs; skipping them is a
			// good part of the parse time of exec-heavy logs.
			if i == lead || lead < 0 && i == 0 {
				n.other(ev, r, body, enriched, i == lead)
			}
		}
	}

	// argv: EXECVE is complete; PROCTITLE is cut at 128 bytes.
	if haveExec {
		ev.Args = execArgs.args
	} else if ev.Syscall == "execve" || ev.Syscall == "execveat" {
		ev.Args = title
	}
	if syscallOK && ev.Kind == KindOther {
		ev.Kind = syscallKinds[ev.Syscall]
		switch {
		case ev.Syscall == "open" || ev.Syscall == "openat" || ev.Syscall == "openat2":
			flags := a1
			if ev.Syscall != "open" {
				flags = a2
			}
			ev.Kind = openKind(flags, ev.Paths)
		case ev.Kind == KindOther:
			ev.Kind = KindSyscall
		}
		if ev.Kind == KindFork {
			ev.Child = int(ev.Exit)
			if ev.Syscall == "clone" && cloneThread(text, raw) {
				ev.Kind = KindSyscall // a thread, not a process
			}
		}
		n.setPaths(ev)
	}
	return ev, errs
}

// auxiliary reports whether a record type only adds detail to a syscall
// event (its path, argv, cwd, address, title, capabilities…).
func auxiliary(t uint16) bool {
	switch t {
	case typePath, typeSockaddr, typeCwd, typeExecve, typeEOE, typeProctitle,
		1303, 1304, 1311, 1312, 1313, 1314, 1315, 1316, // IPC, SOCKETCALL, IPC_SET_PERM, MQ_*
		1317, 1318, 1319, 1321, 1322, 1323, // FD_PAIR, OBJ_PID, TTY, BPRM_FCAPS, CAPSET, MMAP
		1337: // OPENAT2
		return true
	}
	return false
}

// openKind decides whether an open was a write: by its flags, or by a
// CREATE path record when the flags are not logged.
func openKind(flags string, paths []PathRecord) Kind {
	if v, err := strconv.ParseUint(flags, 16, 64); err == nil {
		if v&(oWronly|oRdwr|oCreat|oTrunc) != 0 {
			return KindFileWrite
		}
		return KindFileRead
	}
	for _, p := range paths {
		if p.Nametype == "CREATE" {
			return KindFileWrite
		}
	}
	return KindFileRead
}

// cloneThread reports whether a clone created a thread (CLONE_THREAD in a0).
func cloneThread(text string, raw *rawEvent) bool {
	r := raw.recs[0]
	var thread bool
	scanFields(text[r.body:r.enriched], func(f field) bool {
		if f.Key == "a0" {
			v, _ := strconv.ParseUint(f.Value, 16, 64)
			thread = v&0x10000 != 0
			return false
		}
		return true
	})
	return thread
}

// setPaths picks the event's main file target from its PATH records and
// makes it absolute with the PARENT record or the cwd.
func (n *normalizer) setPaths(ev *Event) {
	if len(ev.Paths) == 0 {
		return
	}
	parent := ""
	for _, p := range ev.Paths {
		if p.Nametype == "PARENT" && strings.HasPrefix(p.Name, "/") {
			parent = p.Name
		}
	}
	abs := func(name string) string {
		if name == "" || strings.HasPrefix(name, "/") {
			return name
		}
		if parent != "" {
			return path.Join(parent, path.Base(name))
		}
		if ev.Cwd != "" {
			return path.Join(ev.Cwd, name)
		}
		return name
	}
	switch ev.Kind {
	case KindExec:
		ev.Path = abs(ev.Paths[0].Name)
	case KindRename:
		for _, p := range ev.Paths {
			switch p.Nametype {
			case "DELETE":
				ev.OldPath = abs(p.Name)
			case "CREATE":
				ev.Path = abs(p.Name)
			}
		}
		if ev.Path == "" {
			ev.Path = ev.OldPath
		}
	default:
		for _, p := range ev.Paths {
			if p.Nametype != "PARENT" && p.Name != "" {
				ev.Path = abs(p.Name)
			}
		}
		if ev.Path == "" {
			ev.Path = abs(ev.Paths[len(ev.Paths)-1].Name)
		}
	}
}

// enrichedNames takes the victim host's own names from the ENRICHED part
// (UID="www-data" AUID="unset"), which go-libaudit drops; else --passwd.
func (n *normalizer) enrichedNames(ev *Event, enriched string) {
	if enriched != "" {
		scanFields(enriched, func(f field) bool {
			switch f.Key {
			case "UID":
				ev.User = f.Value
			case "AUID":
				if f.Value != "unset" {
					ev.AUser = f.Value
				}
			}
			return true
		})
	}
	if ev.User == "" && ev.UID.Set {
		ev.User = n.users[ev.UID.N]
	}
	if ev.AUser == "" && ev.AUID.Set {
		ev.AUser = n.users[ev.AUID.N]
	}
}

// other handles the record types outside the syscall hot path: user-space
// login/session/credential records, CONFIG_CHANGE, DAEMON_*, and anything
// else (kept as evidence with its type).
func (n *normalizer) other(ev *Event, r *rawRecord, body, enriched string, lead bool) {
	var res string
	fields := func(f field) bool {
		switch f.Key {
		case "pid":
			if ev.PID == 0 {
				ev.PID, _ = atoi(f.Value)
			}
		case "uid":
			if !ev.UID.Set {
				ev.UID, _ = parseID(f.Value)
				ev.EUID = ev.UID
			}
		case "auid":
			if !ev.AUID.Set {
				ev.AUID, _ = parseID(f.Value)
			}
		case "ses":
			if !ev.SES.Set {
				ev.SES, _ = parseID(f.Value)
			}
		case "op":
			ev.Op = f.Value
		case "acct", "id":
			if s, ok := decodeString(f); ok && !absent(s) {
				ev.Account = s
			}
		case "exe":
			if ev.Exe == "" {
				ev.Exe, _ = decodeString(f)
			}
		case "comm":
			if ev.Comm == "" {
				ev.Comm, _ = decodeString(f)
			}
		case "addr", "hostname":
			if ev.Peer.IP == "" && !absent(f.Value) && f.Value != "UNKNOWN" {
				ev.Peer = Addr{Family: "inet", IP: f.Value}
			}
		case "terminal":
			if ev.TTY == "" && !absent(f.Value) {
				ev.TTY = f.Value
			}
		case "key":
			if ev.Key == "" {
				ev.Key = decodeKey(f)
			}
		case "res", "success":
			res = f.Value
		case "list", "audit_enabled", "enabled", "state":
			if ev.Message == "" {
				ev.Message = f.Key + "=" + f.Value
			}
		}
		return true
	}
	scanFields(body, func(f field) bool {
		if f.Key == "msg" && f.Quote == '\'' {
			scanFields(f.Value, fields) // user-space records nest their fields
			return true
		}
		return fields(f)
	})
	if !lead {
		return
	}
	ev.Success = res == "success" || res == "1" || res == "yes"
	t := r.name
	switch {
	case strings.HasPrefix(t, "USER_LOGIN") || t == "LOGIN" || t == "USER_AUTH" || t == "USER_ACCT" || strings.HasPrefix(t, "CRED_") || t == "USER_ERR":
		ev.Kind = KindLogin
	case t == "USER_START" || t == "USER_END" || t == "USER_LOGOUT":
		ev.Kind = KindSession
	case t == "CONFIG_CHANGE" || t == "SYSTEM_RUNLEVEL":
		ev.Kind = KindConfig
	case strings.HasPrefix(t, "DAEMON_") || t == "SERVICE_STOP" && strings.Contains(body, "auditd"):
		ev.Kind = KindDaemon
	}
	n.enrichedNames(ev, enriched)
}

// decodeKey returns an audit rule key; several keys are hex-joined by 0x01.
func decodeKey(f field) string {
	if absent(f.Value) {
		return ""
	}
	if f.Quote != 0 {
		return f.Value
	}
	if b, err := decodeHex(f.Value); err == nil {
		return strings.ReplaceAll(string(b), "\x01", ",")
	}
	return f.Value
}

// argv collects EXECVE arguments across records: aN, and the split form
// aN_len=… aN[0]=… aN[1]=… that the kernel uses for long arguments.
type argv struct {
	args  []string
	parts map[int]*strings.Builder // split arguments being joined
	argc  int
}

// add reads one EXECVE record; false when something could not be decoded.
func (a *argv) add(body string) bool {
	ok := true
	scanFields(body, func(f field) bool {
		k := f.Key
		if k == "argc" {
			a.argc, _ = atoi(f.Value)
			if a.argc > 0 && a.argc < 1<<16 && a.args == nil {
				a.args = make([]string, a.argc)
			}
			return true
		}
		if len(k) < 2 || k[0] != 'a' || k[1] < '0' || k[1] > '9' {
			return true
		}
		j := 1
		for j < len(k) && k[j] >= '0' && k[j] <= '9' {
			j++
		}
		idx, _ := atoi(k[1:j])
		rest := k[j:]
		switch {
		case rest == "":
			s, good := decodeString(f)
			ok = ok && good
			a.set(idx, s)
		case rest == "_len":
			// the length of the logged form; the parts follow
		case rest[0] == '[':
			if a.parts == nil {
				a.parts = map[int]*strings.Builder{}
			}
			b := a.parts[idx]
			if b == nil {
				b = &strings.Builder{}
				a.parts[idx] = b
			}
			b.WriteString(f.Value) // split parts are always hex
			s, err := decodeHex(b.String())
			if err == nil {
				a.set(idx, string(s))
			}
		}
		return true
	})
	// a split argument with an odd number of hex digits at the end of input
	for idx, b := range a.parts {
		if len(b.String())%2 != 0 && idx < len(a.args) && a.args[idx] == "" {
			ok = false
		}
	}
	return ok
}

func (a *argv) set(i int, s string) {
	if i < 0 || i >= 1<<16 {
		return
	}
	for len(a.args) <= i {
		a.args = append(a.args, "")
	}
	a.args[i] = s
}

func errorf(sentinel error, what string) error {
	return &fieldError{sentinel, what}
}

type fieldError struct {
	sentinel error
	what     string
}

func (e *fieldError) Error() string { return e.sentinel.Error() + ": " + e.what }
func (e *fieldError) Unwrap() error { return e.sentinel }
