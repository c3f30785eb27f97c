package auditd

import (
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-libaudit/v2/auparse"

	"github.com/auditchain/auditchain/parser/internal/event"
)

// normalizer turns reassembled auditd records into one Event. It is pure
// (no shared mutable state) so that many run in parallel.
type normalizer struct {
	host  string            // default host for records without node=
	users map[uint32]string // uid → name from the evidence's passwd
	lim   Limits
	// blocks hands out the events (safe for concurrent use)
	blocks *event.Blocks
}

func newNormalizer(opts *Options) *normalizer {
	return &normalizer{host: opts.Host, users: opts.Users, lim: opts.Limits.withDefaults(), blocks: opts.Blocks}
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
	// The event and its one evidence in one block, reused once nobody
	// retains the event (event.Blocks)
	ev := n.blocks.New()
	ev.Time = time.Unix(raw.key.sec, int64(raw.key.msec)*int64(time.Millisecond)).UTC()
	ev.Host = raw.key.node
	ev.Source = FormatAuditd
	ev.Serial = raw.key.serial
	if ev.Host == "" {
		ev.Host = n.host
	}
	ev.Evidence[0] = Evidence{Pos: raw.first, Serial: raw.key.serial, Raw: text}
	e := &eventBuild{ev: ev, in: in, text: text, execArgs: argv{lim: &n.lim}}

	// The record that says what the event is: the first one that is
	// neither SYSCALL nor auxiliary (CONFIG_CHANGE, LOGIN, user-space
	// records). A CONFIG_CHANGE written by auditctl comes with the SYSCALL
	// of its sendto; the event is still a configuration change. In a
	// syscall event, a record that does not say what the event is (a type
	// newer than our table, an AVC, …) must not lead: it would override the
	// syscall's outcome, and an exec would vanish as a failed nothing. It
	// stays in the evidence as it was written.
	syscall, paths := false, 0
	for i := range raw.recs {
		switch raw.recs[i].typ {
		case typeSyscall:
			syscall = true
		case typePath:
			paths++
		}
	}
	if paths > 0 {
		ev.Paths = make([]PathRecord, 0, paths) // not grown one record at a time
	}
	lead := -1
	for i := range raw.recs {
		r := &raw.recs[i]
		if r.typ == typeSyscall || auxiliary(r.typ) {
			continue
		}
		if syscall && recordKind(r.name, text[r.body:r.enriched]) == KindOther {
			continue
		}
		lead = i
		break
	}
	for i := range raw.recs {
		r := &raw.recs[i]
		body := text[r.body:r.enriched]
		var enriched string
		if int(r.enriched) < int(r.end) {
			enriched = text[r.enriched+1 : r.end]
		}
		if i == 0 || i == lead {
			ev.RecordType = r.name
		}
		// one function per record type, as go-libaudit's aucoalesce
		switch r.typ {
		case typeSyscall:
			if lead < 0 {
				ev.RecordType = "SYSCALL"
			}
			e.syscallRecord(r, body)
			n.enrichedNames(ev, enriched)
		case typeExecve:
			e.haveExec = true
			e.execArgs.add(r, body, e.report)
		case typeProctitle:
			e.proctitleRecord(r, body)
		case typeCwd:
			e.cwdRecord(r, body)
		case typePath:
			e.pathRecord(r, body)
		case typeSockaddr:
			e.sockaddrRecord(r, body)
		case typeEOE:
		default:
			// Auxiliary records of a syscall event (BPRM_FCAPS, MMAP,
			// FD_PAIR…) add nothing the event needs; skipping them is a
			// good part of the parse time of exec-heavy logs.
			if i == lead || lead < 0 && i == 0 && !syscall {
				n.other(ev, r, body, enriched, i == lead, e.fail)
			}
		}
	}

	if len(ev.Paths) == 0 {
		ev.Paths = nil // as before the records were counted
	}

	if e.haveTitle { // undecoded: see Event.ProcTitle
		ev.ProcTitle, ev.ProcTitleQuoted = e.title.Value, e.title.Quote != 0
	}
	// argv: EXECVE is complete; PROCTITLE is cut at 128 bytes.
	if e.haveExec {
		ev.Args = e.execArgs.finish(e.report)
	} else if (ev.Syscall == "execve" || ev.Syscall == "execveat") && e.haveTitle {
		if t, ok := decodeString(e.title); ok {
			ev.Args = splitNUL(t)
		}
	}
	if e.syscallOK && ev.Kind == KindOther {
		ev.Kind = syscallKinds[ev.Syscall]
		switch {
		case ev.Syscall == "open" || ev.Syscall == "openat" || ev.Syscall == "openat2":
			flags := e.a1
			if ev.Syscall != "open" {
				flags = e.a2
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
		n.setPaths(ev, e.dirfds())
	}
	return ev, e.errors()
}

// eventBuild is one event being normalized from its records: the event,
// what later records need of earlier ones, and the field errors found.
type eventBuild struct {
	ev   *Event
	in   *Input
	text string
	errs []*Error

	moreErrs int        // problems past maxEventErrors, counted only
	moreAt   *rawRecord // the record of the first of them

	execArgs  argv
	title     field // PROCTITLE's, decoded only for an exec without EXECVE
	haveTitle bool
	a0        string // raw first argument: a directory descriptor of *at calls
	a1, a2    string // raw open flags, or directory descriptors of *at calls
	haveExec  bool
	syscallOK bool
}

// maxEventErrors bounds the problems listed for one event. A record of a
// megabyte of "pid=1 pid=1 …" made one error each, 1.1 million from an
// 8 MiB file, and held them all (340 MB) until the event was done; past
// the bound they are counted in one error naming the first left out.
const maxEventErrors = 64

func (e *eventBuild) report(r *rawRecord, err error) {
	if len(e.errs) >= maxEventErrors {
		if e.moreErrs == 0 {
			e.moreAt = r
		}
		e.moreErrs++
		return
	}
	e.errs = append(e.errs, newError(Pos{File: e.in.Path, Line: r.line}, e.text[r.start:r.end], err))
}

// errors returns the event's problems, those past maxEventErrors counted in
// a last one.
func (e *eventBuild) errors() []*Error {
	if e.moreErrs > 0 {
		r := e.moreAt
		e.errs = append(e.errs, newError(Pos{File: e.in.Path, Line: r.line}, e.text[r.start:r.end],
			errorf(ErrField, fmt.Sprintf("%d more problems in this event, from this record on, not listed (at most %d are)", e.moreErrs, maxEventErrors))))
	}
	return e.errs
}

func (e *eventBuild) fail(r *rawRecord, what string) { e.report(r, errorf(ErrField, what)) }

func (e *eventBuild) setID(dst *ID, r *rawRecord, f field) {
	v, ok := parseID(f.Value)
	if !ok {
		e.fail(r, badValue(f.Key, f.Value))
	}
	*dst = v
}

func (e *eventBuild) setPID(dst *int, r *rawRecord, f field, zero bool) {
	v, ok := pidValue(f.Value, zero)
	if !ok {
		e.fail(r, badValue(f.Key, f.Value))
	}
	*dst = v
}

// syscallRecord reads the SYSCALL record: the syscall, its outcome and the
// acting process. Each field is taken once (fieldSet): the kernel writes
// each once, so a second is injected text.
func (e *eventBuild) syscallRecord(r *rawRecord, body string) {
	ev, fail := e.ev, e.fail
	e.syscallOK = true
	var seen fieldSet
	scanFields(body, func(f field) bool {
		switch f.Key {
		case "arch":
			if seen.once(0, r, f.Key, fail) {
				ev.Arch = archName(f.Value)
			}
		case "syscall":
			if seen.once(1, r, f.Key, fail) {
				ev.Syscall = f.Value // named below, once arch is known
			}
		case "success":
			if seen.once(2, r, f.Key, fail) {
				ev.Success = f.Value == "yes"
			}
		case "exit":
			if seen.once(3, r, f.Key, fail) {
				x, err := strconv.ParseInt(f.Value, 10, 64)
				if err != nil {
					fail(r, badValue(f.Key, f.Value))
				}
				ev.Exit = x
			}
		case "a0":
			if seen.once(18, r, f.Key, fail) {
				e.a0 = f.Value
			}
		case "a1":
			if seen.once(4, r, f.Key, fail) {
				e.a1 = f.Value
			}
		case "a2":
			if seen.once(5, r, f.Key, fail) {
				e.a2 = f.Value
			}
		case "ppid":
			if seen.once(6, r, f.Key, fail) {
				e.setPID(&ev.PPID, r, f, true) // 0: pid 1 and kernel threads
			}
		case "pid":
			if seen.once(7, r, f.Key, fail) {
				e.setPID(&ev.PID, r, f, false)
			}
		case "auid":
			if seen.once(8, r, f.Key, fail) {
				e.setID(&ev.AUID, r, f)
			}
		case "uid":
			if seen.once(9, r, f.Key, fail) {
				e.setID(&ev.UID, r, f)
			}
		case "gid":
			if seen.once(10, r, f.Key, fail) {
				e.setID(&ev.GID, r, f)
			}
		case "euid":
			if seen.once(11, r, f.Key, fail) {
				e.setID(&ev.EUID, r, f)
			}
		case "ses":
			if seen.once(12, r, f.Key, fail) {
				e.setID(&ev.SES, r, f)
			}
		case "tty":
			if seen.once(13, r, f.Key, fail) && !absent(f.Value) {
				ev.TTY = f.Value
			}
		case "comm":
			if seen.once(14, r, f.Key, fail) {
				ev.Comm = decodeValue(r, f, fail)
			}
		case "exe":
			if seen.once(15, r, f.Key, fail) {
				ev.Exe = decodeValue(r, f, fail)
			}
		case "subj":
			if seen.once(16, r, f.Key, fail) {
				ev.Subj = f.Value
			}
		case "key":
			if seen.once(17, r, f.Key, fail) {
				ev.Key = decodeKey(f)
			}
		}
		return true
	})
	ev.Syscall = syscallName(ev.Arch, ev.Syscall)
}

// proctitleRecord reads the command line as the process showed it (cut at
// 128 bytes by the kernel): the argv of an exec without EXECVE records.
func (e *eventBuild) proctitleRecord(r *rawRecord, body string) {
	scanFields(body, func(f field) bool {
		if f.Key == "proctitle" {
			// Most events carry a PROCTITLE and only an exec without
			// EXECVE records uses it: check it here, decode it there.
			if validString(f) {
				e.title, e.haveTitle = f, true
			} else {
				e.fail(r, "proctitle hex")
			}
		}
		return false
	})
}

// cwdRecord reads the working directory.
func (e *eventBuild) cwdRecord(r *rawRecord, body string) {
	var seen fieldSet
	scanFields(body, func(f field) bool {
		if f.Key == "cwd" && seen.once(0, r, f.Key, e.fail) {
			e.ev.Cwd = decodeValue(r, f, e.fail)
		}
		return true
	})
}

// pathRecord reads one PATH record: a file the syscall named.
func (e *eventBuild) pathRecord(r *rawRecord, body string) {
	fail := e.fail
	var p PathRecord
	var seen fieldSet
	scanFields(body, func(f field) bool {
		switch f.Key {
		case "name":
			if seen.once(0, r, f.Key, fail) && !absent(f.Value) {
				p.Name = decodeValue(r, f, fail)
			}
		case "nametype":
			if seen.once(1, r, f.Key, fail) {
				p.Nametype = f.Value
			}
		case "mode":
			if seen.once(2, r, f.Key, fail) && !absent(f.Value) {
				m, err := strconv.ParseUint(f.Value, 8, 32)
				if err != nil {
					fail(r, badValue(f.Key, f.Value))
				}
				p.Mode = uint32(m)
			}
		case "inode":
			if seen.once(3, r, f.Key, fail) && !absent(f.Value) {
				var err error
				if p.Inode, err = strconv.ParseUint(f.Value, 10, 64); err != nil {
					fail(r, badValue(f.Key, f.Value))
				}
			}
		case "dev":
			if seen.once(4, r, f.Key, fail) {
				p.Dev = f.Value
			}
		case "ouid":
			if seen.once(5, r, f.Key, fail) && !absent(f.Value) {
				e.setID(&p.OUID, r, f)
			}
		case "cap_fp":
			if seen.once(6, r, f.Key, fail) && f.Value != "0" && !absent(f.Value) {
				var err error
				if p.CapFP, err = strconv.ParseUint(f.Value, 16, 64); err != nil {
					fail(r, badValue(f.Key, f.Value))
				}
			}
		}
		return true
	})
	e.ev.Paths = append(e.ev.Paths, p)
}

// sockaddrRecord reads the address of a connect, accept or bind.
func (e *eventBuild) sockaddrRecord(r *rawRecord, body string) {
	scanFields(body, func(f field) bool {
		if f.Key == "saddr" {
			a, err := parseSockaddr(f.Value)
			if err != nil {
				e.fail(r, "saddr")
			}
			e.ev.Peer = a
		}
		return false
	})
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
// makes it absolute with the PARENT record or the cwd. A name given
// relative to a directory descriptor (openat(fd, "a/b"), as tar -C, rm -r
// and find -delete do) is relative to a directory the log does not name:
// it stays relative rather than be joined to the cwd, which would place the
// file where it never was.
func (n *normalizer) setPaths(ev *Event, fds dirfdNames) {
	if len(ev.Paths) == 0 {
		return
	}
	parent := ""
	for _, p := range ev.Paths {
		if p.Nametype == "PARENT" && strings.HasPrefix(p.Name, "/") {
			parent = p.Name
		}
	}
	abs := func(name string, viaFD bool) string {
		if name == "" || strings.HasPrefix(name, "/") {
			if strings.Contains(name, "/.") || strings.Contains(name, "//") {
				// "…/incoming/b/../../../img/x.php" (a zip-slip member as
				// unzip names it) is the file img/x.php: read lexically, as
				// the relative names below are; the PATH record keeps the
				// name as given
				return path.Clean(name)
			}
			return name
		}
		if parent != "" && !viaFD {
			return path.Join(parent, path.Base(name))
		}
		if ev.Cwd != "" && !viaFD {
			return path.Join(ev.Cwd, name)
		}
		return name
	}
	switch ev.Kind {
	case KindExec:
		ev.Path = abs(ev.Paths[0].Name, fds.first)
	case KindRename:
		// The moved file keeps its inode: its old name is the DELETE of
		// the CREATE's inode. A rename over an existing file (sed -i's
		// temporary file onto the edited one) also logs the replaced
		// target as a DELETE, after the old name; without inodes the
		// first DELETE is the old name.
		var created uint64
		for _, p := range ev.Paths {
			if p.Nametype == "CREATE" {
				ev.Path, created = abs(p.Name, fds.second), p.Inode
			}
		}
		for _, p := range ev.Paths {
			if p.Nametype != "DELETE" {
				continue
			}
			if created != 0 && p.Inode == created {
				ev.OldPath = abs(p.Name, fds.first)
				break
			}
			if ev.OldPath == "" {
				ev.OldPath = abs(p.Name, fds.first)
			}
		}
		if ev.Path == "" {
			ev.Path = ev.OldPath
		}
	default:
		for _, p := range ev.Paths {
			if p.Nametype != "PARENT" && p.Name != "" {
				ev.Path = abs(p.Name, fds.first)
			}
		}
		if ev.Path == "" {
			ev.Path = abs(ev.Paths[len(ev.Paths)-1].Name, fds.first)
		}
	}
}

// dirfdNames says which of a syscall's names are relative to a directory
// descriptor other than the working directory (AT_FDCWD): first for the
// (old) name, second for a rename's or link's new name.
type dirfdNames struct{ first, second bool }

// dirfds reads the *at syscalls' directory descriptors.
func (e *eventBuild) dirfds() dirfdNames {
	switch e.ev.Syscall {
	case "openat", "openat2", "mkdirat", "mknodat", "fchownat", "fchmodat", "fchmodat2",
		"unlinkat", "execveat", "utimensat", "futimesat", "newfstatat", "faccessat", "faccessat2",
		"statx", "name_to_handle_at":
		return dirfdNames{first: realFD(e.a0)}
	case "renameat", "renameat2", "linkat":
		return dirfdNames{first: realFD(e.a0), second: realFD(e.a2)}
	case "symlinkat": // (target, newdirfd, linkpath): the target is no PATH
		return dirfdNames{first: realFD(e.a1), second: realFD(e.a1)}
	}
	return dirfdNames{}
}

// realFD reports whether a raw hex argument is a directory descriptor and
// not AT_FDCWD (-100, logged as ffffff9c or sign-extended); an absent or
// unreadable argument is taken as AT_FDCWD, as before.
func realFD(hex string) bool {
	v, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return false
	}
	return int32(uint32(v)) >= 0 && v <= 1<<31
}

// enrichedNames takes the victim host's own names from the ENRICHED part
// (UID="www-data" AUID="unset"), which go-libaudit drops; else --passwd.
func (n *normalizer) enrichedNames(ev *Event, enriched string) {
	if enriched != "" {
		// The first of each: auditd names the ids in the record's order,
		// and the kernel's come first; a later one names an id written in
		// a user-space message's text (auditctl -m "… auid=0"), which
		// auditd interprets too (usermsg.go). An auid the kernel wrote as
		// unset has no name, whatever the enrichment says.
		var uid, auid bool
		scanFields(enriched, func(f field) bool {
			switch f.Key {
			case "UID":
				if !uid {
					ev.User, uid = f.Value, true
				}
			case "AUID":
				if !auid && f.Value != "unset" && ev.AUID.Set {
					ev.AUser = f.Value
				}
				auid = true
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
func (n *normalizer) other(ev *Event, r *rawRecord, body, enriched string, lead bool, fail func(*rawRecord, string)) {
	var res string
	// User-space records nest their own fields in msg='…': a field may be
	// written once outside and once inside, but only once in each.
	var outer, inner fieldSet
	seen := &outer
	id := func(dst *ID, f field) {
		// "n/a" is how systemd writes an absent auid in USER_AVC.
		if absent(f.Value) || f.Value == "n/a" {
			return
		}
		v, ok := parseID(f.Value)
		if !ok {
			fail(r, badValue(f.Key, f.Value))
			return
		}
		*dst = v
	}
	fields := func(f field) bool {
		bit, ok := otherField(f.Key)
		if ok && seen == &inner && bit <= sesField && outer&(1<<bit) != 0 {
			// The kernel wrote pid, uid, auid and ses before msg='…';
			// the same names inside are the sender's text.
			return true
		}
		if f.Key == "key" && seen == &inner {
			return true // rule keys are the kernel's, never a message's
		}
		if ok && !seen.once(bit, r, f.Key, fail) {
			return true
		}
		switch f.Key {
		case "pid":
			if ev.PID == 0 && !absent(f.Value) {
				v, ok := pidValue(f.Value, true)
				if !ok {
					fail(r, badValue(f.Key, f.Value))
				}
				ev.PID = v
			}
		case "uid":
			if !ev.UID.Set {
				id(&ev.UID, f)
				ev.EUID = ev.UID
			}
		case "auid":
			if !ev.AUID.Set {
				id(&ev.AUID, f)
			}
		case "ses":
			if !ev.SES.Set {
				id(&ev.SES, f)
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
	if head, msg, tail, ok := userMessage(body); ok {
		scanFields(head, fields)
		seen = &inner
		userFields(msg, fields)
		seen = &outer
		scanFields(tail, fields)
	} else {
		scanFields(body, func(f field) bool {
			if f.Key == "msg" && f.Quote == '\'' {
				seen = &inner
				scanFields(f.Value, fields) // user-space records nest their fields
				seen = &outer
				return true
			}
			return fields(f)
		})
	}
	if !lead {
		return
	}
	ev.Success = res == "success" || res == "1" || res == "yes"
	if k := recordKind(r.name, body); k != KindOther {
		ev.Kind = k
	}
	n.enrichedNames(ev, enriched)
}

// recordKind says what an event led by a record of type t is, from the
// type alone (and the body of a SERVICE_STOP); KindOther when the type does
// not say.
func recordKind(t, body string) Kind {
	switch {
	case strings.HasPrefix(t, "USER_LOGIN") || t == "LOGIN" || t == "USER_AUTH" || t == "USER_ACCT" || strings.HasPrefix(t, "CRED_") || t == "USER_ERR":
		return KindLogin
	case t == "USER_START" || t == "USER_END" || t == "USER_LOGOUT":
		return KindSession
	case t == "CONFIG_CHANGE" || t == "SYSTEM_RUNLEVEL":
		return KindConfig
	case strings.HasPrefix(t, "DAEMON_") || t == "SERVICE_STOP" && strings.Contains(body, "auditd"):
		return KindDaemon
	}
	return KindOther
}

// sesField is the last of the fields the kernel writes itself (pid, uid,
// auid, ses: bits 0-3 of otherField).
const sesField = 3

// otherField numbers the fields other reads, for fieldSet.
func otherField(key string) (uint, bool) {
	switch key {
	case "pid":
		return 0, true
	case "uid":
		return 1, true
	case "auid":
		return 2, true
	case "ses":
		return 3, true
	case "op":
		return 4, true
	case "acct":
		return 5, true
	case "id":
		return 6, true
	case "exe":
		return 7, true
	case "comm":
		return 8, true
	case "addr":
		return 9, true
	case "hostname":
		return 10, true
	case "terminal":
		return 11, true
	case "key":
		return 12, true
	case "res":
		return 13, true
	case "success":
		return 14, true
	}
	return 0, false
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
// aN_len=… aN[0]=… aN[1]=… that the kernel uses for long arguments (hex, or
// quoted text when the argument needs no encoding). Split parts are
// gathered and decoded once in finish, so that an argument of many parts
// costs linear time.
type argv struct {
	lim  *Limits
	args []string
	// set has bit i when args[i] was given, to tell a duplicate. While
	// the arguments come in order, as the kernel writes them, every slot
	// of args is given and set stays nil.
	set    []uint64
	split  map[int]*splitArg
	argc   int
	bytes  int // of the EXECVE records so far: bounds the slots an index may open
	argcOK bool

	lastCut  int // highest argument index past lim.ArgsPerExec, or 0
	cutAt    *rawRecord
	cutParts int // parts past lim.PartsPerArg
	partsAt  *rawRecord
}

// splitArg is one argument written in parts.
type splitArg struct {
	hex   strings.Builder
	parts int
	rec   *rawRecord // of its first part, for errors
}

// add reads one EXECVE record, reporting what it cannot use.
func (a *argv) add(r *rawRecord, body string, report func(*rawRecord, error)) {
	a.bytes += len(body)
	scanFields(body, func(f field) bool {
		k := f.Key
		if k == "argc" {
			n, ok := atoi(f.Value)
			switch {
			case a.argcOK:
				report(r, errorf(ErrField, "duplicate argc"))
			case !ok || n < 0:
				report(r, errorf(ErrField, badValue(k, f.Value)))
			default:
				a.argc = n
				// Room for the arguments this record can hold: argc is
				// the attacker's word, the record's length is not.
				a.args = slices.Grow(a.args, min(n, len(body)/4))
			}
			a.argcOK = true
			return true
		}
		if len(k) < 2 || k[0] != 'a' || k[1] < '0' || k[1] > '9' {
			return true
		}
		j := 1
		for j < len(k) && k[j] >= '0' && k[j] <= '9' {
			j++
		}
		idx, ok := atoi(k[1:j])
		if !ok || !a.room(r, idx, report) {
			if !ok {
				report(r, errorf(ErrField, "argument index "+strconv.Quote(k)))
			}
			return true
		}
		rest := k[j:]
		switch {
		case rest == "":
			s, good := decodeString(f)
			if !good {
				report(r, errorf(ErrField, badValue(k, f.Value)))
			}
			a.put(r, idx, s, report)
		case rest == "_len":
			// the length of the logged form; the parts follow
		case rest[0] == '[':
			if a.split == nil {
				a.split = map[int]*splitArg{}
			}
			p := a.split[idx]
			if p == nil {
				p = &splitArg{rec: r}
				a.split[idx] = p
			}
			if p.parts >= a.lim.PartsPerArg {
				if a.cutParts == 0 {
					a.partsAt = r
				}
				a.cutParts++
				return true
			}
			p.parts++
			if f.Quote != 0 {
				// the kernel quotes the parts of an argument that needs no
				// encoding (audit_log_execve_info decides per argument):
				// its text as it is, gathered in the hex of the others
				p.hex.WriteString(hex.EncodeToString([]byte(f.Value)))
			} else {
				p.hex.WriteString(f.Value)
			}
		}
		return true
	})
}

// room reports whether argument idx may be kept. Past ArgsPerExec it is
// cut; past what the records read so far can hold (every argument takes at
// least four bytes, "a9=x") it is an index no kernel wrote, and taking it
// would let a short record make the parser allocate millions of slots.
func (a *argv) room(r *rawRecord, idx int, report func(*rawRecord, error)) bool {
	switch {
	case idx >= a.lim.ArgsPerExec:
		if a.lastCut == 0 {
			a.cutAt = r
		}
		a.lastCut = max(a.lastCut, idx)
		return false
	case idx >= a.bytes/4+64:
		report(r, errorf(ErrField, "argument index "+strconv.Itoa(idx)+" past the arguments logged"))
		return false
	}
	return true
}

// put sets argument i; a second value for it is reported and the first kept.
func (a *argv) put(r *rawRecord, i int, s string, report func(*rawRecord, error)) {
	if i == len(a.args) && a.set == nil {
		a.args = append(a.args, s)
		return
	}
	if a.set == nil { // out of order: from now on, remember each slot
		a.set = make([]uint64, len(a.args)/64+1)
		for j := range a.args {
			a.set[j/64] |= 1 << (j % 64)
		}
	}
	for len(a.args) <= i {
		a.args = append(a.args, "")
	}
	for len(a.set) <= i/64 {
		a.set = append(a.set, 0)
	}
	if a.set[i/64]&(1<<(i%64)) != 0 {
		report(r, errorf(ErrField, "duplicate a"+strconv.Itoa(i)))
		return
	}
	a.set[i/64] |= 1 << (i % 64)
	a.args[i] = s
}

// finish decodes the split arguments and returns argv, with as many
// arguments as argc says when the records could hold them.
func (a *argv) finish(report func(*rawRecord, error)) []string {
	var idxs []int
	if len(a.split) > 0 {
		idxs = slices.Sorted(maps.Keys(a.split))
	}
	for _, i := range idxs {
		p := a.split[i]
		b, err := decodeHex(p.hex.String())
		if err != nil {
			report(p.rec, errorf(ErrField, "a"+strconv.Itoa(i)+" parts are not hex"))
			a.put(p.rec, i, p.hex.String(), report)
			continue
		}
		a.put(p.rec, i, string(b), report)
	}
	if a.lastCut > 0 {
		report(a.cutAt, fmt.Errorf("%w: an exec with more than %d arguments: %d cut", ErrLimit, a.lim.ArgsPerExec, a.lastCut+1-a.lim.ArgsPerExec))
	}
	if a.cutParts > 0 {
		report(a.partsAt, fmt.Errorf("%w: an argument in more than %d parts: %d parts cut", ErrLimit, a.lim.PartsPerArg, a.cutParts))
	}
	if n := min(a.argc, a.lim.ArgsPerExec, a.bytes/4+64); len(a.args) < n {
		a.args = append(a.args, make([]string, n-len(a.args))...)
	}
	return a.args
}

// fieldSet remembers which fields of one record were read. The kernel
// writes each field of a record once; a second one is text injected into
// the record (through a value written unescaped, or a forged line), so the
// first is kept and the record reported.
type fieldSet uint64

// once reports whether field number bit is read for the first time, and
// reports the record otherwise.
func (s *fieldSet) once(bit uint, r *rawRecord, key string, fail func(*rawRecord, string)) bool {
	if *s&(1<<bit) != 0 {
		fail(r, "duplicate "+key)
		return false
	}
	*s |= 1 << bit
	return true
}

// decodeValue decodes a string value, reporting bad hex.
func decodeValue(r *rawRecord, f field, fail func(*rawRecord, string)) string {
	s, ok := decodeString(f)
	if !ok {
		fail(r, badValue(f.Key, f.Value)+" is not hex")
	}
	return s
}

// pidValue reads a pid: a positive decimal that fits pid_t, or 0 when zero
// is allowed (the ppid of pid 1 and of kernel threads).
func pidValue(v string, zero bool) (int, bool) {
	n, ok := atoi(v)
	if !ok || n < 0 || n > math.MaxInt32 || n == 0 && !zero {
		return 0, false
	}
	return n, true
}

// badValue names a field and its value for an error, quoted and shortened:
// the value is the attacker's text.
func badValue(key, v string) string {
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	return key + "=" + strconv.Quote(v)
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
