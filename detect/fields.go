package detect

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// category is the Sigma logsource a rule reads, mapped onto event kinds.
type category uint8

const (
	catNone              category = iota // a logsource we cannot observe
	catProcessCreation                   // category: process_creation
	catNetworkConnection                 // category: network_connection
	catFileEvent                         // category: file_event (create, write, rename target)
	catFileDelete                        // category: file_delete
	catFileAccess                        // category: file_access (reads, failed opens too)
	catAuditd                            // service: auditd (raw audit records)
	// category: container_exec (ours): a command run into a container by
	// its runtime — docker exec, kubectl exec/attach — from Docker events
	// or the Kubernetes audit log. The process it starts has no parent on
	// the host that shows who asked for it; the runtime's log does.
	catContainerExec
	// category: unix_socket (ours): a connect to a unix-domain socket (the
	// container runtime's API, a database's local socket). Kept apart from
	// network_connection so that rules about outbound connections never
	// see a process talking to its own host's services.
	catUnixSocket
	// catWebserver: an access-log line (Sigma's webserver category, its
	// W3C field names: c-ip, cs-method, cs-uri-stem, sc-status …)
	catWebserver
	catCount
)

var categoryNames = [catCount]string{"none", "process_creation", "network_connection", "file_event", "file_delete", "file_access", "auditd", "container_exec", "unix_socket", "webserver"}

func (c category) String() string { return categoryNames[c] }

// categoryOf maps a Sigma logsource to what we observe. Products other than
// linux (or none), and Linux services other than auditd (syslog, sshd,
// auth …), are read by other tools: such rules load but do not run.
func categoryOf(product, cat, service string) (category, string) {
	if product != "" && product != "linux" {
		return catNone, "logsource product " + product + " is not observed (auditchain reads Linux audit logs)"
	}
	switch {
	case service == "auditd" && cat == "":
		return catAuditd, ""
	case service != "":
		return catNone, "logsource service " + service + " is not observed (only service: auditd)"
	}
	switch cat {
	case "process_creation":
		return catProcessCreation, ""
	case "network_connection":
		return catNetworkConnection, ""
	case "file_event", "file_create", "file_change", "file_rename":
		return catFileEvent, ""
	case "file_delete":
		return catFileDelete, ""
	case "file_access":
		return catFileAccess, ""
	case "container_exec":
		return catContainerExec, ""
	case "unix_socket":
		return catUnixSocket, ""
	case "webserver":
		return catWebserver, ""
	case "":
		return catNone, "logsource without category or service is syslog-based (SigmaHQ linux/builtin) and not observed"
	}
	return catNone, "logsource category " + cat + " is not observed"
}

// applies reports whether an event belongs to the category at all.
func (c category) applies(ev *parser.Event) bool {
	switch c {
	case catProcessCreation:
		return ev.Kind == parser.KindExec && ev.ExecSucceeded()
	case catNetworkConnection:
		switch ev.Kind {
		case parser.KindConnect:
			return !ev.Failed() && (ev.Peer.Family == "inet" || ev.Peer.Family == "inet6")
		case parser.KindAccept:
			return ev.Success
		}
	case catFileEvent:
		return (ev.Kind == parser.KindFileWrite || ev.Kind == parser.KindRename) && !ev.Failed()
	case catFileDelete:
		return ev.Kind == parser.KindUnlink && !ev.Failed()
	case catFileAccess:
		return ev.Kind == parser.KindFileRead
	case catAuditd:
		return ev.Source == parser.FormatAuditd
	case catContainerExec:
		return ev.Kind == parser.KindContainer && containerExecOps[ev.Op]
	case catUnixSocket:
		return ev.Kind == parser.KindConnect && !ev.Failed() && ev.Peer.Family == "unix"
	case catWebserver:
		return ev.Kind == parser.KindHTTP && ev.HTTP != nil
	}
	return false
}

// containerExecOps are the runtime actions that run a command in a
// container: Docker's exec_create/exec_start, Kubernetes' pods/exec and
// pods/attach.
var containerExecOps = map[string]bool{"exec_create": true, "exec_start": true, "pods/exec": true, "pods/attach": true}

// kinds lists the event kinds a category can match, for the prefilter.
func (c category) kinds() []parser.Kind {
	switch c {
	case catProcessCreation:
		return []parser.Kind{parser.KindExec}
	case catNetworkConnection:
		return []parser.Kind{parser.KindConnect, parser.KindAccept}
	case catFileEvent:
		return []parser.Kind{parser.KindFileWrite, parser.KindRename}
	case catFileDelete:
		return []parser.Kind{parser.KindUnlink}
	case catFileAccess:
		return []parser.Kind{parser.KindFileRead}
	case catContainerExec:
		return []parser.Kind{parser.KindContainer}
	case catUnixSocket:
		return []parser.Kind{parser.KindConnect}
	case catWebserver:
		return []parser.Kind{parser.KindHTTP}
	case catAuditd:
		var all []parser.Kind
		for k := parser.KindOther; k <= parser.KindSyscall; k++ {
			all = append(all, k)
		}
		return all
	}
	return nil
}

// getter appends a field's values for the event in c to out. No values
// means the field is absent (Sigma's null).
type getter func(c *evalCtx, out []string) []string

// processFields are offered by every category whose events have a process.
// Sigma's Linux names first, then ours (documented in doc.go).
var processFields = map[string]getter{
	// TaskReply: the exec uploads its standard input to the server a
	// fetch-and-run loop above it takes its tasks from (taskreply.go).
	"TaskReply": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(taskReply(c.ev)))
	},
	// PostRotateProgram: the command line runs tcpdump with -z naming a
	// program that is no compressor (placement.go's postRotateCommand): a
	// program of the caller's choice run with tcpdump's rights
	"PostRotateProgram": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(postRotateCommand(strings.ToLower(c.commandLine()))))
	},
	// TLSCheck: the command, or the shell that runs this TLS client, only
	// checks a certificate: the client is fed nothing and read by text
	// filters, and nothing else of note runs (tlscheck.go).
	"TLSCheck": func(c *evalCtx, o []string) []string {
		if sc, ok := shellCommand(c.image(), c.args()); ok && tlsCheckOnly(sc) {
			return append(o, "true")
		}
		return append(o, strconv.FormatBool(tlsCheckProcess(c.ev.Proc)))
	},
	// AdminSudo: the act runs through sudo in the login of a person (the
	// audit login id is set and is no web-service account), outside any
	// web server's context and any channel or session of the intruder
	// (adminsudo.go).
	"AdminSudo": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(adminSudo(c)))
	},
	// PersonLogin: the act runs in a person's own login, outside any web
	// server's context and any channel or session of the intruder
	// (adminsudo.go).
	"PersonLogin": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(personLogin(c)))
	},
	// SocketShell: the exec is the interactive shell a program handed its
	// connection to (socketshell.go): the reverse shell itself
	"SocketShell": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.ev.Kind != parser.KindExec {
			return o
		}
		ch := c.info().channel
		ok := ch != nil && ch.socketShell && isShell(c.ev.Exe) && interactiveFlag(c.ev.Args) &&
			c.proc != nil && (ch.opener == c.proc || ch.opener == c.proc.Parent)
		return append(o, strconv.FormatBool(ok))
	},
	// ParentSeen: the parent's own exec is in the log; false for a parent
	// known only as a ppid (a forked subshell, placed by inference).
	"ParentSeen": func(c *evalCtx, o []string) []string {
		p := c.parent()
		return append(o, strconv.FormatBool(p != nil && !p.Placeholder))
	},
	// PlantedFile: the exec runs a file whose write a rule reported
	// (ownremoval.go); its value is that rule's id.
	"PlantedFile": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		fw, _ := c.flaggedRan()
		if fw.rule == RuleDroppedByCommand && c.ev.Proc != nil {
			// a script the intrusion's own command wrote, run by its own
			// processes (through the sudo it exploited, detached under
			// init by its launcher) is its tool, judged by what it does;
			// run by root's job or a hook it is the plant working
			if in := c.info(); in.web != nil || in.channel != nil {
				return o
			}
		}
		if fw.rule == RuleProgramPlanted && c.ev.Proc != nil {
			// a program the intrusion copied into place, run by the
			// intrusion's own processes (its beacon loop, its shell), is a
			// tool in use, judged by what it does; run by what it hooked
			// (apt, cron, a login) it is the plant firing
			if par := c.ev.Proc.Parent; par != nil {
				if in := c.eng.state.info(par); in.web != nil || in.channel != nil {
					return o
				}
			}
		}
		return appendNonEmpty(o, fw.rule)
	},
	// StartedAsService: the process is a service manager's direct child
	// (service.go): the host's service, started as its account
	"StartedAsService": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(startedAsService(c.ev)))
	},
	// PlantedCommand: the exec is a shell running a command the intrusion
	// configured, the same text as an argument of its persistence act
	// (plantcmd.go)
	"PlantedCommand": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		_, ok := c.eng.state.flagged.cmds.fired(c.ev)
		return append(o, strconv.FormatBool(ok))
	},
	// TaskLoopParent: the parent is an implant holding the channel — a
	// plant-started process polling a server through its children
	// (taskloop.go), or a program, no shell, that connected out itself (a
	// python implant on its C2 connection; not a bind shell's accept, which
	// a server's worker not yet learned can look like): the exec is a
	// task it received
	"TaskLoopParent": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		p := c.parent()
		ch := c.eng.state.channels[p]
		if ch == nil && p != nil && len(p.Execs) == 0 && p.Parent != nil {
			// the loop of a pipeline whose other part follows the log: a
			// fork of the holder that never exec'd (its subshell)
			if up := c.eng.state.channels[p.Parent]; up != nil && up.feed != "" {
				ch = up
			}
		}
		if p == nil || ch == nil || ch.session || ch.worker || ch.socketShell {
			// (a shell started on the socket is the remote shell itself:
			// SocketShell, below)
			return append(o, "false")
		}
		own := ch.opener == p && ch.ownConnect() && !isShell(p.Exe)
		return append(o, strconv.FormatBool(ch.poll || own || ch.feed != ""))
	},
	// PlantStarted: the process runs in what a planted file started (the
	// fork of a line it appended, or a program the intrusion planted
	// whole: plantfork.go)
	"PlantStarted": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		return append(o, strconv.FormatBool(c.eng.state.adoptedAbove(c.proc).planted()))
	},
	// RunForClient: the process is a command a local service ran just
	// after accepting the intrusion's client (viaservice.go)
	"RunForClient": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return o
		}
		return append(o, strconv.FormatBool(c.eng.state.adoptedAs[c.proc] == adoptForClient))
	},
	// ImplantRelaunched: the exec starts again, from outside the
	// intrusion, a program whose earlier run for it a rule flagged
	// (relaunch.go)
	"ImplantRelaunched": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		_, ok := c.eng.state.relaunched(c.ev)
		return append(o, strconv.FormatBool(ok))
	},
	// ImplantWatchdog: the exec starts again, inside the intrusion, a
	// program whose earlier run for it a rule flagged, from a launcher
	// program of the intrusion's own (relaunch.go)
	"ImplantWatchdog": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		_, ok := c.eng.state.watchdogged(c.ev)
		return append(o, strconv.FormatBool(ok))
	},
	// LoginIntoChangedAccount: the exec is the first command of a login
	// into an account the intrusion changed (accountlogin.go)
	"LoginIntoChangedAccount": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		_, ok := c.eng.state.loginIntoChanged(c)
		return append(o, strconv.FormatBool(ok))
	},
	// PlantRanBefore: the exec runs a program the intrusion planted that
	// ran before (plantfork.go): the tool in use, not the plant firing
	"PlantRanBefore": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		return append(o, strconv.FormatBool(c.eng.state.toolInUse(c.ev)))
	},
	// RunForRequest: the process is a program a local service ran at once
	// after accepting a web server worker's connection (viarequest.go),
	// or a shell another account started with the commands a process run
	// for the web server handed over as an argument (handoff.go): the
	// service stands where the web server would, its child is the
	// request's
	"RunForRequest": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return o
		}
		k := c.eng.state.adoptedAs[c.proc]
		return append(o, strconv.FormatBool(k == adoptForRequest || k == adoptHandoff))
	},
	// PlantedByOther: that file was written by another account than the
	// one running it (the web account's change, run by root's cron).
	"PlantedByOther": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		fw, ok := c.flaggedRan()
		return append(o, strconv.FormatBool(ok && fw.byOther(c.ev)))
	},
	// ReplacedByCopy: for a delete, "true" when the deleting process's
	// argv names the file as its copy's destination (install, cp
	// --remove-destination and mv unlink a file to put the new one in its
	// place): the file is replaced, not removed
	"ReplacedByCopy": func(c *evalCtx, o []string) []string {
		if c.ev.Kind != parser.KindUnlink || c.proc == nil || c.ev.Path == "" {
			return o
		}
		return append(o, strconv.FormatBool(slices.Contains(copiedFiles(c.proc.Args, c.proc.Cwd), path.Clean(c.ev.Path))))
	},
	// AttachesOtherAccount: for a debugger's exec, "true" when the process
	// it attaches to (-p PID, --pid, an attach command) runs as another
	// account than the debugger, "false" when as the same; nothing when
	// no live process holds the pid
	"AttachesOtherAccount": func(c *evalCtx, o []string) []string {
		if c.ev.Kind != parser.KindExec || c.tree == nil || !c.ev.UID.Set {
			return o
		}
		pid := attachPID(c.ev.Args)
		if pid <= 1 {
			return o
		}
		t := c.tree.Live(c.ev.Host, pid)
		if t == nil || !t.UID.Set {
			return o
		}
		return append(o, strconv.FormatBool(t.UID.N != c.ev.UID.N))
	},
	// FileCapabilities: for an exec, the capabilities the kernel granted
	// the program from its file (the PATH record's cap_fp), by name
	// (cap_dac_read_search): what a setuid bit is to identity, a
	// capability is to one privilege
	"FileCapabilities": func(c *evalCtx, o []string) []string {
		if c.ev.Kind != parser.KindExec {
			return o
		}
		for _, p := range c.ev.Paths {
			if p.CapFP != 0 && (p.Nametype == "NORMAL" || p.Nametype == "") {
				return append(o, capNames(p.CapFP)...)
			}
		}
		return o
	},
	// MadeExecutable: the files a chmod argv gives an execute bit,
	// absolute against the process's folder: `cd /dev/shm/.p && chmod 755
	// warm` readies /dev/shm/.p/warm though its command line names no
	// folder (shop-bulkedit). A recursive chmod sets a tree's modes, its
	// folders' x the right to enter them (Passenger's chmod -R u+rwx of
	// its spawn folder on every start), not a program readied.
	"MadeExecutable": func(c *evalCtx, o []string) []string {
		if c.cat != catProcessCreation || recursiveChmod(c.args()) {
			return o
		}
		return append(o, runnableFiles(c.args(), c.ev.Cwd)...)
	},
	// EditedFile: the files an editing tool's argv writes (sed -i, tee,
	// cp's destination …: edits.go), absolute against the process's
	// folder; the write itself may not be in the log
	"EditedFile": func(c *evalCtx, o []string) []string {
		if c.cat != catProcessCreation {
			return o
		}
		return append(o, editedPaths(c.image(), c.args(), c.ev.Cwd)...)
	},
	// UnwrittenPersistPlace: for an exec, the persistence mechanism
	// (places.go) of each argument that is a persistence place's file
	// whose change no flagged write of the log shows: what a command that
	// does not write it (touch -d) acts on, its only evidence of the change.
	"UnwrittenPersistPlace": func(c *evalCtx, o []string) []string {
		if c.cat != catProcessCreation || c.eng == nil {
			return o
		}
		args := c.args()
		for i, a := range args {
			if i == 0 || a == "" || a[0] != '/' || isReferenceOperand(args, i) {
				continue
			}
			p := path.Clean(a)
			if _, written := c.eng.state.flagged.m[writeKey{c.ev.Host, p}]; !written {
				o = appendNonEmpty(o, persistPlaceOf(p))
			}
		}
		return o
	},
	"Image": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.image()) },
	// CommandLine is followed, for a shell's -c string, by the forms the
	// shell reads (deobfuscate.go, obfuscation.go): a rule looking for
	// /dev/tcp/ sees `bash -i >& /dev/t''cp/…` as bash runs it.
	"CommandLine": func(c *evalCtx, o []string) []string {
		o = appendNonEmpty(o, c.commandLine())
		if c.ev.Kind == parser.KindExec {
			if s, ok := shellCommand(c.image(), c.args()); ok {
				o = append(o, c.forms(s)...)
			}
		}
		return o
	},
	"ParentImage":       func(c *evalCtx, o []string) []string { return appendNonEmpty(o, procExe(c.parent())) },
	"ParentCommandLine": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.procCmd(c.parent())) },
	"User":              func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.user()) },
	"UserId":            func(c *evalCtx, o []string) []string { return c.appendID(o, c.uid()) },
	"EffectiveUserId":   func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.EUID) },
	"ParentUser":        func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.procUser(c.parent())) },
	"ParentComm": func(c *evalCtx, o []string) []string {
		if p := c.parent(); p != nil {
			return appendNonEmpty(o, p.Comm)
		}
		return o
	},
	"ParentUserId": func(c *evalCtx, o []string) []string {
		if p := c.parent(); p != nil {
			return c.appendID(o, p.UID)
		}
		return o
	},
	"LogonId":          func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.AUID) },
	"LogonUser":        func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.AUser) },
	"CurrentDirectory": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.cwd()) },
	"ProcessId":        func(c *evalCtx, o []string) []string { return c.appendInt(o, c.ev.PID) },
	"ParentProcessId":  func(c *evalCtx, o []string) []string { return c.appendInt(o, c.ev.PPID) },
	"Comm":             func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Comm) },
	"Terminal":         func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.TTY) },
	"AuditKey":         func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Key) },
	"Host":             func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Host) },
	"ContainerId": func(c *evalCtx, o []string) []string {
		if c.proc != nil && c.tree != nil {
			return appendNonEmpty(o, c.tree.ContainerOf(c.proc).ID)
		}
		return appendNonEmpty(o, c.ev.Container().ID)
	},
	"AncestorImages": func(c *evalCtx, o []string) []string {
		for _, a := range c.ancestors() {
			o = appendNonEmpty(o, procExe(a))
		}
		return o
	},
	"AncestorCommandLines": func(c *evalCtx, o []string) []string {
		for _, a := range c.ancestors() {
			o = appendNonEmpty(o, c.procCmd(a))
		}
		return o
	},
	"WebServerImage": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, procExe(c.info().web)) },
	// ParentWebServer: the parent is a web or application server, by name
	// or learned from the log (detect/servers.go); the rules' name lists
	// cannot know a server called anything.
	"ParentWebServer": func(c *evalCtx, o []string) []string {
		p := c.parent()
		if p == nil || c.eng == nil {
			return o
		}
		return append(o, strconv.FormatBool(c.eng.state.isWebServer(p)))
	},
	// ParentChecksConfig: the parent is a server's binary started in its
	// check mode (varnishd -C, nginx -t: webserver.go checksConfig), which
	// serves no request
	"ParentChecksConfig": func(c *evalCtx, o []string) []string {
		p := c.parent()
		if p == nil {
			return o
		}
		name, ok := imageName(p.Exe, p.Comm)
		return append(o, strconv.FormatBool(ok && webServerByName(name, p.Exe, p.Comm) && checksConfig(name, p.Args) && !forkedImage(p)))
	},
	// ServerProcess: the acting process is itself a web or application
	// server (by name, or learned from its binds, accepts and the front
	// server's upstream connects): its own connections are the app's
	// (database, APIs, feeds), not a channel something it started opened.
	"ServerProcess": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return append(o, "false")
		}
		return append(o, strconv.FormatBool(c.eng.state.isWebServer(c.proc)))
	},
	// ParentConnectedOut: the parent connected out before (the tree's
	// peers of its connects) and is no web server or CGI program: what
	// the process writes to its standard output can leave on that
	// connection (an implant's tar streamed into its socket)
	"ParentConnectedOut": func(c *evalCtx, o []string) []string {
		par := c.parent()
		if c.eng == nil || par == nil || len(par.Peers) == 0 || c.eng.state.isWebServer(par) || c.eng.state.cgiProgram(c.ev.Host, par) {
			return append(o, "false")
		}
		return append(o, "true")
	},
	// CGIProgram: the process is the program a web server started to run
	// one of the site's scripts (cgiProgram).
	"CGIProgram": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return append(o, "false")
		}
		return append(o, strconv.FormatBool(c.eng.state.cgiProgram(c.ev.Host, c.proc)))
	},
	// RootGained: see rootGained.
	"RootGained": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.cat == catProcessCreation && rootGained(c.ev, c.parent())))
	},
	// HelperRanUnnamed: see helperRanUnnamed.
	"HelperRanUnnamed": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return append(o, "false")
		}
		in := c.info()
		return append(o, strconv.FormatBool(in.channel == nil && helperRanUnnamed(c, in.web)))
	},
	"WebUser": func(c *evalCtx, o []string) []string {
		var servers *ServerSet
		if c.eng != nil {
			servers = c.eng.state.servers
		}
		return append(o, strconv.FormatBool(servers.IsWebAccount(c.ev.Host, c.user(), c.uid())))
	},
	"ChannelPeer": func(c *evalCtx, o []string) []string {
		if ch := c.info().channel; ch != nil {
			return append(o, ch.peer)
		}
		return o
	},
	// ProgramChannel: "true" when the process's channel is a program's own
	// protocol (channel.program), "false" in any other channel
	"ProgramChannel": func(c *evalCtx, o []string) []string {
		if ch := c.info().channel; ch != nil {
			return append(o, strconv.FormatBool(ch.program()))
		}
		return o
	},
	// ChannelTask: "true" when the process runs below a shell that its
	// program channel's opener started (the opener is not the shell's
	// and it hands no shell the socket): a command the program took from
	// its connection and ran, as an implant runs its tasks; "false" for
	// the opener itself or a child it started with no shell; nothing
	// outside a program channel
	"ChannelTask": func(c *evalCtx, o []string) []string {
		ch := c.info().channel
		if !ch.program() || c.proc == nil {
			return o
		}
		return append(o, strconv.FormatBool(shellBelow(c.proc, ch.opener)))
	},
	// ShellCommand is the string a shell runs with -c; for a program a
	// web server execs itself, with no shell between (execFile, spawn,
	// proc_open or subprocess with an argv array), its command line: the
	// command the server ran, judged the same with or without a shell.
	"ShellCommand": func(c *evalCtx, o []string) []string {
		// Each is followed by the forms the shell would read (see
		// deobfuscate.go): brace words expanded, $IFS, decoded base64.
		if s, at, ok := shellCommandAt(c.image(), c.args()); ok {
			o = append(append(o, s), c.forms(s)...)
			// the operands the script runs as code (eval "$0") are the
			// command too
			for _, a := range codeOperands(s, c.args()[at+1:]) {
				o = append(append(o, a), c.forms(a)...)
			}
			return o
		}
		if c.cat == catProcessCreation && c.eng != nil && !isShell(c.image()) {
			if p := c.parent(); p != nil && c.eng.state.isWebServer(p) {
				if s := c.commandLine(); s != "" {
					return append(append(o, s), c.forms(s)...)
				}
			}
		}
		return o
	},
	"ImageWrittenBy": func(c *evalCtx, o []string) []string {
		if c.cat == catProcessCreation && c.eng != nil {
			return appendNonEmpty(o, c.eng.state.writtenBy(c.ev.Host, c.image()))
		}
		return o
	},
	// EditsInPlace: sed -i that only deletes, comments out or
	// substitutes lines (sededit.go): what was there is taken away or
	// altered, nothing is added
	"EditsInPlace": func(c *evalCtx, o []string) []string {
		if c.cat == catProcessCreation && sedAlters(c.commandLine()) {
			return append(o, "true")
		}
		return o
	},
	"RemovesOwnFiles": func(c *evalCtx, o []string) []string {
		if c.cat == catProcessCreation && c.eng != nil && c.eng.state.removesOwnFiles(c.ev.Host, c.cwd(), c.image(), c.args()) {
			return append(o, "true")
		}
		return o
	},
}

var networkFields = map[string]getter{
	"DestinationIp": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Peer.IP) },
	"DestinationPort": func(c *evalCtx, o []string) []string {
		if c.ev.Peer.Family == "inet" || c.ev.Peer.Family == "inet6" {
			return c.appendInt(o, c.ev.Peer.Port)
		}
		return o
	},
	// SocketPath: the path of a unix socket connected to
	// (/var/run/docker.sock), "@name" for an abstract one.
	"SocketPath": func(c *evalCtx, o []string) []string {
		if c.ev.Peer.Family == "unix" {
			return appendNonEmpty(o, c.ev.Peer.Path)
		}
		return o
	},
	"DestinationIsIpv6": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.ev.Peer.Family == "inet6"))
	},
	// PlantedPeer: the destination is named, with its port, in the
	// command of an earlier persistence act of another process
	// (callback.go): "fired" when what the plant changed ran the
	// connecting process (a profile, a login session; a crontab, cron),
	// else "named".
	"PlantedPeer": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		pl := c.eng.state.plantedFor(c.ev)
		switch {
		case pl == nil:
			return o
		case pl.fired(c.ev.Proc):
			return append(o, "fired")
		}
		return append(o, "named")
	},
	// PortFanout: the process has reached many distinct ports of this
	// address within seconds (fanout.go): a sweep, with or without a
	// scanner's command line.
	"PortFanout": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.swept))
	},
	// Initiated: the process connected out to a port. A connect to port
	// 0 reaches nobody (no socket listens there): it is a datagram
	// socket's association dissolved (AF_UNSPEC) or a resolver's
	// route probe, not a peer (benign-shop-promo: Tcl's socket made one
	// to [::]:0 and 0.0.0.0:0 beside every real connect).
	"Initiated": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.ev.Kind == parser.KindConnect && c.ev.Peer.Port != 0))
	},
	"Success": func(c *evalCtx, o []string) []string { return append(o, strconv.FormatBool(c.ev.Success)) },
}

var fileFields = map[string]getter{
	// FlaggedWrite: the file an unlink removes was written by an act a
	// rule reported (ownremoval.go); its value is that rule's id.
	"FlaggedWrite": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		return appendNonEmpty(o, c.eng.state.flagged.of(c.ev))
	},
	// FlaggedWriteForWeb: for an unlink of a flagged file, "true" when it
	// was written by a web server or acting for one (below it, in its
	// channel, or adopted for it), "false" when by anyone else (an
	// administrator's login, a root job): whose the removed file was.
	"FlaggedWriteForWeb": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.eng.state.flagged.of(c.ev) == "" {
			return o
		}
		fw := c.eng.state.flagged.m[writeKey{c.ev.Host, path.Clean(c.ev.Path)}]
		return append(o, strconv.FormatBool(fw.web != nil || fw.server))
	},
	"TargetFilename": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Path) },
	// NameFromClient: the file's name (whatever its folder) is one the web
	// server stored an upload under earlier, so a visitor chose it
	// (state.nameFromClient; kept for names holding shell code only)
	"NameFromClient": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.nameFromClient(c.ev)))
	},
	"SourceFilename": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.OldPath) },
	// ServerOwnFile: the file is one of the server's own, its program
	// folder's or named in its command line: "self" written by the
	// server, "below" by a process acting for it (serverfiles.go)
	"ServerOwnFile": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return o
		}
		return appendNonEmpty(o, serverOwnFile(c.ev, c.info()))
	},
	// ServerCode: the file is a module of the server's language below
	// the folder it runs in, written by it or a process acting for it
	// (serverfiles.go)
	"ServerCode": func(c *evalCtx, o []string) []string {
		if c.eng == nil || c.proc == nil {
			return o
		}
		return append(o, strconv.FormatBool(serverCode(c.ev, c.info())))
	},
	// ServedPath: the file is below a directory a web server was seen
	// serving (served.go), whatever its name.
	"ServedPath": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.served.contains(c.ev.Host, c.ev.Path)))
	},
	// WebRootKey: the audit rule that recorded the event is keyed as a
	// web-root watch (webroot_write, www, htdocs…): the rules' author
	// named the tree a web root (served.go). Only for a full path, as
	// ServedPath: a name relative to a directory descriptor the log does
	// not show (tar -C, unzip -d) says which file only with that folder
	"WebRootKey": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(webRootKey(c.ev.Key) && path.IsAbs(c.ev.Path)))
	},
	// TargetExisted: the file written was there before — opened without
	// being created, or replaced by a rename — so its content was changed,
	// not a new file made (targetExisted).
	// A file the web side itself created in the log is not one that was
	// there before: rewriting it (three workers winning an upload race
	// each wrote the dropped shell, shop-returns) is the same landing,
	// not a change of the site's own script.
	"TargetExisted": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(targetExisted(c.ev) && !(c.eng != nil && c.eng.state.webCreated(c.ev.Host, c.ev.Path))))
	},
	// CreatedBySelf: a deletion of a file its own process created
	// (selfmade.go): a journal, a temporary file, cleaned up by its maker
	"CreatedBySelf": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.selfMade.deletesOwn(c.ev)))
	},
	// TargetCreated: the records show the file made new — a write whose
	// PATH record is a CREATE, or a rename onto a name that replaced
	// nothing. Without PATH records (a sensor's export) nothing is
	// claimed, either way: neither TargetExisted nor TargetCreated.
	"TargetCreated": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(targetCreated(c.ev)))
	},
	"Success": func(c *evalCtx, o []string) []string { return append(o, strconv.FormatBool(c.ev.Success)) },
}

// targetExisted reports whether a file event changed a file that existed:
// an open for writing whose PATH record is not a CREATE (O_APPEND, O_TRUNC
// of a present file: echo >>, cp over it), or a rename that replaced its
// target (the kernel logs the replaced name as DELETE beside the CREATE:
// sed -i, an editor's save). Without PATH records nothing is claimed.
func targetExisted(ev *parser.Event) bool {
	if !ev.Success {
		return false
	}
	switch ev.Kind {
	case parser.KindFileWrite:
		if ev.Syscall == "mkdir" || ev.Syscall == "mkdirat" || ev.Syscall == "mknod" || ev.Syscall == "mknodat" {
			return false
		}
		normal := false
		for _, p := range ev.Paths {
			switch p.Nametype {
			case "CREATE":
				return false
			case "NORMAL":
				normal = true
			}
		}
		return normal
	case parser.KindRename:
		var created string
		for _, p := range ev.Paths {
			if p.Nametype == "CREATE" {
				created = p.Name
			}
		}
		// the replaced target is a DELETE of the new name beside the
		// source's own DELETE (rename("a.php", "a.php") changes nothing)
		same, other := 0, 0
		for _, p := range ev.Paths {
			switch {
			case p.Nametype != "DELETE":
			case p.Name == created:
				same++
			default:
				other++
			}
		}
		return created != "" && (same >= 2 || same >= 1 && other > 0)
	}
	return false
}

// targetCreated reports whether a successful file event made its file
// new (targetExisted's other side, where the records tell).
func targetCreated(ev *parser.Event) bool {
	if !ev.Success || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
		return false
	}
	for _, p := range ev.Paths {
		if p.Nametype == "CREATE" {
			return !targetExisted(ev)
		}
	}
	return false
}

// auditdFields are normalized values of the raw audit fields; any other
// field name is looked up in the event's raw records (rawFields).
var auditdFields = map[string]getter{
	"type":    func(c *evalCtx, o []string) []string { return append(o, c.recordTypes()...) },
	"key":     func(c *evalCtx, o []string) []string { return appendKeys(o, c.ev.Key) },
	"syscall": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Syscall) },
	"SYSCALL": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Syscall) },
	"success": func(c *evalCtx, o []string) []string {
		if c.ev.Syscall == "" {
			return o
		}
		if c.ev.Success {
			return append(o, "yes")
		}
		return append(o, "no")
	},
	"exe":  func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Exe) },
	"comm": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Comm) },
	"pid":  func(c *evalCtx, o []string) []string { return c.appendInt(o, c.ev.PID) },
	"ppid": func(c *evalCtx, o []string) []string { return c.appendInt(o, c.ev.PPID) },
	"uid":  func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.UID) },
	"euid": func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.EUID) },
	"gid":  func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.GID) },
	"auid": func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.AUID) },
	"ses":  func(c *evalCtx, o []string) []string { return c.appendID(o, c.ev.SES) },
	"cwd":  func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Cwd) },
	"op":   func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Op) },
	"name": func(c *evalCtx, o []string) []string {
		for _, p := range c.ev.Paths {
			o = appendNonEmpty(o, p.Name)
		}
		return o
	},
	"nametype": func(c *evalCtx, o []string) []string {
		for _, p := range c.ev.Paths {
			o = appendNonEmpty(o, p.Nametype)
		}
		return o
	},
}

// lookupGetter resolves a field name for a category. ok is false when the
// category does not offer the field; for auditd every name is offered (raw).
func lookupGetter(cat category, name string) (g getter, ok bool) {
	switch cat {
	case catAuditd:
		if g, ok := auditdFields[name]; ok {
			return g, true
		}
		if g, ok := processFields[name]; ok {
			return g, true
		}
		return func(c *evalCtx, o []string) []string { return c.rawValues(name, o) }, true
	case catNetworkConnection:
		if g, ok := networkFields[name]; ok {
			return g, true
		}
	case catFileEvent, catFileDelete, catFileAccess:
		if g, ok := fileFields[name]; ok {
			return g, true
		}
	case catContainerExec:
		if g, ok := containerFields[name]; ok {
			return g, true
		}
	case catUnixSocket:
		if name == "SocketPath" {
			return networkFields[name], true
		}
	case catWebserver:
		g, ok := webserverFields[name] // a request has no process
		return g, ok
	}
	g, ok = processFields[name]
	return g, ok
}

// webserverFields are those of an access-log line, by the names of
// Sigma's webserver taxonomy, and what the trackers say of it.
var webserverFields = map[string]getter{
	"c-ip":          func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.Client) },
	"cs-method":     func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.Method) },
	"cs-uri-stem":   func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.Path) },
	"cs-uri-query":  func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.Query) },
	"sc-status":     func(c *evalCtx, o []string) []string { return append(o, strconv.Itoa(c.ev.HTTP.Status)) },
	"cs-user-agent": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.UserAgent) },
	"cs-referer":    func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.Referer) },
	"cs-host":       func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.HTTP.VHost) },
	// WebLoginGuessed: this success ends a series of failed logins by the
	// same client to the same area (authguess.go); WebLoginGuessing: this
	// failure is the series' guessAttempts-th.
	"WebLoginGuessed": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.guess.won != nil))
	},
	// WebRefusedAs: how the series this event ends or counts was refused
	// ("challenge": 401; "forbidden": 403), see refusedAs.
	"WebRefusedAs": func(c *evalCtx, o []string) []string {
		if c.eng == nil {
			return o
		}
		st := c.eng.state.guess.won
		if st == nil {
			st = c.eng.state.guess.attempted
		}
		return appendNonEmpty(o, refusedAs(st))
	},
	"WebLoginGuessing": func(c *evalCtx, o []string) []string {
		return append(o, strconv.FormatBool(c.eng != nil && c.eng.state.guess.attempted != nil))
	},
}

// containerFields are those of a container_exec event: the command (argv
// as the runtime logged it), the action, and who and what it ran in.
var containerFields = map[string]getter{
	"Action":      func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Op) },
	"CommandLine": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.join(c.ev.Args)) },
	"Image": func(c *evalCtx, o []string) []string {
		if len(c.ev.Args) == 0 {
			return o
		}
		return appendNonEmpty(o, c.ev.Args[0])
	},
	"User":           func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.User) },
	"ContainerId":    func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Container().ID) },
	"ContainerName":  func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Container().Name) },
	"ContainerImage": func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Container().Image) },
	"Pod":            func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Container().Pod) },
	"Namespace":      func(c *evalCtx, o []string) []string { return appendNonEmpty(o, c.ev.Container().Namespace) },
}

func appendNonEmpty(o []string, s string) []string {
	if s == "" {
		return o
	}
	return append(o, s)
}

func (c *evalCtx) appendID(o []string, id parser.ID) []string {
	if !id.Set {
		return o
	}
	return append(o, c.uitoa(uint64(id.N)))
}

func (c *evalCtx) appendInt(o []string, n int) []string {
	if n <= 0 {
		return o
	}
	return append(o, c.uitoa(uint64(n)))
}

// appendKeys splits a multi-key value ("a,b") into its keys.
func appendKeys(o []string, k string) []string {
	for k != "" {
		var one string
		one, k, _ = strings.Cut(k, ",")
		o = appendNonEmpty(o, one)
	}
	return o
}

func procExe(p *parser.Process) string {
	if p == nil {
		return ""
	}
	return p.Exe
}

// baseName is path.Base that keeps "" for "".
func baseName(s string) string {
	if s == "" {
		return ""
	}
	return path.Base(s)
}

// helperRanUnnamed reports whether the process was started by a program
// the web server ran (not by the server itself), installed on the system
// (every process between the server and this one runs a program, or a
// script, from a system folder: no dropped tool), and whose command lines
// do not name the program this process runs: it came from the data the
// helper processed (a caption, a file name), not from its command — an
// injection into the helper.
func helperRanUnnamed(c *evalCtx, web *parser.Process) bool {
	p := c.parent()
	if web == nil || p == nil || p == web {
		return false
	}
	name := path.Base(c.image())
	if name == "." || name == "/" {
		return false
	}
	for a, n := p, 0; a != web; a, n = a.Parent, n+1 {
		if a == nil || n >= maxAncestry || len(a.Args) == 0 || !systemProgram(a) || strings.Contains(c.procCmd(a), name) {
			return false
		}
	}
	return true
}

// systemProgram reports whether a process runs a program installed on the
// system: its executable, and the script an interpreter or shell was given
// as its first argument, lie in a system folder.
func systemProgram(p *parser.Process) bool {
	if !inSystemFolder(p.Exe) {
		return false
	}
	if (isShell(p.Exe) || isInterpreter(p.Exe)) && len(p.Args) > 1 && !strings.HasPrefix(p.Args[1], "-") {
		return inSystemFolder(p.Args[1])
	}
	return true
}

func inSystemFolder(file string) bool {
	for _, d := range []string{"/usr/", "/bin/", "/sbin/", "/lib/", "/opt/"} {
		if strings.HasPrefix(file, d) {
			return !strings.Contains(file, "/../")
		}
	}
	return false
}

// rootGained reports whether an exec shows root rights gained without a
// program made for it (sudo, su, pkexec, a mail or mount helper): a shell
// or an interpreter, or a program outside the system folders, that runs
// with euid 0 while its user is another (a setuid copy of bash run with
// -p), or an unprivileged one of those whose child runs as root (python
// with the cap_setuid capability calling setuid(0), an exploit). That is
// the misconfiguration or the exploit used: privilege escalation
// (T1548.001, T1068), whoever's process it is.
func rootGained(ev *parser.Event, parent *parser.Process) bool {
	if ev.Kind != parser.KindExec || ev.Failed() {
		return false
	}
	escalator := func(exe string) bool {
		if exe == "" {
			return false
		}
		if isShell(exe) || isInterpreter(exe) {
			return true
		}
		return !inSystemFolder(exe)
	}
	if ev.EUID.Set && ev.EUID.N == 0 && ev.UID.Set && ev.UID.N != 0 && escalator(ev.Exe) {
		return true
	}
	// the child's real uid: a setuid program (sudo itself) keeps its
	// caller's, a process that called setuid(0) has root's
	if parent == nil || !ev.UID.Set || ev.UID.N != 0 {
		return false
	}
	unprivileged := parent.UID.Set && parent.UID.N != 0 && (!parent.EUID.Set || parent.EUID.N != 0)
	return unprivileged && escalator(parent.Exe)
}

// isReferenceOperand reports whether args[i] is the file an option only
// reads its times or attributes from (touch -r FILE, --reference FILE):
// not the file the command acts on.
func isReferenceOperand(args []string, i int) bool {
	switch prev := args[i-1]; {
	case prev == "-r" || prev == "--reference":
		return true
	case len(prev) > 2 && prev[0] == '-' && prev[1] != '-' && prev[len(prev)-1] == 'r':
		return true // -ar, -mr: r last takes the next word
	}
	return false
}
