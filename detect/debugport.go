package detect

import (
	"net"
	"path"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// Code run through another process's debugger. A runtime started with its
// debugger listening (node --inspect, a JVM's JDWP agent with server=y,
// Chromium's --remote-debugging-port, Python's debugpy --listen) runs any
// code a client of that port sends, as its own account: a debugging flag
// left in a service's start script is a way from the web side into that
// service (cragboard-prefmerge: the app's process connected to the till
// sync's inspector on 127.0.0.1:9229, and the sync's node ran sh -c
// moments later, as the desk's account). The kernel records the client's
// connect; the runtime's accept of it is not always audited (node's
// inspector thread left none), and nothing ties the command it then runs
// to the connection. What does is the order of events and the port: a
// process declares the port in its command line (its exec, or the title
// it shows when its exec predates the log), a process of the web side
// connects to it, and the declaring process starts a command within
// svcRunWithin. Such a command is adopted for the intrusion's web server
// as viaservice.go adopts a database's: inferred, said so, lateral
// movement (T1210). Only another account's debugger counts (the site's
// own app attached to itself moves nowhere), and a root debuggee's
// command must be its own child (root runs everything).

// maxDebugPorts bounds the declared debugger ports kept per log, and
// maxDebugFlag the declaring argument kept to quote.
const (
	maxDebugPorts = 64
	maxDebugFlag  = 256
)

// debuggee is a process whose command line declares a debugger port; ev
// is the event that showed it (retained while the entry lasts).
type debuggee struct {
	proc *parser.Process
	ev   *parser.Event
	flag string // the declaring argument, as the process gave it
	ip   string // the address it listens on ("" : any)
}

// debugPorts are the declared debugger listeners by host and port, and
// the processes already read.
type debugPorts struct {
	by   map[hostPort]debuggee
	seen map[parser.ProcKey]bool // titled processes read (bounded: cleared when full)
}

// debugRuntime reports whether a program's base name is a runtime whose
// debugger may listen.
func debugRuntime(base string) bool {
	switch {
	case base == "node" || base == "nodejs" || base == "java" || base == "chromium" || base == "chrome":
		return true
	case strings.HasPrefix(base, "python"), strings.HasPrefix(base, "chromium-"), strings.HasPrefix(base, "google-chrome"):
		return true
	}
	return false
}

// debugListen returns the address and port a command line declares its
// debugger listens on; ok is false when it declares none.
func debugListen(args []string) (ip string, port int, flag string, ok bool) {
	for i, a := range args {
		switch {
		case a == "--inspect" || a == "--inspect-brk":
			return "127.0.0.1", 9229, a, true
		case strings.HasPrefix(a, "--inspect=") || strings.HasPrefix(a, "--inspect-brk=") || strings.HasPrefix(a, "--inspect-port="):
			v := a[strings.IndexByte(a, '=')+1:]
			if ip, port, ok := hostAndPort(v, "127.0.0.1"); ok {
				return ip, port, a, true
			}
		case strings.HasPrefix(a, "-agentlib:jdwp=") || strings.HasPrefix(a, "-Xrunjdwp:"):
			opts := a[strings.IndexAny(a, "=:")+1:]
			if strings.HasPrefix(a, "-agentlib:") {
				opts = a[len("-agentlib:jdwp="):]
			}
			server, addr := false, ""
			for _, kv := range strings.Split(opts, ",") {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "server":
					server = v == "y"
				case "address":
					addr = v
				}
			}
			if ip, port, ok := hostAndPort(addr, "127.0.0.1"); server && ok {
				return ip, port, a, true
			}
		case strings.HasPrefix(a, "--remote-debugging-port="):
			if p, err := strconv.Atoi(a[len("--remote-debugging-port="):]); err == nil && p > 0 && p < 65536 {
				return "127.0.0.1", p, a, true
			}
		case a == "--listen" && i > 0 && i+1 < len(args) && strings.Contains(strings.Join(args[:i], " "), "debugpy"):
			if ip, port, ok := hostAndPort(args[i+1], "127.0.0.1"); ok {
				return ip, port, a + " " + args[i+1], true
			}
		}
	}
	return "", 0, "", false
}

// hostAndPort reads "[host:]port"; host "*", "0.0.0.0" or "::" is any
// address ("").
func hostAndPort(v, dflt string) (string, int, bool) {
	host := dflt
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		host, v = strings.Trim(v[:i], "[]"), v[i+1:]
	}
	p, err := strconv.Atoi(v)
	if err != nil || p <= 0 || p > 65535 {
		return "", 0, false
	}
	switch host {
	case "*", "0.0.0.0", "::", "":
		host = ""
	case "localhost":
		host = "127.0.0.1"
	}
	return host, p, true
}

// note reads the debugger port an exec, or the title of a process whose
// exec the log never showed, declares.
func (d *debugPorts) note(ev *parser.Event) {
	p := ev.Proc
	if p == nil {
		return
	}
	var args []string
	switch {
	case ev.Kind == parser.KindExec && !ev.Failed():
		if !debugRuntime(path.Base(ev.Exe)) {
			return
		}
		args = ev.Args
	case p.Title != nil && len(p.Execs) == 0:
		if !debugRuntime(path.Base(p.Exe)) || d.seen[p.Key] {
			return
		}
		if d.seen == nil || len(d.seen) >= 4*maxDebugPorts {
			d.seen = map[parser.ProcKey]bool{}
		}
		d.seen[p.Key] = true
		args = p.Title
	default:
		return
	}
	ip, port, flag, ok := debugListen(args)
	if !ok {
		return
	}
	k := hostPort{ev.Host, port}
	if d.by == nil {
		d.by = map[hostPort]debuggee{}
	}
	if old, ok := d.by[k]; ok {
		old.ev.Proc.Unpin()
		delete(d.by, k)
	}
	if len(d.by) >= maxDebugPorts {
		for k, old := range d.by { // rare: a log of many debuggers
			old.ev.Proc.Unpin()
			delete(d.by, k)
		}
	}
	if len(flag) > maxDebugFlag {
		flag = flag[:maxDebugFlag] + "…" // said in a reason: an argument may be any length
	}
	ev.Retain(parser.KeepText)
	d.by[k] = debuggee{proc: p, ev: ev, flag: strings.Clone(flag), ip: ip}
}

// noteDebugConnect makes a web-side connect to another account's declared
// debugger port an accept of the intrusion's client (viaservice.go): the
// debuggee's commands of the next svcRunWithin are adopted.
func (s *state) noteDebugConnect(ev *parser.Event, in *procInfo) {
	if len(s.debug.by) == 0 || ev.Proc == nil || !inet(ev.Peer) || ev.Peer.Port <= 0 {
		return
	}
	t, ok := s.debug.by[hostPort{ev.Host, ev.Peer.Port}]
	if !ok || t.proc == ev.Proc || !t.proc.UID.Set || !ev.UID.Set || t.proc.UID.N == ev.UID.N {
		return
	}
	if ip := net.ParseIP(ev.Peer.IP); ip == nil || t.ip != "" && ev.Peer.IP != t.ip && !(ip.IsLoopback() && net.ParseIP(t.ip).IsLoopback()) {
		return
	}
	web := in.web
	if web == nil && in.channel != nil {
		web = in.channel.opener
	}
	if web == nil && in.webSelf {
		web = ev.Proc // the server itself, running the intruder's code in process
	}
	if web == nil {
		return
	}
	if len(s.svcAccepts) >= maxSvcAccepts {
		for _, a := range s.svcAccepts {
			a.release()
		}
		clear(s.svcAccepts)
	}
	k := hostUID{ev.Host, t.proc.UID.N}
	if old, ok := s.svcAccepts[k]; ok {
		old.release()
	}
	a := svcAccept{host: ev.Host, at: ev.Time, web: web, srv: t.proc, conn: ev, acc: t.ev, debug: t.flag, strict: t.proc.UID.N == 0}
	a.retain()
	s.svcAccepts[k] = a
}
