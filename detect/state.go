package detect

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

// Behaviour that spans events needs memory: a shell that connected out
// makes its later descendants commands of a remote channel; a file a web
// process wrote and someone later runs is a transferred tool. The state
// holds only such facts, each table capped and evicted oldest first, so a
// week of logs costs the same memory as an hour.
const (
	maxChannels = 1024
	maxWritten  = 4096
	maxAdopted  = 4096
	// adoptWindow is how soon after a web-context exec an orphan of the
	// same account is taken as its child (see adopt).
	adoptWindow = 2 * time.Second
)

// channel is a remote-control channel: a shell, interpreter or socket
// relay that descends from a web server (or runs as the web account) and
// connected out.
type channel struct {
	opener *parser.Process
	peer   string        // "127.0.0.1:4444"
	ev     *parser.Event // the connect
	// session: a login the intruder's ssh opened on this host
	// (sshsession.go), not a shell on a socket
	session bool
	// worker: a web worker's own socket, read as a shell's by how its
	// request went on (workershell.go); it ends at the worker's next accept
	worker bool
	// poll: a plant-started process whose children call one server again
	// and again (taskloop.go); the connect is its child's
	poll bool
	// socketShell: an interactive shell with no terminal started right
	// after its opener's connect (socketshell.go): inferred, not read
	socketShell bool
	// feed: the web server log a plant-started process follows for its
	// tasks (taskloop.go); ev is the tail's exec, no connect
	feed string
}

// ownConnect reports whether the channel is its opener's own connect
// (not a bind shell's accept, not a poller's child's connect).
func (ch *channel) ownConnect() bool {
	return !ch.poll && ch.ev != nil && ch.ev.Kind == parser.KindConnect
}

// program reports whether the channel is a program's own protocol: its
// opener connected out itself and hands no shell the socket (an implant,
// or an application's client of an API: which, only the rest says). No
// one types into it; a shell on a socket, a session or a worker's socket
// is the intruder's hands, and so is an interactive shell started on
// the socket (socketshell.go). False for no channel.
func (ch *channel) program() bool {
	return ch != nil && !ch.session && !ch.socketShell && ch.ownConnect() && ch.opener != nil && !shellOnSocket(ch.opener)
}

// shellBelow reports whether p runs below a shell that opener started:
// p or one of its ancestors under opener is a shell, opener excluded.
func shellBelow(p, opener *parser.Process) bool {
	shell := false
	for i := 0; p != nil && i < 16; i, p = i+1, p.Parent {
		if p == opener {
			return shell
		}
		shell = shell || isShell(p.Exe)
	}
	return false
}

type writeKey struct{ host, path string }

type hostUID struct {
	host string
	uid  uint32
}

type webSeen struct {
	web *parser.Process
	at  time.Time
}

// webMemo caches isWebServer for a process while its image is the same:
// its exec count, comm and exe (argv changes only with an exec). The memo
// is direct-mapped by the process's Seq: no hashing, a fixed size, and a
// collision only costs a recomputation, since every slot names its
// process and what its answer was computed from.
//
// A slot names its process by Seq, not by pointer: 65 536 pointers kept as
// many processes in memory after a spilling tree had moved them to its
// file (the pid-repeating 500 MB log with --max-processes 32768: 42 000
// processes, twice the tree). A process read back from the file keeps its
// Seq; one that no tree numbered (Seq 0) is not memoised.
type webMemo struct {
	seq   uint32
	execs int32
	web   bool
	comm  string
	exe   string
	gen   uint64 // the ServerSet's Gen the answer was computed at
}

const webMemoSlots = 1 << 16

// isWebServer is the package's isWebServer, memoised: every rule that asks
// for web context walks the ancestry, and ancestors repeat.
func (s *state) isWebServer(p *parser.Process) bool {
	if p.Seq == 0 {
		return s.servers.IsServer(p)
	}
	m := &s.webMemo[p.Seq%webMemoSlots]
	gen := s.servers.Gen()
	if m.seq == p.Seq && int(m.execs) == len(p.Execs) && m.comm == p.Comm && m.exe == p.Exe && m.gen == gen {
		return m.web
	}
	w := s.servers.IsServer(p)
	*m = webMemo{seq: p.Seq, execs: int32(len(p.Execs)), web: w, comm: p.Comm, exe: p.Exe, gen: gen}
	return w
}

type state struct {
	webMemo    []webMemo // webMemoSlots, by Process.Seq
	anc        ancestry
	adopted    map[*parser.Process]*parser.Process // orphan → web server it was started for
	adoptOrder []*parser.Process
	lastWeb    map[hostUID]webSeen   // newest web-context exec per non-root account
	launched   map[launchKey]webSeen // commands a web-context launcher detaches (setsid -f, nohup …)
	launchers  []launcher            // shells whose command names a planted file (launcher.go)
	appCmds    map[string][]string   // web server image → shell commands it ran
	handoffs   []handoff             // arguments with shell syntax of commands run for a web server (handoff.go)
	// sudoEscapes: an account's escape through a program sudo runs, the
	// first time (sudoescape.go's sudoEscapeAgain)
	sudoEscapes ringMap[sudoEscape, time.Time]
	// changedAccts: the accounts the intrusion changed, and the logins
	// into them reported (accountlogin.go)
	changedAccts   ringMap[accountKey, accountChange]
	changedDropped int            // changed accounts the bound let go
	intrusionCmds  []intrusionCmd // the intrusion's latest command texts (accountlogin.go)
	loginsReported ringMap[sessionKey, struct{}]
	channels       map[*parser.Process]*channel
	forks          recentForks // the latest execs by pid, for pipeline members (pipesibling.go)
	// clientNames: the names with a $ or a backtick (shell code's marks)
	// of files the server stored itself: a visitor's upload kept under the
	// name it came with (NameFromClient)
	clientNames ringMap[string, struct{}]
	// pipeMembers: pipeline members adopted by their pids → their shell's
	// pid, for the reasons of what runs below them (pipesibling.go)
	pipeMembers map[parser.ProcKey]int
	// pollParents counts, per plant-started process and peer, its
	// children's connects (taskloop.go)
	pollParents map[pollParent]int
	// loops: processes whose own command is a shell loop running what
	// it fetches (the fetch-run-loop rule): task loops like a plant's
	loops map[parser.ProcKey]bool
	// landed is, per host, when a script was last planted in a served
	// tree by or for a web server (landing.go)
	landed     map[string]landing
	chanOrder  []*parser.Process
	written    map[writeKey]webWrite // files written in web context (noteWrite)
	writeOrder []writeKey
	ran        ranFiles                // staged files run in web context (ownfiles.go)
	servers    *ServerSet              // servers learned from the log's network records
	served     servedDirs              // directories web servers serve, learned (served.go)
	servedFrom map[parser.ProcKey]bool // servers whose command line was read for code folders
	plants     plants                  // peers named by persistence acts (callback.go)
	fanout     fanouts                 // ports each process reached per address (fanout.go)
	guess      authGuess               // web login failures per client and area (authguess.go)
	flagged    flaggedWrites           // files whose write was a finding (ownremoval.go)
	plantRuns  []plantRun              // planted files seen running, newest last (plantfork.go)
	// adoptedAs says why an adopted process was, when a plant started it
	// or a service ran it for the intrusion's client (plantfork.go,
	// viaservice.go). A subset of adopted, pinned and forgotten with it.
	adoptedAs map[*parser.Process]adoptKind
	// workerConns and peerUses: web workers' outbound connects while
	// serving a request, and how often the site's workers use each peer
	// (workershell.go)
	workerConns map[*parser.Process]workerConn
	peerUses    map[peerKey]int
	// svcConns, svcAccepts: the intrusion's clients' connects and the
	// services accepting them (viaservice.go)
	svcConns   []svcConn
	svcAccepts map[hostUID]svcAccept
	// svcLast: each service account's latest accept of any client
	// (viaservice.go), bounded by maxSvcAccepts
	svcLast map[hostUID]time.Time
	// viaSvc: the commands adopted through such an accept, with it;
	// svcRoutine: what service accounts ran on their own
	viaSvc     map[*parser.Process]svcAccept
	svcRoutine svcRoutine
	debug      debugPorts // declared debugger listeners (debugport.go)
	implants   implants   // the intrusion's programs, to tell their relaunch (relaunch.go)
	// workerLoop, reqAccepts: web workers' loopback connects and the
	// latest accept of each service they may have reached (viarequest.go)
	workerLoop []loopConn
	workerReqs []loopConn              // web workers' accepts of requests on UNIX sockets (viarequest.go)
	atQueue    []atQueued              // jobs the intrusion queued with at (atjob.go)
	wrapper    wrapperRun              // the last wrapper's planted run (plantfork.go)
	escalated  map[escalation]struct{} // files of the web side run by another account (writtenrun.go)
	toolRuns   map[writeKey]toolRun    // programs the intrusion planted that ran: their first run (plantfork.go)
	reqAccepts map[procSeq]reqAccept
	sockConns  []socketConn         // outbound connects of shells, interpreters, relays (socketshell.go)
	selfMade   selfMade             // files and the process that created each (selfmade.go)
	sshOuts    []sshOut             // the intruder's ssh connects not yet tied to a login (sshsession.go)
	sessions   map[hostSes]*channel // logins the intruder's ssh opened here
	swept      bool                 // the event at hand completes or continues a sweep
	done       bool                 // Engine.Finish let the rest go: Observe may not run again
}

func newState() *state {
	return &state{channels: map[*parser.Process]*channel{}, written: map[writeKey]webWrite{},
		adopted: map[*parser.Process]*parser.Process{}, lastWeb: map[hostUID]webSeen{}, launched: map[launchKey]webSeen{}, appCmds: map[string][]string{},
		webMemo: make([]webMemo, webMemoSlots), anc: newAncestry(), servers: NewServerSet(), served: servedDirs{},
		workerConns: map[*parser.Process]workerConn{}, peerUses: map[peerKey]int{}, svcAccepts: map[hostUID]svcAccept{}, reqAccepts: map[procSeq]reqAccept{}}
}

// procInfo is what the tree and the state say about a process.
type procInfo struct {
	web *parser.Process // nearest web-server ancestor (not the process itself)
	// webAdopted: web is known through an adopted orphan on the way up
	// (adopt), not through a recorded fork
	webAdopted bool
	webSelf    bool     // the process is a web server
	sched      bool     // a scheduler (cron, atd) is an ancestor
	channel    *channel // the channel the process runs in (opened by it or an ancestor)
}

// actsFor returns the process the intrusion acts through for a process
// of it: its web-server ancestor, or else its channel's opener (a root
// shell in the session the web account's ssh opened has no server above
// it). nil outside the intrusion.
func (in *procInfo) actsFor() *parser.Process {
	if in.web == nil && in.channel != nil {
		return in.channel.opener
	}
	return in.web
}

// webContext reports whether a process acts for the web server: it
// descends from one, runs as a web-service account (by name or as a
// learned server's), or runs in a channel.
func (in *procInfo) webContext(ev *parser.Event, servers *ServerSet) bool {
	if in.web != nil || in.channel != nil {
		return true
	}
	user, uid := ev.User, ev.UID
	if ev.Proc != nil && !uid.Set {
		user, uid = ev.Proc.User, ev.Proc.UID
	}
	return servers.IsWebAccount(ev.Host, user, uid)
}

// observeServers learns servers from ev; a new one changes every cached
// ancestry answer.
func (s *state) observeServers(ev *parser.Event) {
	if s.servers.Observe(ev) {
		s.anc.gen++
	}
}

// opensChannel reports whether a connect event is a remote shell
// connecting out: a shell/interpreter/relay (not the web server itself,
// whose upstream and database connections are normal) acting for the web
// server.
func (s *state) opensChannel(ev *parser.Event, in *procInfo) bool {
	if ev.Kind != parser.KindConnect || ev.Failed() || ev.Proc == nil {
		return false
	}
	if ev.Peer.Family != "inet" && ev.Peer.Family != "inet6" || ev.Peer.Port == 0 {
		return false // port 0 reaches nobody (the rules' Initiated)
	}
	exe := ev.Exe
	if exe == "" {
		exe = ev.Proc.Exe
	}
	if in.webSelf {
		return false
	}
	if s.loops[ev.Proc.Key] {
		// a flagged fetch-and-run loop's own call of its server (an
		// interpreter's one-liner): what it starts after runs its tasks
		return true
	}
	if path.Base(exe) == "xterm" {
		// an X terminal sent to another host's display is a shell on
		// that connection, as a relay's is
		return handsShellToSocket(exe, ev.Proc.Args)
	}
	if !isChannelImage(exe) && !rawSessionClient(exe, ev.Proc.Args) {
		// a program that runs code its command line gives it (gdb -ex
		// 'python …', an editor's :py3) is that code's interpreter: code
		// that opens a socket and hands it a shell is a reverse shell in
		// any host program (shop-specsheet: gdb's embedded Python
		// pty.spawn'd sh on its socket; nothing took the shell's
		// commands as run inside a channel)
		return argsHandShellToSocket(ev.Proc.Args)
	}
	if handsShellToSocket(exe, ev.Proc.Args) {
		// a relay told to run a shell for its peer (ncat -e /bin/bash),
		// or a one-liner that hands its socket a shell, is a reverse
		// shell whoever started it: a root cron job's, a login's, a
		// hook's (the backdoor firing)
		return true
	}
	if tlsCheckProcess(ev.Proc) {
		return false // a certificate check: nothing is wired to the socket
	}
	if in.web == nil && in.channel == nil && isInterpreter(exe) && !s.parentActsForWeb(ev) {
		// Tied to the web by its account alone, an interpreter whose
		// parent does not run for the web (or was never seen) is the
		// account's top process: the application server itself (Tomcat's
		// java making its own lookups on the public Log4Shell capture) or
		// a job started for the account, not a shell acting for it.
		return false
	}
	if in.web == nil && in.channel == nil && s.loginNotSuspect(ev) {
		// tied to the web by its account alone, in a person's login (an
		// administrator's or a colleague's ssh as the service account):
		// the login is hers (loginsession.go), and so is the socket
		return false
	}
	if fetchesPeer(strings.Join(ev.Proc.Args, " "), ev.Peer.IP, ev.Peer.Port) {
		// the fetch of a URL its own command line names (php -r copy(),
		// a renamed curl): a download, no shell on the socket
		return false
	}
	return in.webContext(ev, s.servers)
}

// handsShellToSocket reports whether a command line hands its socket to
// a shell (rules/reverse_shell_command.yml, whose selections these
// expressions are: TestReverseShellCommand holds them to its table): a relay told to run
// one, gawk's /inet/ network files, or an interpreter one-liner that opens
// a socket and gives it a shell, a pty or its descriptors.
func handsShellToSocket(exe string, args []string) bool {
	cmd := strings.Join(args, " ")
	if shellRelayRE.MatchString(cmd) {
		return true
	}
	switch name := path.Base(exe); {
	case name == "awk" || name == "gawk":
		return inetFileRE.MatchString(cmd)
	case name == "zsh":
		return zshTCPRE.MatchString(cmd)
	case name == "xterm":
		return xtermDisplayRE.MatchString(cmd)
	case isInterpreter(exe):
		return codeHandsShellToSocket(cmd)
	}
	return false
}

// codeHandsShellToSocket reports whether code in a command line opens a
// socket and gives it a shell, a pty or its descriptors.
func codeHandsShellToSocket(cmd string) bool {
	return socketOpenedRE.MatchString(cmd) && shellHandedRE.MatchString(cmd)
}

// argsHandShellToSocket is codeHandsShellToSocket over an argv's words one
// by one, joining none: it is asked of every connect of a program that is
// no shell, interpreter or relay, and the code it looks for is one
// argument (gdb's -ex, an editor's -c).
func argsHandShellToSocket(args []string) bool {
	opened, handed := false, false
	for _, a := range args {
		opened = opened || socketOpenedRE.MatchString(a)
		handed = handed || shellHandedRE.MatchString(a)
		if opened && handed {
			return true
		}
	}
	return false
}

var (
	inetFileRE     = lazydfa.MustCompile(`/inet[46]?/(tcp|udp)/`)
	socketOpenedRE = lazydfa.MustCompile(`socket\.socket|socket\.create_connection|fsockopen|stream_socket_client|use Socket|IO::Socket|TCPSocket|net\.Socket|net\.connect|socket\.tcp|require\(.net.\)`)
	shellHandedRE  = lazydfa.MustCompile(`pty\.spawn|os\.dup2|dup2\(|/bin/(ba|da|z|k)?sh\b|proc_open|io\.popen|child_process|fdopen\(|->fdopen|system\s*\$_`)
	// zsh's TCP module opening a socket (ztcp), and an X terminal sent to
	// a display on another host: shells on a connection, no relay
	zshTCPRE       = lazydfa.MustCompile(`zmodload\s+(-\S+\s+)*zsh/net/(tcp|socket)\b[^\n]*ztcp\s`)
	xtermDisplayRE = lazydfa.MustCompile(`(^|[\s;|&(/])xterm\s+([^;|&]*\s)?-display\s+[\w.:-]*[\w.-]:[0-9]`)
)

// shellRelayRE: a relay's command line that hands its socket to a shell
// (rules/reverse_shell_command.yml's relay and socat forms).
var shellRelayRE = lazydfa.MustCompile(`(^|/)(nc|ncat|netcat|nc\.traditional|nc\.openbsd)\s(.*\s)?(-e|-c|--exec|--sh-exec)\s*\S*(/|\b)(ba|da|z|k)?sh\b|(^|/)socat\s(.*\s)?(?i:\b(exec|system):\S*\b(ba|da|z|k)?sh\b)`)

// opensBindShell reports whether an accept is a bind shell taking its
// client: a shell, interpreter or relay (not a server of the site, by name
// or learned) that the intruder's side started — below a web server, in
// its channel, or adopted for it — accepting a connection on a port it
// listens on (perl, python or socat handing /bin/sh -i to the socket,
// T1095). The client that connected in is the channel's peer, as a
// reverse shell's server is.
func (s *state) opensBindShell(ev *parser.Event, in *procInfo) bool {
	if ev.Proc == nil || !inet(ev.Peer) || in.webSelf || s.isWebServer(ev.Proc) || s.channels[ev.Proc] != nil {
		return false
	}
	exe := ev.Exe
	if exe == "" {
		exe = ev.Proc.Exe
	}
	return isChannelImage(exe) && (in.web != nil || in.channel != nil)
}

// parentActsForWeb reports whether ev's process has a parent that runs as
// a web account.
func (s *state) parentActsForWeb(ev *parser.Event) bool {
	par := ev.Proc.Parent
	return par != nil && s.servers.IsWebAccount(ev.Host, par.User, par.UID)
}

func (s *state) addChannel(ev *parser.Event) *channel { return s.addChannelOf(ev.Proc, ev) }

// channelAfterExec moves a channel to its opener's new connection when
// the opener exec'd another program since the connect that opened it and
// that program connected out itself: the old connection was the old
// image's (shop-partnerfeed: the perl loader's download from 8445, then
// the memory-only implant it exec'd connecting to its C2 on 4443, whose
// shells the intruder typed into). A connection a shell inherits across
// an exec (perl's socket, then exec /bin/sh -i) makes no new connect and
// keeps the channel where it was.
func (s *state) channelAfterExec(ev *parser.Event) {
	p := ev.Proc
	ch := s.channels[p]
	if ch == nil || ch.opener != p || ch.session || ch.ev == nil || ch.ev == ev || !ev.Success || !inet(ev.Peer) {
		return
	}
	n := len(p.Execs)
	if n == 0 || p.Execs[n-1].Inherited || !p.Execs[n-1].Time.After(ch.ev.Time) || ev.Time.Before(p.Execs[n-1].Time) {
		return
	}
	if peer := ev.Peer.String(); peer != ch.peer {
		ev.Retain(parser.KeepText)
		ch.peer, ch.ev = peer, ev
	}
}

// addChannelOf makes p the opener of a channel whose connect is ev (p's
// own, or a child's for a task loop).
func (s *state) addChannelOf(p *parser.Process, ev *parser.Event) *channel {
	if ch := s.channels[p]; ch != nil {
		return ch
	}
	for len(s.chanOrder) >= maxChannels-1 { // room for the opener and its pipeline shell
		old := s.chanOrder[0]
		delete(s.channels, old)
		s.chanOrder = s.chanOrder[1:]
		old.Unpin() // the Pin below, or the opener's (Retain pins the event's process)
	}
	// the state keeps it (p's descendants are found through it), and
	// later findings cite the connect
	ev.Retain(parser.KeepText)
	ch := &channel{opener: p, peer: ev.Peer.String(), ev: ev}
	s.channels[p] = ch
	if sh := pipelineShell(p); sh != nil && s.channels[sh] == nil {
		// "sh -i </tmp/f | openssl s_client … >/tmp/f": the relay's
		// pipeline partner is the remote shell, a sibling, not a child.
		// The shell running the pipeline holds the channel, so that the
		// interactive shell's commands run in it too.
		sh.Pin()
		s.channels[sh] = ch
		s.chanOrder = append(s.chanOrder, sh)
	}
	s.anc.gen++ // p's descendants now run in ch (and an evicted opener's no longer do)
	s.chanOrder = append(s.chanOrder, p)
	return ch
}

// pipelineShell returns the parent of a socket relay when that parent is a
// shell running a pipeline or a fifo (sh -c 'sh -i <f | nc …'): the relay's
// partners in it are fed by the socket.
func pipelineShell(p *parser.Process) *parser.Process {
	par := p.Parent
	if par == nil || !isChannelProcess(p) {
		return nil
	}
	cmd, ok := shellCommand(par.Exe, par.Args)
	if !ok || !strings.Contains(cmd, "|") && !strings.Contains(cmd, "mkfifo") {
		return nil
	}
	return par
}

// stagingDirs are where transferred tools land: world-writable and
// memory-backed directories, and web roots.
var stagingDirs = []string{"/tmp/", "/var/tmp/", "/dev/shm/", "/run/shm/", "/var/www/", "/srv/", "/usr/share/nginx/"}

// webWrite is a file written in web context: by what image, as which
// account, for which web server (nil when only the account or a channel
// put the writer in web context) and when.
type webWrite struct {
	exe string
	uid parser.ID
	web *parser.Process // pinned while the entry is kept
	at  time.Time
	// created: the write made the file (its PATH item is CREATE): every
	// line of it is the web side's, where a change of an existing file
	// (a line appended to the site's script) runs beside its own lines
	created bool
}

// noteWrite remembers a file written in web context under a staging
// directory, so that running it later is recognised.
func (s *state) noteWrite(ev *parser.Event, in *procInfo) {
	if ev.Path == "" {
		return
	}
	if in.webSelf && strings.ContainsAny(path.Base(ev.Path), "$`") {
		s.clientNames.put(clientNameKey(ev), struct{}{}, maxClientNames)
	}
	if !in.webContext(ev, s.servers) || in.web == nil && in.channel == nil && !in.webSelf && ev.AUID.Set {
		// (the web account's own login — a deploy over ssh,
		// benign-hollybox's CI unpacking release CGIs — is no server's
		// side either: an intruder's login is a channel once its ssh was
		// seen, sessions)
		if len(s.written) > 0 {
			// rewritten by someone else (root restoring the script with
			// sed -i): what runs from it is no longer the web side's
			// (its order entry ages out)
			k := writeKey{ev.Host, path.Clean(ev.Path)}
			s.written[k].web.Unpin()
			delete(s.written, k)
		}
		return
	}
	staged := false
	for _, d := range stagingDirs {
		if strings.HasPrefix(ev.Path, d) {
			staged = true
			break
		}
	}
	if !staged {
		return
	}
	k := writeKey{ev.Host, path.Clean(ev.Path)}
	if _, ok := s.written[k]; ok {
		return
	}
	if len(s.writeOrder) >= maxWritten {
		s.written[s.writeOrder[0]].web.Unpin() // its entry's pin
		delete(s.written, s.writeOrder[0])
		s.writeOrder = s.writeOrder[1:]
	}
	exe := ev.Exe
	if exe == "" && ev.Proc != nil {
		exe = ev.Proc.Exe
	}
	if exe == "" {
		exe = "?"
	}
	web := in.web
	if web == nil && in.webSelf {
		web = ev.Proc // an upload the server saved itself
	}
	web.Pin()
	// kept past the event: own copies, not views of its record text
	k.path = strings.Clone(k.path)
	s.written[k] = webWrite{exe: strings.Clone(exe), uid: ev.UID, web: web, at: ev.Time, created: createdBy(ev)}
	s.writeOrder = append(s.writeOrder, k)
}

// maxClientNames bounds the shell-code names of uploads remembered.
const maxClientNames = 4096

// clientNameKey is a file's name on its host, whatever its folder: the
// application moves an upload from its inbox to its work folder under the
// same name.
func clientNameKey(ev *parser.Event) string { return ev.Host + "\x00" + path.Base(ev.Path) }

// nameFromClient reports whether a file's name is one the server stored
// an upload under before: the name came from a visitor.
func (s *state) nameFromClient(ev *parser.Event) bool {
	_, ok := s.clientNames.get(clientNameKey(ev))
	return ok
}

// createdBy reports whether a write event made its file: a PATH item of
// the file's name is CREATE. A rename over an existing name (sed -i's
// temp file moved onto the page) lists the name as CREATE too, beside the
// replaced file's DELETE: it replaced the file, the name was there.
func createdBy(ev *parser.Event) bool {
	if ev.Kind == parser.KindRename && targetExisted(ev) {
		return false
	}
	base := path.Base(ev.Path)
	for _, p := range ev.Paths {
		if p.Nametype == "CREATE" && path.Base(p.Name) == base {
			return true
		}
	}
	return false
}

// webCreated reports whether a write in web context made file in the log
// (its entry is dropped when another account rewrites it).
func (s *state) webCreated(host, file string) bool {
	if file == "" || len(s.written) == 0 {
		return false
	}
	w, ok := s.written[writeKey{host, path.Clean(file)}]
	return ok && w.created
}

// writtenBy returns the image that wrote file in web context, or "".
func (s *state) writtenBy(host, file string) string {
	if file == "" || len(s.written) == 0 {
		return ""
	}
	if w, ok := s.written[writeKey{host, file}]; ok {
		return w.exe
	}
	clean := path.Clean(file)
	if clean == file {
		return "" // the same key: looked up just above
	}
	return s.written[writeKey{host, clean}].exe
}

// A command a web shell backgrounds ("nohup nc -e /bin/sh … &") is
// re-parented to init before it execs when the shell exits first: the log
// shows ppid=1 and the tie to the web server is lost. noteExec remembers
// the newest web-context exec per (host, non-root uid); adopt takes an
// orphan exec of the same account within adoptWindow as started for that
// web server. Root is left out: init starts root daemons all the time.
func (s *state) noteExec(ev *parser.Event, in *procInfo) {
	if ev.Kind != parser.KindExec || in.web == nil || !ev.UID.Set || ev.UID.N == 0 {
		return
	}
	k := hostUID{ev.Host, ev.UID.N}
	old, ok := s.lastWeb[k]
	if !ok && len(s.lastWeb) >= maxAdopted {
		for _, w := range s.lastWeb {
			w.web.Unpin()
		}
		clear(s.lastWeb)
	}
	if !ok || old.web != in.web { // one pin per entry, taken back when it goes
		if ok {
			old.web.Unpin()
		}
		in.web.Pin()
	}
	s.lastWeb[k] = webSeen{in.web, ev.Time}
}

// launchKey is a detached command as its launcher names it: the host
// and its argv, joined.
type launchKey struct{ host, argv string }

// detachers are the programs that start a command detached from their
// caller: the command's process is re-parented to init.
var detachers = map[string]bool{"setsid": true, "nohup": true, "daemonize": true}

// noteLaunch remembers the command a launcher in a web context detaches
// (`setsid -f /bin/sh -c '…'` run by a web shell, by a root shell it
// escalated to, or by a plant it installed), so that the orphan that
// execs exactly that argv just after is adopted for the same web server
// whatever its account: the argv is the evidence, not the account.
func (s *state) noteLaunch(ev *parser.Event, in *procInfo) {
	if ev.Kind != parser.KindExec || in.web == nil {
		return
	}
	// a shell that puts a command in the background (`nohup sh x &`) and
	// exits: the command execs as init's child, its argv as written here
	if sc, ok := shellCommand(ev.Exe, ev.Args); ok && strings.IndexByte(sc, '&') >= 0 {
		for _, argv := range backgrounded(sc) {
			s.launch(ev.Host, argv, in.web, ev.Time)
		}
	}
	if !detachers[path.Base(ev.Exe)] || len(ev.Args) < 2 {
		return
	}
	i := 1
	for i < len(ev.Args) && strings.HasPrefix(ev.Args[i], "-") {
		i++ // the launcher's own options (setsid -f -w)
	}
	if i >= len(ev.Args) {
		return
	}
	s.launch(ev.Host, ev.Args[i:], in.web, ev.Time)
}

// launch remembers that a launcher acting for web started argv detached at
// time at.
func (s *state) launch(host string, argv []string, web *parser.Process, at time.Time) {
	k := launchKey{host, strings.Join(argv, "\x00")}
	if len(s.launched) >= maxAdopted {
		for _, w := range s.launched {
			w.web.Unpin()
		}
		clear(s.launched)
	}
	if old, ok := s.launched[k]; ok {
		old.web.Unpin()
	}
	web.Pin()
	s.launched[k] = webSeen{web, at}
}

// adopt links an orphan exec to the web server of a web-context exec of
// the same account just before it, or of a launcher that detached exactly
// its argv just before it; it reports whether it did.
func (s *state) adopt(ev *parser.Event) bool {
	p := ev.Proc
	if ev.Kind != parser.KindExec || p == nil || ev.PPID != 1 || s.adopted[p] != nil {
		return false
	}
	if len(s.launched) > 0 && len(ev.Args) > 0 {
		k := launchKey{ev.Host, strings.Join(ev.Args, "\x00")}
		if seen, ok := s.launched[k]; ok && !ev.Time.Before(seen.at) && ev.Time.Sub(seen.at) <= adoptWindow && !s.isWebServer(p) {
			s.adoptFor(p, seen.web)
			return true
		}
	}
	if !ev.UID.Set || ev.UID.N == 0 {
		return false
	}
	seen, ok := s.lastWeb[hostUID{ev.Host, ev.UID.N}]
	if !ok || ev.Time.Before(seen.at) || ev.Time.Sub(seen.at) > adoptWindow || s.isWebServer(p) {
		return false
	}
	s.adoptFor(p, seen.web)
	return true
}

// adoptFor records p as started for web, the oldest adoption forgotten
// past maxAdopted.
func (s *state) adoptFor(p, web *parser.Process) {
	// one pin of p and of its web server per entry, taken back when the
	// entry goes
	if prev, ok := s.adopted[p]; ok { // adopted for no web server, now for one
		prev.Unpin()
		web.Pin()
		s.adopted[p] = web
		s.anc.gen++
		return
	}
	if len(s.adoptOrder) >= maxAdopted {
		old := s.adoptOrder[0]
		s.adopted[old].Unpin()
		old.Unpin()
		delete(s.adopted, old)
		delete(s.adoptedAs, old)
		s.adoptOrder = s.adoptOrder[1:]
	}
	p.Pin()
	web.Pin() // the adoption names it: it stays the one *Process
	s.adopted[p] = web
	s.adoptOrder = append(s.adoptOrder, p)
	s.anc.gen++ // p's descendants now have a web server (and an evicted orphan's no longer do)
}

const (
	maxAppServers = 256
	maxAppCmds    = 64 // per server image: applications run a handful of fixed commands
	// maxAppBytes bounds the text of one server's commands kept: each later
	// command is compared with every one of them word by word (injected,
	// traversalProbe, optionInjected), and 64 commands of 6 MiB made each
	// exec under the server cost 3 × 384 MiB of splitting. An
	// application's own commands are short; a longer one is not learned.
	maxAppBytes = 256 << 10
)

// cmdShape is a command's program and number of words: "mklabel/3".
func cmdShape(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return ""
	}
	return path.Base(f[0]) + "/" + strconv.Itoa(len(f))
}

// optionInjected reports whether cmd is a command the application ran
// before (same program, same number of words) with a word where the
// application had a plain value now an option (`git grep -n
// '--nosuchopt' 'vpn'` where the search word goes): argument injection
// (CWE-88) being tried. The other words may differ (they are values).
func (s *state) optionInjected(server *parser.Process, cmd string) bool {
	if server == nil || !strings.Contains(cmd, "-") {
		return false
	}
	words := strings.Fields(digitTemplate(cmd))
	for _, prev := range s.appCmds[server.Exe+"\x00"+server.Comm] {
		pw := strings.Fields(prev)
		if len(pw) != len(words) || len(pw) == 0 || pw[0] != words[0] {
			continue
		}
		for i := range words {
			now, was := strings.Trim(words[i], `'"`), strings.Trim(pw[i], `'"`)
			if now != was && optionWordRE.MatchString(now) && was != "" && !strings.HasPrefix(was, "-") && words[i] != now {
				return true // quoted as a value, and an option inside the quotes
			}
		}
	}
	return false
}

// argvOptionInjected reports whether a program a web server execs itself
// (an argv array, no shell) is one the application ran before whose
// operands now hold option words: the application builds its command as
// its options, then the operands a request gives (zip -j -q ARCHIVE
// FILE…), and an operand that starts with a dash is read by the tool as
// an option (argument injection: zip's -T --unzip-command=…, tar's
// --checkpoint-action=…). It returns the words from the first injected
// option on. Only commands the application ran with no option among their
// operands count, so a tool whose options always follow its operands
// (convert IN -resize 64x64 OUT) is never taken for one. Call it before
// injected, which remembers the command.
func (s *state) argvOptionInjected(server *parser.Process, args []string) (string, bool) {
	if server == nil || len(args) < 3 {
		return "", false
	}
	cur := strings.Fields(digitTemplate(strings.Join(args, " ")))
	for _, prev := range s.appCmds[server.Exe+"\x00"+server.Comm] {
		pw := strings.Fields(prev)
		if len(pw) < 2 || path.Base(pw[0]) != path.Base(cur[0]) {
			continue
		}
		k := 1 // the first operand
		for k < len(pw) && strings.HasPrefix(pw[k], "-") {
			k++
		}
		if k >= len(pw) || k >= len(cur) || !slices.Equal(pw[1:k], cur[1:k]) {
			continue
		}
		tailOptions := false
		for _, w := range pw[k:] {
			tailOptions = tailOptions || strings.HasPrefix(w, "-")
		}
		if tailOptions {
			continue
		}
		for j := k + 1; j < len(cur); j++ {
			if optionWordRE.MatchString(cur[j]) {
				return strings.Join(cur[j:], " "), true
			}
		}
	}
	return "", false
}

// insertedOption reports whether a shell command is one the application
// ran before with words inserted among its operands, the first an option
// (the member list of "tar -xzf A -C D prices.csv" given as "prices.csv
// --to-command=id": escapeshellcmd leaves the option alone), and returns
// the inserted words. The other words must match the earlier command's,
// a temporary file's random name and digits aside. Call it before
// injected, which remembers the command.
func (s *state) insertedOption(server *parser.Process, cmd string) (string, bool) {
	if server == nil || !strings.Contains(cmd, "-") {
		return "", false
	}
	cur := strings.Fields(digitTemplate(cmd))
	for _, prev := range s.appCmds[server.Exe+"\x00"+server.Comm] {
		pw := strings.Fields(prev)
		n := len(cur) - len(pw)
		if n <= 0 || len(pw) < 2 || path.Base(pw[0]) != path.Base(cur[0]) {
			continue
		}
		j := 1
		for j < len(pw) && sameValueWord(cur[j], pw[j]) {
			j++
		}
		// the words inserted before the first that differs, or after it
		// when it is the same slot with another value (mail()'s
		// "sendmail -t -i -f<sender>" given the sender "a@b.c -be": the
		// sender differs as data does, the option follows it)
		for _, at := range []int{j, j + 1} {
			if at > j && (j >= len(pw) || !sameSlot(cur[j], pw[j])) {
				break
			}
			if at+n > len(cur) || !optionWordRE.MatchString(strings.Trim(cur[at], `'"`)) {
				continue
			}
			rest := true
			for k := at; k < len(pw); k++ {
				rest = rest && sameValueWord(cur[k+n], pw[k])
			}
			if rest {
				return strings.Join(cur[at:at+n], " "), true
			}
		}
	}
	return "", false
}

// sameSlot: two words in the same place of an application's command that
// hold its data: both an operand, or both the same one-letter option with
// its value attached (-fjohn@example.com, -fqa@example.net).
func sameSlot(a, b string) bool {
	a, b = strings.Trim(a, `'"`), strings.Trim(b, `'"`)
	switch {
	case a == "" || b == "":
		return false
	case a[0] != '-' && b[0] != '-':
		return true
	case len(a) > 2 && len(b) > 2 && a[0] == '-' && a[1] != '-' && a[:2] == b[:2]:
		return true
	}
	return false
}

// sameValueWord: two words of an application's command that differ only
// as its own data does (quotes, or a temporary file's random name).
func sameValueWord(a, b string) bool {
	a, b = strings.Trim(a, `'"`), strings.Trim(b, `'"`)
	if a == b {
		return true
	}
	for _, d := range []string{"/tmp/", "/var/tmp/"} {
		// the tool's prefix kept (php, tmp), the random part not
		ba, bb := path.Base(a), path.Base(b)
		if strings.HasPrefix(a, d) && strings.HasPrefix(b, d) && path.Dir(a) == path.Dir(b) && len(ba) >= 3 && len(bb) >= 3 && ba[:3] == bb[:3] {
			return true
		}
	}
	return false
}

// optionWordRE: a word that reads as an option.
var optionWordRE = lazydfa.MustCompile(`^--?[A-Za-z][\w-]*(=.*)?$`)

// unbalancedQuote reports whether a shell command string ends inside a
// quote: a syntax error no application means to run, and the first thing
// someone testing a command injection sends (a lone ' or ").
func unbalancedQuote(cmd string) bool {
	var q byte
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case q == 0 && c == '\\' && i+1 < len(cmd):
			i++
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == '"' && c == '\\' && i+1 < len(cmd):
			i++
		case q != 0 && c == q:
			q = 0
		}
	}
	return q != 0
}

// digitTemplate replaces each run of digits with one "0".
func digitTemplate(cmd string) string {
	if strings.IndexAny(cmd, "0123456789") < 0 {
		return cmd
	}
	b := make([]byte, 0, len(cmd))
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		if c >= '0' && c <= '9' {
			if len(b) > 0 && b[len(b)-1] == '0' && i > 0 && cmd[i-1] >= '0' && cmd[i-1] <= '9' {
				continue
			}
			c = '0'
		}
		b = append(b, c)
	}
	return string(b)
}

// injected reports whether a shell command a web server runs is one the
// application ran before with more appended after a shell separator
// ("ping -c 1 HOST" then "ping -c 1 HOST;echo inj-$((6*7))"): command
// injection. It returns the appended text, and remembers cmd.
func (s *state) injected(server *parser.Process, cmd string) (string, bool) {
	if server == nil || cmd == "" {
		return "", false
	}
	key := server.Exe + "\x00" + server.Comm
	seen := s.appCmds[key]
	// The application fills its commands with request parameters (an
	// order number, a size): compare their shapes, digits abstracted, so
	// that "mklabel 1002 pdf;echo x" extends "mklabel 1003 pdf".
	cmd = digitTemplate(cmd)
	for _, prev := range seen {
		if len(cmd) <= len(prev) || !strings.HasPrefix(cmd, prev) {
			continue
		}
		rest := strings.TrimLeft(cmd[len(prev):], " \t")
		if rest != "" && strings.ContainsRune(";|&`$\n", rune(rest[0])) {
			return strings.TrimLeft(rest, ";|&` \t\n"), true
		}
	}
	// The parameters may be words too ("pdf", "png"): the part before the
	// first separator has the shape of a command the application ran
	// whole (same program, same number of words).
	if i := strings.IndexAny(cmd, ";|&`\n"); i > 0 {
		head := cmdShape(cmd[:i])
		for _, prev := range seen {
			if !strings.ContainsAny(prev, ";|&`\n") && cmdShape(prev) == head {
				return strings.TrimLeft(cmd[i:], ";|&` \t\n"), true
			}
		}
	}
	for _, prev := range seen {
		if prev == cmd {
			return "", false
		}
	}
	size := len(cmd)
	for _, prev := range seen {
		size += len(prev)
	}
	if len(seen) < maxAppCmds && size <= maxAppBytes {
		if _, ok := s.appCmds[key]; !ok && len(s.appCmds) >= maxAppServers {
			clear(s.appCmds)
		}
		s.appCmds[key] = append(seen, cmd)
	}
	return "", false
}

// traversalProbe reports whether a shell command a web server runs is one
// the application ran before with a parameter word replaced by a path
// traversal ("rptgen --month 2026-11" then "rptgen --month
// ../../../../etc/passwd"): a scanner or an attacker testing the
// parameter. Only the words that differ are looked at, so a command that
// always holds "../" (an app running ../bin/tool) is not a probe. Call it
// before injected, which remembers cmd.
func (s *state) traversalProbe(server *parser.Process, cmd string) bool {
	if server == nil || !strings.Contains(cmd, "..") {
		return false
	}
	cur := strings.Fields(digitTemplate(cmd))
	for _, prev := range s.appCmds[server.Exe+"\x00"+server.Comm] {
		pf := strings.Fields(prev)
		if len(pf) != len(cur) || len(pf) == 0 || path.Base(pf[0]) != path.Base(cur[0]) {
			continue
		}
		differs, probe := 0, false
		for i := range cur {
			if cur[i] != pf[i] {
				differs++
				probe = probe || traversalWord(cur[i])
			}
		}
		if differs > 0 && differs <= 2 && probe {
			return true
		}
	}
	return false
}

func traversalWord(w string) bool {
	w = strings.ToLower(w)
	return strings.Contains(w, "../") || strings.Contains(w, "..%2f") || strings.Contains(w, "%2e%2e")
}
