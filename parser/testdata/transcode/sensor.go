package main

// Sensor transcodings: an auditd capture, read with the project's own
// parser (parser.Resolve + parser.NewReader, so the process tree is the
// parser's), rewritten as the events a runtime sensor on the same host
// would have exported: Tetragon's JSON export, Elastic Defend for
// Containers (cloud_defend) ECS documents, or Sysmon for Linux XML events
// behind the syslog header. Each event kind is written only where the
// sensor has such an event; what a format cannot carry is dropped here and
// listed in the README next to the outputs (and in report()):
//
//	go run ./parser/testdata/transcode -to tetragon -host lab-web \
//	    -in testdata/lab/webshell-classic/audit.log.gz -o OUT.json[.gz]
//
// Identifiers the sensors make up (Tetragon exec_id, ECS entity_id,
// Sysmon ProcessGuid) are derived from host, pid and the start time the
// parser's tree gives the process, so they are stable and unique per
// process image; they are not the sensors' real values (Tetragon's ktime
// is time since boot, which the capture does not record).

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// counts says per event kind how many events were written or dropped.
type counts map[string]int

func runSensor(to, in, out, host string) error {
	ins, skipped := parser.Resolve([]string{in}, nil)
	for _, s := range skipped {
		return fmt.Errorf("%s: %s", s.Path, s.Reason)
	}
	r := parser.NewReader(ins, parser.Options{Host: host})
	defer r.Close()

	var buf bytes.Buffer
	var enc encoder
	switch to {
	case "tetragon":
		enc = &tetragonEnc{}
	case "clouddefend":
		enc = &ecsEnc{}
	case "sysmon":
		enc = &sysmonEnc{}
	default:
		return fmt.Errorf("unknown -to %q", to)
	}
	written, dropped := counts{}, counts{}
	err := r.All(func(ev *parser.Event) {
		if ev.Proc == nil || ev.PID <= 0 {
			dropped[ev.Kind.String()]++ // daemon, config, login records: no process event in a sensor
			return
		}
		if ev.Host == "" {
			ev.Host = host
		}
		if enc.write(&buf, ev) {
			written[ev.Kind.String()]++
		} else {
			dropped[ev.Kind.String()]++
		}
	})
	if err != nil {
		return err
	}
	for _, in := range r.Inputs() {
		if in.Malformed > 0 {
			fmt.Fprintf(os.Stderr, "%s: %d malformed records skipped\n", in.Path, in.Malformed)
		}
	}
	fmt.Fprintf(os.Stderr, "%s: written %v; not expressible, dropped %v\n", to, written, dropped)
	return writeOut(out, buf.Bytes())
}

// writeOut writes data to path ("-" or "" for stdout), gzipped when the
// name ends in .gz (with a zero mtime and no name, so reruns are identical).
func writeOut(p string, data []byte) error {
	var w io.Writer = os.Stdout
	if p != "" && p != "-" {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if strings.HasSuffix(p, ".gz") {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		return zw.Close()
	}
	_, err := w.Write(data)
	return err
}

type encoder interface {
	// write appends the sensor's record of ev to b and reports whether the
	// sensor has one.
	write(b *bytes.Buffer, ev *parser.Event) bool
}

// ---- helpers over the parser's tree ----

// imageStart is when the process's current image started: its last exec,
// else when the tree first saw it.
func imageStart(p *parser.Process) time.Time {
	if n := len(p.Execs); n > 0 {
		return p.Execs[n-1].Time
	}
	return p.Key.Start
}

// argv returns the process's argv, or its image alone when no exec of it
// is in the capture (it started before).
func argv(p *parser.Process) []string {
	if len(p.Args) > 0 {
		return p.Args
	}
	if p.Exe != "" {
		return []string{p.Exe}
	}
	return nil
}

// argsOf returns the event's argv for an exec, else its process's.
func argsOf(ev *parser.Event) []string {
	if ev.Kind == parser.KindExec && len(ev.Args) > 0 {
		return ev.Args
	}
	return argv(ev.Proc)
}

func exeOf(ev *parser.Event) string {
	if ev.Kind == parser.KindExec && ev.Exe != "" {
		return ev.Exe
	}
	if ev.Proc.Exe != "" {
		return ev.Proc.Exe
	}
	return ev.Exe
}

func cwdOf(ev *parser.Event) string {
	if ev.Cwd != "" {
		return ev.Cwd
	}
	return ev.Proc.Cwd
}

func uidOf(ev *parser.Event) parser.ID {
	if ev.UID.Set {
		return ev.UID
	}
	return ev.Proc.UID
}

func euidOf(ev *parser.Event) parser.ID {
	if ev.EUID.Set {
		return ev.EUID
	}
	return ev.Proc.EUID
}

func userOf(ev *parser.Event) string {
	if ev.User != "" {
		return ev.User
	}
	return ev.Proc.User
}

// inet reports whether the peer is an IP address (the sensors' network
// events are TCP/UDP over IP; unix and netlink sockets are not reported).
func inet(a parser.Addr) bool { return a.Family == "inet" || a.Family == "inet6" }

func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// ---- Tetragon ----

// tetragonEnc writes GetEventsResponse lines: process_exec for execs and
// process_kprobe for what the usual TracingPolicies hook — tcp_connect
// (connects), security_file_permission with MAY_WRITE / MAY_READ (opens
// for writing, successful reads of watched files), security_path_unlink,
// security_path_rename (old then new path), security_path_chmod. accept
// and bind are not hooked by those policies; failed opens (EACCES) never
// reach security_file_permission.
type tetragonEnc struct{}

func tgExecID(host string, p *parser.Process) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%d:%d", host, imageStart(p).UnixNano(), p.Key.PID)))
}

// tgArguments joins argv[1:] as Tetragon does: blanks between arguments,
// an argument that holds a space wrapped in double quotes (nothing escaped).
func tgArguments(args []string) string {
	if len(args) < 2 {
		return ""
	}
	out := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		if strings.ContainsAny(a, " \t") {
			a = `"` + a + `"`
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

func tgProcess(host string, p *parser.Process, exe string, args []string, cwd string, uid, euid parser.ID, user string) map[string]any {
	m := map[string]any{
		"exec_id":    tgExecID(host, p),
		"pid":        p.Key.PID,
		"flags":      "execve clone",
		"start_time": rfc3339(imageStart(p)),
		"auid":       p.AUID.Value(),
		"refcnt":     1,
	}
	own := 0 // execs of its own, not the image it inherited by forking
	for _, x := range p.Execs {
		if !x.Inherited {
			own++
		}
	}
	switch {
	case len(p.Execs) == 0:
		m["flags"] = "procFS" // running before the agent started
	case p.Execs[len(p.Execs)-1].Inherited:
		m["flags"] = "clone" // forked, not exec'd: its parent's image
	case own > 1:
		m["flags"] = "execve" // exec without fork: same pid, new image
	}
	if uid.Set || euid.Set {
		m["uid"] = euid.Value() // Tetragon's uid is the effective uid
		m["process_credentials"] = map[string]any{"uid": uid.Value(), "euid": euid.Value()}
	}
	if user != "" {
		m["user"] = map[string]any{"name": user}
	}
	if exe != "" { // unknown for a process that neither exec'd nor acted in the capture
		m["binary"] = exe
	}
	if cwd != "" {
		m["cwd"] = cwd
	}
	if a := tgArguments(args); a != "" {
		m["arguments"] = a
	}
	if p.Parent != nil {
		m["parent_exec_id"] = tgExecID(host, p.Parent)
	}
	return m
}

func tgOf(host string, p *parser.Process) map[string]any {
	return tgProcess(host, p, p.Exe, argv(p), p.Cwd, p.UID, p.EUID, p.User)
}

func (tetragonEnc) write(b *bytes.Buffer, ev *parser.Event) bool {
	p := ev.Proc
	proc := tgProcess(ev.Host, p, exeOf(ev), argsOf(ev), cwdOf(ev), uidOf(ev), euidOf(ev), userOf(ev))
	body := map[string]any{"process": proc}
	if p.Parent != nil {
		body["parent"] = tgOf(ev.Host, p.Parent)
	}
	var typ string
	kprobe := func(fn, policy string, args ...map[string]any) {
		typ = "process_kprobe"
		body["function_name"] = fn
		body["args"] = args
		body["action"] = "KPROBE_ACTION_POST"
		body["policy_name"] = policy
		body["return"] = map[string]any{"int_arg": 0}
	}
	file := func(p string) map[string]any { return map[string]any{"file_arg": map[string]any{"path": p}} }
	pth := func(p string) map[string]any { return map[string]any{"path_arg": map[string]any{"path": p}} }
	switch ev.Kind {
	case parser.KindExec:
		if ev.Failed() {
			return false // Tetragon reports execs that happened
		}
		typ = "process_exec"
	case parser.KindExit:
		typ = "process_exit"
		body["status"] = ev.Exit
		body["time"] = rfc3339(ev.Time)
	case parser.KindConnect:
		if !inet(ev.Peer) {
			return false
		}
		fam := "AF_INET"
		if ev.Peer.Family == "inet6" {
			fam = "AF_INET6"
		}
		kprobe("tcp_connect", "connect", map[string]any{"sock_arg": map[string]any{
			"family": fam, "type": "SOCK_STREAM", "protocol": "IPPROTO_TCP",
			"daddr": ev.Peer.IP, "dport": ev.Peer.Port, "state": "TCP_SYN_SENT"}})
	case parser.KindFileWrite, parser.KindFileRead:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		mask := 2 // MAY_WRITE
		if ev.Kind == parser.KindFileRead {
			mask = 4 // MAY_READ
		}
		kprobe("security_file_permission", "file-monitoring", file(ev.Path), map[string]any{"int_arg": mask})
	case parser.KindUnlink:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		kprobe("security_path_unlink", "file-monitoring", pth(ev.Path))
	case parser.KindRename:
		if ev.Failed() || ev.Path == "" || ev.OldPath == "" {
			return false
		}
		kprobe("security_path_rename", "file-monitoring", pth(ev.OldPath), pth(ev.Path))
	case parser.KindChmod:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		kprobe("security_path_chmod", "file-monitoring", pth(ev.Path))
	default:
		return false // accept, bind, other syscalls: no hook in the policies
	}
	doc := map[string]any{typ: body, "node_name": ev.Host, "time": rfc3339(ev.Time)}
	return appendJSON(b, doc)
}

// ---- Elastic Defend for Containers (cloud_defend) ----

// ecsEnc writes the documents of the process and file data streams:
// event.action exec (and end), file creation / modification / deletion /
// rename. cloud_defend has no network data stream, so connects, accepts
// and binds are not written; nor are reads and chmods (its file selectors
// are about changes: create, modify, delete). Users are ids only, as the
// integration's field list has them (process.user.id, group.id).
type ecsEnc struct{}

const ecsAgent = "3c2d9a6e-5b14-4f0a-9e37-1d8b6c0f2a45"

func ecsEntityID(p *parser.Process) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s-%d-%d", ecsAgent, p.Key.PID, imageStart(p).Unix())))
}

func ecsUser(uid parser.ID) map[string]any {
	if !uid.Set {
		return nil
	}
	return map[string]any{"id": strconv.FormatUint(uint64(uid.N), 10)}
}

func (ecsEnc) write(b *bytes.Buffer, ev *parser.Event) bool {
	p := ev.Proc
	args := argsOf(ev)
	exe := exeOf(ev)
	proc := map[string]any{
		"entity_id":   ecsEntityID(p),
		"pid":         p.Key.PID,
		"name":        path.Base(exe),
		"executable":  exe,
		"args":        args,
		"args_count":  len(args),
		"start":       imageStart(p).UTC().Format("2006-01-02T15:04:05.000Z"),
		"interactive": ev.Proc.TTY != "" && ev.Proc.TTY != "(none)",
	}
	if c := cwdOf(ev); c != "" {
		proc["working_directory"] = c
	}
	if u := ecsUser(euidOf(ev)); u != nil {
		proc["user"] = u
	}
	if g := ecsUser(ev.GID); g != nil {
		proc["group"] = g
	}
	if pp := p.Parent; pp != nil {
		par := map[string]any{
			"entity_id": ecsEntityID(pp),
			"pid":       pp.Key.PID,
			"start":     imageStart(pp).UTC().Format("2006-01-02T15:04:05.000Z"),
		}
		if pp.Exe != "" { // unknown for a process that neither exec'd nor acted in the capture
			par["executable"] = pp.Exe
			par["args"] = argv(pp)
		}
		if u := ecsUser(pp.EUID); u != nil {
			par["user"] = u
		}
		proc["parent"] = par
	}
	event := map[string]any{"kind": "event", "module": "cloud_defend"}
	doc := map[string]any{
		"@timestamp": ev.Time.UTC().Format("2006-01-02T15:04:05.000Z"),
		"agent":      map[string]any{"id": ecsAgent, "type": "cloud-defend"},
		"host":       map[string]any{"name": ev.Host, "hostname": ev.Host},
		"process":    proc,
		"event":      event,
	}
	stream := "cloud_defend.process"
	switch ev.Kind {
	case parser.KindExec:
		if ev.Failed() {
			return false
		}
		event["action"], event["category"], event["type"] = "exec", []string{"process"}, []string{"start"}
	case parser.KindExit:
		event["action"], event["category"], event["type"] = "end", []string{"process"}, []string{"end"}
		proc["exit_code"] = ev.Exit
		proc["end"] = ev.Time.UTC().Format("2006-01-02T15:04:05.000Z")
	case parser.KindFileWrite, parser.KindUnlink, parser.KindRename:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		stream = "cloud_defend.file"
		action, typ := "modification", "change"
		switch {
		case ev.Kind == parser.KindUnlink:
			action, typ = "deletion", "deletion"
		case ev.Kind == parser.KindRename:
			action, typ = "rename", "change"
		case created(ev):
			action, typ = "creation", "creation"
		}
		event["action"], event["category"], event["type"] = action, []string{"file"}, []string{typ}
		f := map[string]any{"path": ev.Path, "name": path.Base(ev.Path)}
		if ext := strings.TrimPrefix(path.Ext(ev.Path), "."); ext != "" {
			f["extension"] = ext
		}
		if ev.Kind == parser.KindRename {
			f["Ext"] = map[string]any{"original": map[string]any{"path": ev.OldPath}}
		}
		doc["file"] = f
	default:
		return false // no network stream; reads, chmod, other syscalls not collected
	}
	event["dataset"] = stream
	doc["data_stream"] = map[string]any{"dataset": stream, "namespace": "default", "type": "logs"}
	return appendJSON(b, doc)
}

// created reports whether a file write created the file (a CREATE path
// record), else it modified an existing one.
func created(ev *parser.Event) bool {
	for _, pr := range ev.Paths {
		if pr.Nametype == "CREATE" && strings.HasSuffix(ev.Path, path.Base(pr.Name)) {
			return true
		}
	}
	return false
}

// ---- Sysmon for Linux ----

// sysmonEnc writes Sysmon for Linux events as syslog lines: 1
// ProcessCreate, 3 NetworkConnect (connects Initiated=true, accepts
// Initiated=false; IP peers only), 5 ProcessTerminate, 11 FileCreate
// (opens that create or truncate a file), 23 FileDelete. Sysmon for Linux
// has no rename, chmod or file-read event, and writes no uid: User is the
// name, ParentUser the parent's. CommandLine is argv joined by blanks.
type sysmonEnc struct{ record int }

const sysmonMachine = "b7e4f1a2"

func sysmonGUID(p *parser.Process) string {
	s := imageStart(p)
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d/%d", p.Key.Host, p.Key.PID, s.UnixNano())))
	return fmt.Sprintf("{%s-%04x-%08x-%04x-%012x}", sysmonMachine, binary.BigEndian.Uint16(h[:2]),
		uint32(s.Unix()), binary.BigEndian.Uint16(h[2:4]), p.Key.PID)
}

type sysmonData struct{ name, value string }

func (e *sysmonEnc) write(b *bytes.Buffer, ev *parser.Event) bool {
	p := ev.Proc
	user := userOf(ev)
	if user == "" {
		user = "-"
	}
	common := []sysmonData{
		{"RuleName", "-"},
		{"UtcTime", ev.Time.UTC().Format("2006-01-02 15:04:05.000")},
		{"ProcessGuid", sysmonGUID(p)},
		{"ProcessId", strconv.Itoa(p.Key.PID)},
		{"Image", exeOf(ev)},
	}
	var id, task int
	var data []sysmonData
	switch ev.Kind {
	case parser.KindExec:
		if ev.Failed() {
			return false
		}
		id, task = 1, 1
		data = append(common,
			sysmonData{"FileVersion", "-"}, sysmonData{"Description", "-"}, sysmonData{"Product", "-"},
			sysmonData{"Company", "-"}, sysmonData{"OriginalFileName", "-"},
			sysmonData{"CommandLine", strings.Join(argsOf(ev), " ")},
			sysmonData{"CurrentDirectory", dash(cwdOf(ev))},
			sysmonData{"User", user},
			sysmonData{"LogonGuid", "{" + sysmonMachine + "-0000-0000-0000-000000000000}"},
			sysmonData{"LogonId", strconv.FormatUint(uint64(uidOf(ev).Value()), 10)},
			sysmonData{"TerminalSessionId", strconv.FormatUint(uint64(p.SES.Value()), 10)},
			sysmonData{"IntegrityLevel", "no level"},
			sysmonData{"Hashes", "-"})
		if pp := p.Parent; pp != nil {
			pu := pp.User
			if pu == "" {
				pu = "-"
			}
			data = append(data,
				sysmonData{"ParentProcessGuid", sysmonGUID(pp)},
				sysmonData{"ParentProcessId", strconv.Itoa(pp.Key.PID)},
				sysmonData{"ParentImage", dash(pp.Exe)},
				sysmonData{"ParentCommandLine", dash(strings.Join(argv(pp), " "))},
				sysmonData{"ParentUser", pu})
		} else {
			data = append(data,
				sysmonData{"ParentProcessGuid", "{00000000-0000-0000-0000-000000000000}"},
				sysmonData{"ParentProcessId", "0"},
				sysmonData{"ParentImage", "-"}, sysmonData{"ParentCommandLine", "-"}, sysmonData{"ParentUser", "-"})
		}
	case parser.KindConnect, parser.KindAccept:
		if !inet(ev.Peer) {
			return false
		}
		id, task = 3, 3
		v6 := strconv.FormatBool(ev.Peer.Family == "inet6")
		peerIP, peerPort := ev.Peer.IP, strconv.Itoa(ev.Peer.Port)
		// auditd records the remote address only; the local end is unknown.
		src, srcPort, dst, dstPort := "-", "-", peerIP, peerPort
		if ev.Kind == parser.KindAccept {
			src, srcPort, dst, dstPort = peerIP, peerPort, "-", "-"
		}
		data = append(common,
			sysmonData{"User", user}, sysmonData{"Protocol", "tcp"},
			sysmonData{"Initiated", strconv.FormatBool(ev.Kind == parser.KindConnect)},
			sysmonData{"SourceIsIpv6", v6}, sysmonData{"SourceIp", src}, sysmonData{"SourceHostname", "-"},
			sysmonData{"SourcePort", srcPort}, sysmonData{"SourcePortName", "-"},
			sysmonData{"DestinationIsIpv6", v6}, sysmonData{"DestinationIp", dst}, sysmonData{"DestinationHostname", "-"},
			sysmonData{"DestinationPort", dstPort}, sysmonData{"DestinationPortName", "-"})
	case parser.KindExit:
		id, task = 5, 5
		data = append(common, sysmonData{"User", user})
	case parser.KindFileWrite:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		id, task = 11, 11
		data = append(common,
			sysmonData{"TargetFilename", ev.Path},
			sysmonData{"CreationUtcTime", ev.Time.UTC().Format("2006-01-02 15:04:05.000")},
			sysmonData{"User", user})
	case parser.KindUnlink:
		if ev.Failed() || ev.Path == "" {
			return false
		}
		id, task = 23, 23
		data = append(common,
			sysmonData{"User", user}, sysmonData{"TargetFilename", ev.Path},
			sysmonData{"Hashes", "-"}, sysmonData{"IsExecutable", "false"}, sysmonData{"Archived", "false"})
	default:
		return false // rename, chmod, reads, bind: no Sysmon for Linux event
	}
	e.record++
	host := ev.Host
	fmt.Fprintf(b, "%s %s sysmon: <Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/>"+
		"<EventID>%d</EventID><Version>5</Version><Level>4</Level><Task>%d</Task><Opcode>0</Opcode>"+
		"<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime=\"%s\"/><EventRecordID>%d</EventRecordID>"+
		"<Correlation/><Execution ProcessID=\"%d\" ThreadID=\"%d\"/><Channel>Linux-Sysmon/Operational</Channel>"+
		"<Computer>%s</Computer><Security UserId=\"0\"/></System><EventData>",
		ev.Time.UTC().Format(time.Stamp), host, id, task, ev.Time.UTC().Format("2006-01-02T15:04:05.000000Z"),
		e.record, sysmonPID, sysmonPID, xmlText(host))
	for _, d := range data {
		fmt.Fprintf(b, "<Data Name=\"%s\">%s</Data>", d.name, xmlText(d.value))
	}
	b.WriteString("</EventData></Event>\n")
	return true
}

// sysmonPID is the pid of the sysmon daemon that writes the events.
const sysmonPID = 741

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// xmlText escapes s as XML character data. Sysmon writes one event per
// line, so control characters (a newline inside an argument) are written
// as character references.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// appendJSON writes doc as one line without HTML escaping (exporters do
// not escape <, > and &).
func appendJSON(b *bytes.Buffer, doc any) bool {
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return false
	}
	b.Write(line.Bytes())
	return true
}
