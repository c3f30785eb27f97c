package sensor

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/jsonrec"
)

// Tetragon JSON export: one GetEventsResponse per line, written by protojson
// with proto field names (snake_case), enums as strings and 64-bit integers
// as JSON strings. Exactly one event field is set beside node_name and time.
//
//	{"process_exec":{"process":{…},"parent":{…}},"node_name":"web1","time":"…"}
//
// What is read:
//   - process_exec → KindExec; process_exit → KindExit (status, signal).
//   - process_kprobe (and the same shape in process_lsm, process_uprobe,
//     process_tracepoint): tcp_connect and the connect syscalls → KindConnect
//     (peer from sock_arg or sockaddr_arg); security_file_permission with a
//     MAY_WRITE mask, the write syscalls, security_path_truncate →
//     KindFileWrite; fd_install, security_file_open, the read syscalls and
//     security_file_permission with MAY_READ → KindFileRead; unlink hooks →
//     KindUnlink; anything else → KindOther with Op = the function name and
//     the file path when one of its args is a file.
//   - process_connect (Tetragon before 0.8) → KindConnect.
//
// Not read: process_loader, rate_limit_info, process_throttle and other
// events without a process (skipped silently: they are not malformed);
// capabilities, namespaces, environment variables; bytes_arg contents.
//
// Args: Tetragon joins argv[1:] into one string and wraps an argument that
// holds a space in double quotes, without escaping anything inside. Args is
// therefore binary followed by that string split on blanks outside double
// quotes; an argument that held both a space and a double quote cannot be
// recovered exactly, except a shell's command string (see tgArgs).
// Tetragon does not report argv[0]; Args[0] is the binary.

// SniffTetragon accepts a JSON object with one of Tetragon's event fields.
func SniffTetragon(line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		// A line cut by the sniffer's buffer: fall back to the field names.
		return bytes.Contains(line, []byte(`{"process_exec":{`)) || bytes.Contains(line, []byte(`{"process_kprobe":{`))
	}
	for _, k := range tetragonTypes {
		if v, ok := m[k]; ok && len(v) > 0 && v[0] == '{' {
			return true
		}
	}
	return false
}

var tetragonTypes = []string{
	"process_exec", "process_exit", "process_kprobe", "process_tracepoint",
	"process_uprobe", "process_lsm", "process_usdt", "process_connect",
	"process_loader", "process_throttle", "rate_limit_info",
}

// NewTetragon returns a decoder for a Tetragon export.
func NewTetragon(report func(error)) event.Decoder {
	return &tetragonDecoder{docStream: docStream{report: report}, parents: newParentTracker()}
}

type tetragonDecoder struct {
	docStream
	parents *parentTracker
}

type tgResponse struct {
	ProcessExec       *tgEvent `json:"process_exec"`
	ProcessExit       *tgEvent `json:"process_exit"`
	ProcessKprobe     *tgEvent `json:"process_kprobe"`
	ProcessTracepoint *tgEvent `json:"process_tracepoint"`
	ProcessUprobe     *tgEvent `json:"process_uprobe"`
	ProcessLsm        *tgEvent `json:"process_lsm"`
	ProcessConnect    *tgEvent `json:"process_connect"`
	NodeName          string   `json:"node_name"`
	Time              string   `json:"time"`
}

// tgEvent is the union of the event bodies' fields that are read.
type tgEvent struct {
	Process      *tgProcess  `json:"process"`
	Parent       *tgProcess  `json:"parent"`
	FunctionName string      `json:"function_name"` // kprobe, lsm
	Symbol       string      `json:"symbol"`        // uprobe
	Subsys       string      `json:"subsys"`        // tracepoint
	Event        string      `json:"event"`         // tracepoint
	Args         []tgArg     `json:"args"`
	Return       *tgArg      `json:"return"`
	PolicyName   string      `json:"policy_name"`
	Action       string      `json:"action"`
	Signal       string      `json:"signal"` // exit
	Status       jsonrec.Int `json:"status"` // exit
	Time         string      `json:"time"`   // exit

	// process_connect (old Tetragon)
	DestinationIP   string      `json:"destination_ip"`
	DestinationPort jsonrec.Int `json:"destination_port"`
}

type tgProcess struct {
	ExecID       string      `json:"exec_id"`
	PID          jsonrec.Int `json:"pid"`
	UID          jsonrec.Int `json:"uid"`
	AUID         jsonrec.Int `json:"auid"`
	Cwd          string      `json:"cwd"`
	Binary       string      `json:"binary"`
	Arguments    string      `json:"arguments"`
	Flags        string      `json:"flags"`
	StartTime    string      `json:"start_time"`
	Docker       string      `json:"docker"`
	ParentExecID string      `json:"parent_exec_id"`
	InInitTree   *bool       `json:"in_init_tree"`
	Pod          *struct {
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
		Container *struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			Image *struct {
				Name string `json:"name"`
			} `json:"image"`
		} `json:"container"`
	} `json:"pod"`
	User *struct {
		Name string `json:"name"`
	} `json:"user"`
	Credentials *struct {
		UID  jsonrec.Int `json:"uid"`
		EUID jsonrec.Int `json:"euid"`
		GID  jsonrec.Int `json:"gid"`
	} `json:"process_credentials"`
}

type tgArg struct {
	IntArg      *jsonrec.Int `json:"int_arg"`
	SizeArg     *jsonrec.Int `json:"size_arg"`
	StringArg   *string      `json:"string_arg"`
	FileArg     *tgFileArg   `json:"file_arg"`
	PathArg     *tgFileArg   `json:"path_arg"`
	SockArg     *tgSockArg   `json:"sock_arg"`
	SockaddrArg *struct {
		Family string      `json:"family"`
		Addr   string      `json:"addr"`
		Port   jsonrec.Int `json:"port"`
	} `json:"sockaddr_arg"`
}

type tgFileArg struct {
	Path string `json:"path"`
}

type tgSockArg struct {
	Family   string      `json:"family"`
	Protocol string      `json:"protocol"`
	Daddr    string      `json:"daddr"`
	Dport    jsonrec.Int `json:"dport"`
}

func (d *tetragonDecoder) Line(pos event.Pos, line []byte, out []*event.Event) ([]*event.Event, error) {
	return d.docStream.line(pos, line, out, d.doc)
}

func (d *tetragonDecoder) doc(pos event.Pos, doc []byte, out []*event.Event) ([]*event.Event, error) {
	var r tgResponse
	if err := json.Unmarshal(doc, &r); err != nil {
		return out, jsonrec.BadLine(pos, doc, err)
	}
	var ev *tgEvent
	kind, op := event.KindOther, ""
	switch {
	case r.ProcessExec != nil:
		ev, kind, op = r.ProcessExec, event.KindExec, "exec"
	case r.ProcessExit != nil:
		ev, kind, op = r.ProcessExit, event.KindExit, "exit"
	case r.ProcessKprobe != nil:
		ev, op = r.ProcessKprobe, "kprobe"
	case r.ProcessLsm != nil:
		ev, op = r.ProcessLsm, "lsm"
	case r.ProcessUprobe != nil:
		ev, op = r.ProcessUprobe, "uprobe"
	case r.ProcessTracepoint != nil:
		ev, op = r.ProcessTracepoint, "tracepoint"
	case r.ProcessConnect != nil:
		ev, kind, op = r.ProcessConnect, event.KindConnect, "connect"
	default:
		return out, nil // loader, throttle, rate limit: no process to attribute
	}
	if ev.Process == nil {
		return out, event.NewError(pos, string(doc), fmt.Errorf("%w: %s event without a process", event.ErrFormat, op))
	}
	at, ok := jsonrec.ParseTime(r.Time)
	if !ok {
		at, ok = jsonrec.ParseTime(ev.Time)
	}
	if !ok && kind == event.KindExec {
		at, ok = jsonrec.ParseTime(ev.Process.StartTime)
	}
	if !ok {
		return out, event.NewError(pos, string(doc), fmt.Errorf("%w: no valid time (%q)", event.ErrField, r.Time))
	}
	ev0 := event.Evidence{Pos: pos, Raw: string(doc)}
	host := r.NodeName
	e := tgProcessEvent(ev.Process, ev.Parent, host, at)
	e.Kind, e.Op = kind, op
	e.Evidence = []event.Evidence{ev0}

	// Make the parent, and for non-exec events the process itself, known
	// to the tree with their image and argv (see parentTracker).
	if par := ev.Parent; par != nil && par.PID.PID() > 0 {
		if d.parents.first(host, par.PID.PID()) {
			pt, ok := jsonrec.ParseTime(par.StartTime)
			if !ok || pt.After(at) {
				pt = at
			}
			pe := tgProcessEvent(par, nil, host, pt)
			pe.Kind, pe.Op, pe.Synth = event.KindExec, "exec", event.SynthParent
			pe.Evidence = []event.Evidence{ev0}
			out = append(out, pe)
		}
	}
	seen := !d.parents.first(host, e.PID)
	if kind != event.KindExec && !seen && e.PID > 0 {
		pt, ok := jsonrec.ParseTime(ev.Process.StartTime)
		if !ok || pt.After(at) {
			pt = at
		}
		pe := tgProcessEvent(ev.Process, ev.Parent, host, pt)
		pe.Kind, pe.Op, pe.Synth = event.KindExec, "exec", event.SynthProcess
		if tgCloneOnly(ev.Process.Flags) && pe.PPID > 0 {
			// A child that forked and has not exec'd (bash forking for
			// "bash -i >& /dev/tcp/…") runs its parent's image: it is a
			// fork, as auditd shows it, not a new exec of the parent's
			// argv that rules would take for a second process creation.
			pe.Kind, pe.Op, pe.Child, pe.PID, pe.PPID = event.KindFork, "fork", pe.PID, pe.PPID, 0
			pe.Args = nil
		}
		pe.Evidence = []event.Evidence{ev0}
		out = append(out, pe)
	}

	switch kind {
	case event.KindExec:
		if ev.Process.InInitTree != nil && !*ev.Process.InInitTree && ev.Process.Pod != nil {
			e.Message = "not in the container's init tree (kubectl exec, nsenter)"
		}
	case event.KindExit:
		e.Exit = ev.Status.N
		if ev.Signal != "" {
			e.Message = "signal " + ev.Signal
		}
		e.Args = nil // the tree keeps argv from the exec
	case event.KindConnect:
		e.Peer = inetAddr(ev.DestinationIP, int(ev.DestinationPort.N))
		e.Args = nil
	default:
		d.probe(e, ev)
		e.Args = nil
	}
	return append(out, e), nil
}

// tgProcessEvent fills an event from a Tetragon process (and its parent).
func tgProcessEvent(p, parent *tgProcess, host string, at time.Time) *event.Event {
	e := &event.Event{Time: at, Host: host, Source: event.FormatTetragon, Success: true}
	e.PID = p.PID.PID()
	e.PPID = tgParentPID(p, parent)
	e.UID, e.EUID = p.UID.ID(), p.UID.ID()
	if c := p.Credentials; c != nil {
		if c.UID.Set {
			e.UID = c.UID.ID()
		}
		if c.EUID.Set {
			e.EUID = c.EUID.ID()
		}
		e.GID = c.GID.ID()
	}
	e.AUID = p.AUID.ID()
	e.Exe, e.Cwd = p.Binary, p.Cwd
	if p.Binary != "" {
		e.Args = append([]string{p.Binary}, tgArgs(p.Binary, p.Arguments)...)
	}
	if p.User != nil {
		e.User = p.User.Name
	}
	var k event.Container
	if pod := p.Pod; pod != nil {
		k.Pod, k.Namespace = pod.Name, pod.Namespace
		if c := pod.Container; c != nil {
			k.Runtime, k.ID = splitRuntimeID(c.ID)
			k.Name = c.Name
			if c.Image != nil {
				k.Image = c.Image.Name
			}
		}
	}
	if k.ID == "" && p.Docker != "" {
		k.ID = p.Docker // a prefix of the id
	}
	e.SetContainer(k)
	return e
}

// tgParentPID returns the pid of p's parent process. When the parent
// record is an earlier image of the same process (exec without fork:
// docker-entrypoint.sh exec nginx), the real parent is the parent's parent,
// whose pid is in the parent's parent_exec_id.
func tgParentPID(p, parent *tgProcess) int {
	pid := p.PID.PID()
	if parent != nil {
		if pp := parent.PID.PID(); pp > 0 && pp != pid {
			return pp
		}
		if pp := execIDPID(parent.ParentExecID); pp != pid {
			return pp
		}
		return 0
	}
	if pp := execIDPID(p.ParentExecID); pp != pid {
		return pp
	}
	return 0
}

// execIDPID decodes the pid from a Tetragon exec_id,
// base64("<node>:<ktime>:<pid>"); 0 when it does not decode.
func execIDPID(id string) int {
	if id == "" || len(id) > 1024 {
		return 0
	}
	b, err := base64.StdEncoding.DecodeString(id)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(id); err != nil {
			return 0
		}
	}
	i := bytes.LastIndexByte(b, ':')
	if i < 0 {
		return 0
	}
	v, err := strconv.ParseInt(string(b[i+1:]), 10, 64)
	if err != nil {
		return 0
	}
	return jsonrec.PIDOf(v, true)
}

// tgCloneOnly reports whether process flags say the process was created
// by clone and has not exec'd since ("clone" without "execve").
func tgCloneOnly(flags string) bool {
	clone, exec := false, false
	for _, f := range strings.Fields(flags) {
		switch f {
		case "clone":
			clone = true
		case "execve":
			exec = true
		}
	}
	return clone && !exec
}

// splitRuntimeID splits "containerd://<id>" into runtime and id.
func splitRuntimeID(s string) (runtime, id string) {
	if r, id, ok := strings.Cut(s, "://"); ok {
		return r, id
	}
	return "", s
}

// probe reads the kind and target of a kprobe-style event from its hook
// and arguments.
func (d *tetragonDecoder) probe(e *event.Event, ev *tgEvent) {
	fn := ev.FunctionName
	if fn == "" {
		fn = ev.Symbol
	}
	if fn == "" && ev.Event != "" {
		fn = ev.Subsys + "/" + ev.Event
	}
	e.Op = fn
	var mask int64 = -1
	for _, a := range ev.Args {
		switch {
		case a.FileArg != nil && e.Path == "":
			e.Path = absPath(a.FileArg.Path)
		case a.PathArg != nil && e.Path == "":
			e.Path = absPath(a.PathArg.Path)
		case a.SockArg != nil && e.Peer.Family == "":
			e.Peer = inetAddr(a.SockArg.Daddr, int(a.SockArg.Dport.N))
		case a.SockaddrArg != nil && e.Peer.Family == "":
			e.Peer = inetAddr(a.SockaddrArg.Addr, int(a.SockaddrArg.Port.N))
		case a.IntArg != nil && mask < 0:
			mask = a.IntArg.N
		}
	}
	name := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(fn, "__x64_"), "__arm64_"), "__")
	switch {
	case name == "tcp_connect", name == "sys_connect", name == "ip4_datagram_connect":
		if e.Peer.Family != "" {
			e.Kind = event.KindConnect
		}
	case name == "security_file_permission", name == "security_mmap_file":
		// mask: MAY_WRITE 2, MAY_READ 4, MAY_APPEND 8 (linux/fs.h)
		switch {
		case mask > 0 && mask&(2|8) != 0:
			e.Kind = event.KindFileWrite
		case mask > 0 && mask&4 != 0:
			e.Kind = event.KindFileRead
		}
	case name == "sys_write", name == "vfs_write", name == "ksys_write", name == "sys_pwrite64",
		name == "sys_writev", name == "security_path_truncate", name == "do_truncate":
		e.Kind = event.KindFileWrite
	case name == "fd_install", name == "security_file_open", name == "sys_read", name == "vfs_read", name == "ksys_read":
		e.Kind = event.KindFileRead
	case name == "security_path_unlink", name == "sys_unlink", name == "sys_unlinkat", name == "do_unlinkat", name == "security_inode_unlink":
		e.Kind = event.KindUnlink
	case name == "security_path_rename", name == "sys_rename", name == "sys_renameat2":
		// The hooks take the old name first and the new one last; the
		// new name is the file that now exists (an upload moved from
		// /tmp into the web root), so it is Path, like auditd's rename.
		if paths := tgPaths(ev.Args); len(paths) >= 2 {
			e.OldPath, e.Path = paths[0], paths[len(paths)-1]
		}
		e.Kind = event.KindRename
	case name == "security_path_chmod", name == "sys_fchmodat", name == "sys_chmod":
		e.Kind = event.KindChmod
	}
	if e.Kind != event.KindOther && e.Kind != event.KindConnect && e.Path == "" {
		e.Kind = event.KindOther // a file event needs its file
	}
}

// tgPaths returns the file and path arguments of a hook, in order.
func tgPaths(args []tgArg) []string {
	var out []string
	for _, a := range args {
		switch {
		case a.FileArg != nil:
			out = append(out, absPath(a.FileArg.Path))
		case a.PathArg != nil:
			out = append(out, absPath(a.PathArg.Path))
		}
	}
	return out
}

// absPath makes a file_arg path absolute: Tetragon before 0.9 wrote paths
// from the root without their leading slash ("etc/passwd").
func absPath(p string) string {
	if p == "" || strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + p
}

// tgArgs splits Tetragon's arguments string of binary. splitQuoted
// mangles an argument that held both a space and a double quote; the one
// place that matters is a shell's command string, which is exactly such an
// argument whenever it quotes something (cron lines, web-shell one-liners:
// /bin/sh -c '/bin/bash -c "bash -i >& /dev/tcp/…"' is exported as
// `-c "/bin/bash -c "bash -i >& /dev/tcp/…""`). When binary is a shell
// and the string is one option holding c followed by one quoted argument
// that splitQuoted cannot split back into exactly one argument, the text
// between the first and the last quote is taken verbatim as the command
// string. A shell given positional arguments with spaces after the command
// (sh -c "cmd" "a b") would be misread this way; that is far rarer.
func tgArgs(binary, s string) []string {
	args := splitQuoted(s)
	if len(args) <= 2 || !commandShells[path.Base(binary)] {
		return args
	}
	opt, rest, ok := strings.Cut(s, ` "`)
	if !ok || !strings.HasPrefix(opt, "-") || strings.HasPrefix(opt, "--") || !strings.Contains(opt, "c") ||
		strings.ContainsAny(opt, " \t\"") || len(rest) < 1 || !strings.HasSuffix(rest, `"`) {
		return args
	}
	return []string{opt, rest[:len(rest)-1]}
}

// commandShells are the shells whose -c takes a whole command string:
// sensors that log a command line as one string (Tetragon, Sysmon) must
// not split it for them.
var commandShells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true, "ash": true, "busybox": true}

// splitQuoted splits Tetragon's arguments string: blanks separate
// arguments except inside double quotes, and the quotes are removed.
// Tetragon quotes but does not escape, so backslashes are literal.
func splitQuoted(s string) []string {
	var args []string
	var cur strings.Builder
	inArg, inQuote := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			inArg = true
		case !inQuote && (c == ' ' || c == '\t' || c == '\n'):
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}
