package detect

import (
	"path"
	"sort"
	"strconv"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Which processes serve the web is learned from what the audit log
// records of them, not only from their names: a process that binds a TCP
// port and accepts connections on it, or the upstream a front server
// (nginx, apache, haproxy…) connects to for its requests, is an
// application server whatever its image, language or account, and its
// account is a web account. The name lists of webserver.go stay as the
// fallback for logs without network records.
//
// The ServerSet learns as events stream by, so it knows a server from the
// event that proves it on. The proof usually comes first (a server accepts
// a request before it spawns anything for it), but not always: a server
// whose bind predates the log is proved only by the front server's
// connects lining up with its accepts, which takes upstreamProof requests.
// Execs before that are judged without the knowledge; the set counts them
// (Server.Before) and the report says so rather than re-running the
// engine over them.

// ServerHow says how a server was recognised.
type ServerHow string

const (
	// ServerByName: its image, title or command line is in the name lists.
	ServerByName ServerHow = "name"
	// ServerByListener: it bound a TCP port and accepted connections.
	ServerByListener ServerHow = "accept"
	// ServerByUpstream: a front server connected to its port for requests.
	ServerByUpstream ServerHow = "upstream"
)

// Server is one recognised server process.
type Server struct {
	Key   parser.ProcKey
	Image string
	Cmd   string // its command line when known
	User  string
	UID   parser.ID
	How   ServerHow
	Port  int    // the port it serves (0: unknown)
	Front string // for ServerByUpstream: the front server's image
	// Evidence is the record that proved it (the bind, or the front
	// server's connect), Since its time.
	Evidence parser.Pos
	Since    time.Time
	// Before counts execs of its children seen before it was recognised:
	// those were judged as if it were not a server.
	Before int
}

// Limits of the set: every table is bounded, oldest dropped first, so a
// week of logs costs the same as an hour.
const (
	maxServers     = 256
	maxListeners   = 4096
	maxCandidates  = 1024
	frontConnects  = 32                     // pending front-server connects kept per host
	upstreamWindow = 500 * time.Millisecond // connect → accept of the same request
	upstreamProof  = 3                      // requests lined up before a process is an upstream
	// blindShare: an upstream whose accepts name no address (a UNIX
	// socket's, or accept4 without an address buffer) takes at least one
	// in blindShare of the front server's clients since its first accept.
	// Lining up alone proves little on a busy site, where any accept falls
	// within upstreamWindow of some client: uWSGI's master accepted on its
	// own socket three times in benign-fieldbook, each near one of
	// Caddy's hundreds of clients.
	blindShare      = 16
	maxNamedServers = 64 // name-recognised servers listed in the report
)

type hostPort struct {
	host string
	port int
}

type listener struct {
	key  parser.ProcKey
	proc *parser.Process
	pos  parser.Pos
}

type frontConnect struct {
	port  int
	at    time.Time
	front string
	pos   parser.Pos
	used  bool
}

// candidate is a process whose accepts may line up with a front server's
// connects.
type candidate struct {
	accepts, lined int
	tcp            int        // accepts of TCP clients (the accept named the peer)
	tcpPos         parser.Pos // the first of them
	before         int        // execs of its children so far
	port           int
	front          string
	pos            parser.Pos
	// blind counts its accepts that named no address and lined up with a
	// front server's client, frontAt the front server's clients on its
	// host when its first accept came (ServerSet.fronts)
	blind, frontAt int
}

// ServerSet is the set of server processes learned from a log. The zero
// value is not usable; use NewServerSet.
type ServerSet struct {
	servers   map[parser.ProcKey]*Server
	order     []parser.ProcKey
	accounts  map[hostUID]bool // non-root accounts of learned servers
	bound     map[parser.ProcKey]hostPort
	listeners map[hostPort]listener
	lorder    []hostPort
	pending   map[string][]frontConnect // host → recent front-server connects
	// clients: host → recent front-server accepts of clients. An upstream
	// on a UNIX socket (uwsgi_pass, fastcgi_pass unix:…) has no port, and
	// rule sets audit connect for IP families only (the lab's: addrlen 16
	// and 28), while accept is audited for all: the upstream's accept of a
	// local socket just after the front server accepted a client is that
	// client's request handed on.
	clients map[string][]frontConnect
	fronts  map[string]int          // host → front-server accepts of clients so far
	masters map[parser.ProcKey]bool // prefork masters of learned upstream workers (learnMaster)
	cands   map[parser.ProcKey]*candidate
	corder  []parser.ProcKey
	named   map[string]*Server // by-name servers seen accepting, one per host and image (for the report)
	served  map[hostPort]bool  // ports learned servers serve (bounded: cleared past maxServers)
	gen     uint64             // bumped whenever a server is learned
}

// NewServerSet returns an empty set.
func NewServerSet() *ServerSet {
	return &ServerSet{servers: map[parser.ProcKey]*Server{}, accounts: map[hostUID]bool{},
		bound: map[parser.ProcKey]hostPort{}, listeners: map[hostPort]listener{},
		pending: map[string][]frontConnect{}, clients: map[string][]frontConnect{}, cands: map[parser.ProcKey]*candidate{},
		named: map[string]*Server{}}
}

// Gen changes whenever a server is learned: caches of "is a web server"
// answers compare it.
func (s *ServerSet) Gen() uint64 {
	if s == nil {
		return 0
	}
	return s.gen
}

// Has reports whether p was learned as a server (not by name).
func (s *ServerSet) Has(p *parser.Process) bool {
	if s == nil || p == nil || len(s.servers) == 0 {
		return false
	}
	_, ok := s.servers[p.Key]
	return ok
}

// IsServer reports whether p is a web or application server, learned or
// by name.
func (s *ServerSet) IsServer(p *parser.Process) bool {
	return s.Has(p) || isWebServer(p) || s.workerOf(p)
}

// ServerShape is what IsServer reads of a process, kept so that the
// question can be asked later without the process: whether its names say
// it serves, and whether it is a worker of its parent (forked only, its
// parent's image), which the parent's key then decides. What is learned
// is asked by key when the answer is wanted (IsServerShape), as IsServer
// does. A consumer that keeps a *Process unpinned to ask IsServer later
// keeps a copy the spilling tree let go alive, and the copy it asks is
// frozen as it was when the tree moved it (timeline's accepts of every
// connection kept 58 000 such copies on the 2 GB pid-repeating log).
type ServerShape struct {
	Key, Parent parser.ProcKey
	Named       bool // isWebServer: its image, title or command line
	Worker      bool // forked only, with its parent's image (workerOf)
}

// ShapeOf returns what IsServer reads of p; p must not be nil.
func ShapeOf(p *parser.Process) ServerShape {
	sh := ServerShape{Key: p.Key, Named: isWebServer(p)}
	if par := p.Parent; par != nil && forkedOnly(p) && p.Exe != "" && par.Exe == p.Exe {
		sh.Parent, sh.Worker = par.Key, true
	}
	return sh
}

// IsServerShape is IsServer of the process sh was taken of, its names as
// they were then and what the set learned as it is now.
func (s *ServerSet) IsServerShape(sh ServerShape) bool {
	return sh.Named || s.hasKey(sh.Key) || sh.Worker && (s.hasKey(sh.Parent) || s != nil && s.masters[sh.Parent])
}

// Settled reports whether IsServer(p) stays what it is now once p has no
// records of its own left (its pid names another process): true unless
// something learned later from other processes' records may make it a
// server — it bound a port (a proxy's connect to that port, or a forked
// worker's accept, names the bound listener as the server), or it is a
// worker of its parent (workerOf: the parent may be learned later).
func (s *ServerSet) Settled(p *parser.Process) bool {
	if s == nil {
		return true
	}
	if _, ok := s.bound[p.Key]; ok {
		return false
	}
	par := p.Parent
	return par == nil || !forkedOnly(p) || p.Exe == "" || par.Exe != p.Exe
}

// Learned returns the server learned for a process key (not by name).
func (s *ServerSet) Learned(k parser.ProcKey) (Server, bool) {
	if s == nil {
		return Server{}, false
	}
	sv, ok := s.servers[k]
	if !ok {
		return Server{}, false
	}
	return *sv, true
}

func (s *ServerSet) hasKey(k parser.ProcKey) bool {
	if s == nil || len(s.servers) == 0 {
		return false
	}
	_, ok := s.servers[k]
	return ok
}

// workerOf reports whether p is a worker a learned server forked: its
// image, no exec of its own (PHP's built-in server with
// PHP_CLI_SERVER_WORKERS, a preforking app server's children). The worker
// takes the server's clients and runs its code; it is the server, and its
// children are the requests' commands, not a unit of work of its own
// (kiln-photourl: the workers' children were joined to each other only as
// "web account (inferred)" units below each worker).
func (s *ServerSet) workerOf(p *parser.Process) bool {
	par := p.Parent
	return s != nil && par != nil && forkedOnly(p) && p.Exe != "" && par.Exe == p.Exe && (s.Has(par) || s.masters[par.Key])
}

// forkedOnly reports whether p made no exec of its own: the tree shows a
// fork's first image as its parent's exec, marked inherited.
func forkedOnly(p *parser.Process) bool {
	for _, e := range p.Execs {
		if !e.Inherited {
			return false
		}
	}
	return true
}

// IsWebAccount reports whether an account is a web account: by name, or
// as the (non-root) account of a reverse proxy's upstream on host.
func (s *ServerSet) IsWebAccount(host, user string, uid parser.ID) bool {
	if isWebAccount(user, uid) {
		return true
	}
	return s != nil && uid.Set && len(s.accounts) > 0 && s.accounts[hostUID{host, uid.N}]
}

// Observe learns from one event and reports whether a server was learned.
func (s *ServerSet) Observe(ev *parser.Event) bool {
	p := ev.Proc
	if p == nil || ev.Source != parser.FormatAuditd && ev.Source != "" {
		return false
	}
	switch ev.Kind {
	case parser.KindBind:
		if ev.Success && inet(ev.Peer) && ev.Peer.Port > 0 {
			s.bind(p, ev)
		}
	case parser.KindAccept:
		if ev.Success && inet(ev.Peer) && isFrontServer(p) {
			s.frontClient(p, ev)
		}
		if ev.Success {
			return s.accept(p, ev)
		}
	case parser.KindConnect:
		if !ev.Failed() && inet(ev.Peer) && ev.Peer.Port > 0 && isFrontServer(p) {
			return s.frontConnect(p, ev)
		}
	case parser.KindExec:
		s.noteChild(p)
	}
	return false
}

func inet(a parser.Addr) bool { return a.Family == "inet" || a.Family == "inet6" }

// bind remembers which process listens on which port of its host.
func (s *ServerSet) bind(p *parser.Process, ev *parser.Event) {
	hp := hostPort{p.Key.Host, ev.Peer.Port}
	if old, ok := s.listeners[hp]; ok && old.key != p.Key && s.bound[old.key] == hp {
		delete(s.bound, old.key) // the port changed hands
	}
	// a spilling tree keeps it while it is listed (one pin per entry): a
	// proxy's connect may name it much later
	if cur, ok := s.listeners[hp]; !ok {
		if len(s.lorder) >= maxListeners {
			old := s.lorder[0]
			s.lorder = s.lorder[1:]
			s.listeners[old].proc.Unpin()
			delete(s.bound, s.listeners[old].key)
			delete(s.listeners, old)
		}
		s.lorder = append(s.lorder, hp)
		p.Pin()
	} else if cur.proc != p {
		cur.proc.Unpin()
		p.Pin()
	}
	s.listeners[hp] = listener{key: p.Key, proc: p, pos: ev.FirstEvidence().Pos}
	s.bound[p.Key] = hp
}

// frontNames are reverse proxies by name: what they connect to for a
// request is an application server. Application servers themselves are
// not fronts: what they connect to is a database or a cache, a client of
// theirs, not a server of the web.
var frontNames = map[string]bool{
	"nginx": true, "apache2": true, "httpd": true, "haproxy": true, "caddy": true, "traefik": true,
	"envoy": true, "varnishd": true, "openresty": true, "lighttpd": true, "h2o": true,
}

func isFrontServer(p *parser.Process) bool {
	name := path.Base(procImage(p))
	if frontNames[name] {
		return true
	}
	for _, pre := range []string{"httpd", "apache2", "nginx"} {
		if len(name) > len(pre) && name[:len(pre)] == pre {
			return true
		}
	}
	return false
}

// accept learns a listener (bound and accepting) or lines an accept up
// with a front server's connect.
func (s *ServerSet) accept(p *parser.Process, ev *parser.Event) bool {
	known := s.servers[p.Key]
	local := localAccept(ev, s.bound[p.Key])
	if local && (known != nil || isWebServer(p) || s.workerOf(p)) {
		// a server known already takes its request: the client it
		// answers is not left for a database the server then reaches on
		// its own socket to line up with
		s.takeClient(p.Key.Host, ev.Time)
	}
	if known != nil && known.How != ServerByListener {
		return false // a listener may still prove to be a proxy's upstream
	}
	if isWebServer(p) {
		k := p.Key.Host + "\x00" + procImage(p) // one entry per host and image
		if _, ok := s.named[k]; !ok && len(s.named) < maxNamedServers {
			sv := s.server(p, ServerByName, 0, "", ev.FirstEvidence().Pos, ev.Time)
			s.named[k] = sv
		}
		// A web server by name that accepts connections as an account of
		// its own (lighttpd dropping to svc-reports) serves the web as
		// that account: it is a web account, as an upstream's is.
		if p.UID.Set && p.UID.N != 0 && len(s.accounts) < maxServers {
			if hu := (hostUID{p.Key.Host, p.UID.N}); !s.accounts[hu] {
				s.accounts[hu] = true
				s.gen++
				return true
			}
		}
		return false
	}
	if !s.learnable(p) {
		return false
	}
	// Root-run daemons that accept are login and system services (sshd,
	// systemd socket units): their children are sessions, not requests. A
	// service that drops to its own account is judged.
	service := p.UID.Set && p.UID.N != 0
	if hp, ok := s.bound[p.Key]; ok && service && known == nil {
		l := s.listeners[hp]
		return s.learn(s.server(p, ServerByListener, hp.port, "", l.pos, ev.Time))
	}
	// a worker forked after its parent bound (php -S with
	// PHP_CLI_SERVER_WORKERS, a prefork server's children: the image, no
	// exec of its own) accepts on the socket it inherited: the parent is
	// the listener, and the worker is it (workerOf). Waiting for the
	// worker's own accepts to add up took the first client for a bind
	// shell's (kiln-photourl: the php -S supervisord restarted, whose
	// worker's first accept made every request of the app "a channel")
	if par := p.Parent; par != nil && service && known == nil && forkedOnly(p) && p.Exe != "" && par.Exe == p.Exe && s.servers[par.Key] == nil && s.learnable(par) {
		if hp, ok := s.bound[par.Key]; ok {
			l := s.listeners[hp]
			return s.learn(s.server(par, ServerByListener, hp.port, "", l.pos, ev.Time))
		}
	}
	if !service {
		// the same holds for lining accepts up with a front server's
		// connects: a root sshd accepting logins from the proxy's address
		// while the proxy connects to its upstream is no upstream (an app
		// server bound to the proxied port is learned from its bind, in
		// frontConnect, whatever its account)
		return false
	}
	c := s.cands[p.Key]
	if c == nil {
		if len(s.corder) >= maxCandidates {
			delete(s.cands, s.corder[0])
			s.corder = s.corder[1:]
		}
		c = &candidate{frontAt: s.fronts[p.Key.Host]}
		s.cands[p.Key] = c
		s.corder = append(s.corder, p.Key)
	}
	c.accepts++
	// the request this accept answers: an accept of a UNIX socket, a
	// client the front server accepted (its connect to the socket is
	// rarely audited); another, the newest unused front connect. An
	// accept that names no address may be either: a proxy's TCP connect
	// (audited) is the closer evidence, a front client the fallback
	var f *frontConnect
	switch {
	case ev.Peer.Family == "unix":
		f = s.takeClient(p.Key.Host, ev.Time)
	case local:
		if f = s.takeConnect(p.Key.Host, ev.Time, c); f == nil {
			if f = s.takeClient(p.Key.Host, ev.Time); f != nil {
				c.blind++
			}
		}
	default:
		f = s.takeConnect(p.Key.Host, ev.Time, c)
	}
	if f != nil {
		c.lined++
		c.port, c.front = f.port, f.front
		if c.pos.File == "" {
			c.pos = f.pos
		}
	}
	// Requests lined up, and most of its accepts are the front server's:
	// an sshd or database that happens to accept near a proxied request
	// does not qualify.
	if c.lined >= upstreamProof && 2*c.lined >= c.accepts && (c.blind == 0 || blindShare*c.lined >= s.fronts[p.Key.Host]-c.frontAt) {
		learned := s.learn(s.server(p, ServerByUpstream, c.port, c.front, c.pos, ev.Time))
		return s.learnMaster(p) || learned
	}
	// Its bind predates the log, but the accepts carry TCP clients: a
	// network service on a port the log does not name.
	if inet(ev.Peer) && service && known == nil {
		if c.tcp == 0 {
			c.tcpPos = ev.FirstEvidence().Pos
		}
		c.tcp++
		if c.tcp >= upstreamProof {
			return s.learn(s.server(p, ServerByListener, 0, "", c.tcpPos, ev.Time))
		}
	}
	return false
}

// localAccept reports whether an accept took a connection on a local
// socket: its address says UNIX, or it names no address at all (accept4
// with no address buffer, as libuv's Node.js and Passenger's loaders call
// it) from a process that bound no IP port the log shows. The bind of a
// TCP listener is audited (network_bind_4/6) and its accept would then
// line up with the front server's connects instead; rule sets audit bind
// and connect for IP families only, so a UNIX listener shows nothing but
// its accepts (cragboard-prefmerge: Passenger's Node.js app processes,
// reached by Apache through Passenger's core, 272 accepts without an
// address and no other network record).
func localAccept(ev *parser.Event, bound hostPort) bool {
	return ev.Peer.Family == "unix" || ev.Peer.Family == "" && bound.port == 0
}

// frontConnect records a front server's connect; when the port's listener
// is known from its bind, the listener is the upstream at once.
func (s *ServerSet) frontConnect(p *parser.Process, ev *parser.Event) bool {
	pos := ev.FirstEvidence().Pos
	front := procImage(p)
	if l, ok := s.listeners[hostPort{p.Key.Host, ev.Peer.Port}]; ok && l.proc != nil && l.key != p.Key {
		if sv := s.servers[l.key]; (sv == nil || sv.How == ServerByListener) && !isWebServer(l.proc) && s.learnable(l.proc) {
			return s.learn(s.server(l.proc, ServerByUpstream, ev.Peer.Port, front, pos, ev.Time))
		}
		return false
	}
	fs := s.pending[p.Key.Host]
	if len(fs) >= frontConnects {
		fs = append(fs[:0], fs[1:]...)
	}
	s.pending[p.Key.Host] = append(fs, frontConnect{port: ev.Peer.Port, at: ev.Time, front: front, pos: pos})
	return false
}

// learnMaster notes the prefork master of an upstream worker: the parent
// of its image that forked it without an exec. The workers it forks later
// (a reload, a worker recycled after its request quota) are the server's
// from their first accept (workerOf) instead of each proving itself
// again, with its first requests' commands judged without it (uWSGI's
// workers, learned one by one). The master itself serves no request: what
// it runs on its own (uWSGI's cron, a reload hook) is judged as before,
// not as a request's command.
func (s *ServerSet) learnMaster(p *parser.Process) bool {
	par := p.Parent
	if par == nil || !forkedOnly(p) || p.Exe == "" || par.Exe != p.Exe || s.masters[par.Key] || !s.learnable(par) {
		return false
	}
	if len(s.masters) >= maxServers {
		s.masters = nil // rare: a new set, rather than a table without bound
	}
	if s.masters == nil {
		s.masters = map[parser.ProcKey]bool{}
	}
	s.masters[par.Key] = true
	s.gen++
	return true
}

// takeClient marks the oldest unused client a front server accepted on
// host within upstreamWindow before t as answered, and returns it (nil
// when none). The oldest first: the front server hands requests on in the
// order they came, and a database the upstream then reaches on its own
// socket finds the client already answered.
func (s *ServerSet) takeClient(host string, t time.Time) *frontConnect {
	fs := s.clients[host]
	for i := range fs {
		if d := t.Sub(fs[i].at); !fs[i].used && d >= 0 && d <= upstreamWindow {
			fs[i].used = true
			return &fs[i]
		}
	}
	return nil
}

// takeConnect marks the newest unused front connect on host within
// upstreamWindow before t, on the candidate's port once it has one, as
// answered, and returns it (nil when none).
func (s *ServerSet) takeConnect(host string, t time.Time, c *candidate) *frontConnect {
	fs := s.pending[host]
	for i := len(fs) - 1; i >= 0; i-- {
		f := &fs[i]
		if d := t.Sub(f.at); f.used || d < 0 || d > upstreamWindow || c.lined > 0 && f.port != c.port {
			continue
		}
		f.used = true
		return f
	}
	return nil
}

// frontClient records a front server's accept of a client, for an
// upstream on a UNIX socket to line up with (ServerSet.clients).
func (s *ServerSet) frontClient(p *parser.Process, ev *parser.Event) {
	fs := s.clients[p.Key.Host]
	if len(fs) >= frontConnects {
		fs = append(fs[:0], fs[1:]...)
	}
	s.clients[p.Key.Host] = append(fs, frontConnect{at: ev.Time, front: procImage(p), pos: ev.FirstEvidence().Pos})
	if s.fronts == nil {
		s.fronts = map[string]int{}
	}
	s.fronts[p.Key.Host]++
}

// learnable: shells and socket relays are never learned as servers (a
// bind shell accepting is a backdoor, not a service), nor is a process
// that already runs for a web server (a bind shell started by a web
// shell): it is judged as the server's descendant.
func (s *ServerSet) learnable(p *parser.Process) bool {
	name := path.Base(procImage(p))
	if shellNames[name] || channelTools[name] {
		return false
	}
	below := p
	for a, i := p.Parent, 0; a != nil && i < maxAncestry; a, i = a.Parent, i+1 {
		if s.IsServer(a) {
			// A root server's root helper that serves no request (the
			// master's module daemon: Passenger's watchdog and core, a
			// piped logger) is the host's, not a request's: what it starts
			// may be learned. A request runs in a worker of the server's
			// account, and a web shell's commands descend from it.
			return rootRun(a) && rootRun(below) && !s.IsServer(below)
		}
		below = a
	}
	return true
}

// rootRun reports whether p runs as root by its recorded uid.
func rootRun(p *parser.Process) bool { return p.UID.Set && p.UID.N == 0 }

func (s *ServerSet) server(p *parser.Process, how ServerHow, port int, front string, pos parser.Pos, at time.Time) *Server {
	return &Server{Key: p.Key, Image: procImage(p), Cmd: p.CommandLine(), User: p.User, UID: p.UID,
		How: how, Port: port, Front: front, Evidence: pos, Since: at}
}

// learn adds a server; its children already seen were judged without it.
func (s *ServerSet) learn(sv *Server) bool {
	if old, ok := s.servers[sv.Key]; ok {
		if old.How != ServerByListener || sv.How != ServerByUpstream {
			return false
		}
		// a listener proved to be a reverse proxy's upstream: it serves
		// the web, and its account is a web account
		sv.Before = old.Before
		s.servers[sv.Key] = sv
		s.addAccount(sv)
		s.noteServed(sv)
		s.gen++
		return true
	}
	if len(s.order) >= maxServers {
		delete(s.servers, s.order[0])
		s.order = s.order[1:]
	}
	if c := s.cands[sv.Key]; c != nil {
		sv.Before = c.before
		delete(s.cands, sv.Key)
	}
	s.servers[sv.Key] = sv
	s.order = append(s.order, sv.Key)
	s.addAccount(sv)
	s.noteServed(sv)
	s.gen++
	return true
}

// noteServed remembers the port a learned server serves.
func (s *ServerSet) noteServed(sv *Server) {
	if sv.Port == 0 {
		return
	}
	if s.served == nil || len(s.served) >= maxServers {
		s.served = map[hostPort]bool{}
	}
	s.served[hostPort{sv.Key.Host, sv.Port}] = true
}

// Serves reports whether a learned server serves port on host: a
// connect there reaches the site's own machinery (a front server's
// upstream), not another service.
func (s *ServerSet) Serves(host string, port int) bool {
	return s != nil && s.served[hostPort{host, port}]
}

// addAccount makes a reverse proxy's upstream's account a web account. A
// listener alone may be a database or a cache, whose account runs
// maintenance jobs all day: its children are judged as a server's, its
// account is not made a web account.
func (s *ServerSet) addAccount(sv *Server) {
	if sv.How == ServerByUpstream && sv.UID.Set && sv.UID.N != 0 && len(s.accounts) < maxServers {
		s.accounts[hostUID{sv.Key.Host, sv.UID.N}] = true
	}
}

// noteChild counts an exec whose parent is a candidate not yet proved:
// if the parent is proved later, these were judged without it.
func (s *ServerSet) noteChild(p *parser.Process) {
	if p == nil || p.Parent == nil {
		return
	}
	if c := s.cands[p.Parent.Key]; c != nil {
		c.before++
	}
}

// ListenerBeside reports whether p, or the server p is a worker of, is
// known only by its own listener (bound and accepting; no name says it
// serves, no front server connects to it) on a host where a front server
// by name accepts clients: a daemon with a protocol of its own (a
// monitoring agent on its port), whose clients the front server's access
// log never holds. An application server behind the front is its
// upstream once the front's connects line up with its accepts, and no
// longer a listener only.
func (s *ServerSet) ListenerBeside(p *parser.Process) bool {
	if !s.ListenerOnly(p) {
		return false
	}
	for _, n := range s.named {
		if n.Key.Host == p.Key.Host && frontNames[path.Base(n.Image)] {
			return true
		}
	}
	return false
}

// ListenerOnly reports whether p, or the server p is a worker of, is a
// server only by its accepts: not by its names, not a front server's
// upstream.
func (s *ServerSet) ListenerOnly(p *parser.Process) bool {
	if s == nil || p == nil || isWebServer(p) {
		return false
	}
	sv, ok := s.servers[p.Key]
	if !ok && p.Parent != nil && s.workerOf(p) {
		sv, ok = s.servers[p.Parent.Key]
	}
	return ok && sv.How == ServerByListener
}

// Servers lists the recognised servers for the report: learned ones and
// the name-recognised ones seen accepting, by host, pid and start.
func (s *ServerSet) Servers() []Server {
	if s == nil {
		return nil
	}
	var out []Server
	for _, sv := range s.servers {
		out = append(out, *sv)
	}
	for _, sv := range s.named {
		out = append(out, *sv)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Key, out[j].Key
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.PID < b.PID
	})
	return out
}

// Describe says in words how a server was recognised, with the record
// that proved it: "by accept on port 3100 (audit.log:12)".
func (sv Server) Describe() string {
	var how string
	switch sv.How {
	case ServerByName:
		how = "by name"
	case ServerByListener:
		how = "by bind and accept on port " + strconv.Itoa(sv.Port)
		if sv.Port == 0 {
			how = "by accepting TCP clients (its bind predates the log)"
		}
	case ServerByUpstream:
		how = "as upstream of " + path.Base(sv.Front) + " on port " + strconv.Itoa(sv.Port)
		if sv.Port == 0 {
			how = "as upstream of " + path.Base(sv.Front) + " on a UNIX socket (its accepts follow the front server's accepts of clients)"
		}
	}
	if sv.Evidence.File != "" {
		how += " (" + sv.Evidence.File + ":" + strconv.Itoa(sv.Evidence.Line) + ")"
	}
	if sv.Before > 0 {
		how += "; " + strconv.Itoa(sv.Before) + " child execs before that were judged without it"
	}
	return how
}

func procImage(p *parser.Process) string {
	if p.Exe != "" {
		return p.Exe
	}
	return p.Comm
}
