package detect

import "github.com/auditchain/auditchain/parser"

// A front server's module may hand requests to a root process it started,
// which serves them through processes it starts as the application's
// account: Phusion Passenger's core (Apache's or nginx's child, root)
// takes each request on a UNIX socket and passes it to the app processes
// it spawned (node, ruby, python as the app's user). Those processes run
// the application's code and its commands, and never accept a connection
// the log records; the core's accepts are what line up with the front
// server's clients. So a root process below a front server whose UNIX
// accepts follow the front's client accepts (upstreamProof of them, and
// most of its accepts) is learned as a spawner: not a server itself (what
// it runs as root — ps, rm of its spawn folders — is judged as root's),
// but each process it starts that execs its own program as an account
// other than root is a server, and that account a web account. Only below
// a front server: init and the journal accept local connections from
// everything, and must never make their children servers.

// maxFrontDepth bounds the ancestors looked at for the front server.
const maxFrontDepth = 4

// spawnerAccept lines a root process's UNIX accept up with the front
// server's client accepts, and learns it as a spawner once proved.
func (s *ServerSet) spawnerAccept(p *parser.Process, ev *parser.Event) bool {
	if s.spawners[p.Key] != nil || !belowFront(p) || isWebServer(p) {
		return false
	}
	if name := baseName(procImage(p)); shellNames[name] || channelTools[name] {
		return false // a bind shell's relay is no spawner
	}
	c := s.cands[p.Key]
	if c == nil {
		if len(s.corder) >= maxCandidates {
			delete(s.cands, s.corder[0])
			s.corder = s.corder[1:]
		}
		c = &candidate{}
		s.cands[p.Key] = c
		s.corder = append(s.corder, p.Key)
	}
	c.accepts++
	if f := s.takeClient(p.Key.Host, ev.Time); f != nil {
		c.lined++
		c.front = f.front
		if c.pos.File == "" {
			c.pos = f.pos
		}
	}
	if c.lined < upstreamProof || 2*c.lined < c.accepts {
		return false
	}
	if s.spawners == nil || len(s.spawners) >= maxServers {
		s.spawners = map[parser.ProcKey]*Server{}
	}
	sv := s.server(p, ServerByUpstream, 0, c.front, c.pos, ev.Time)
	sv.Spawner, sv.Before = true, c.before
	s.spawners[p.Key] = sv
	delete(s.cands, p.Key)
	s.gen++
	return true
}

// belowFront reports whether a front server's process is among p's
// ancestors.
func belowFront(p *parser.Process) bool {
	for a, n := p.Parent, 0; a != nil && n < maxFrontDepth; a, n = a.Parent, n+1 {
		if isFrontServer(a) {
			return true
		}
	}
	return false
}

// spawnedShape reports whether p runs a program of its own (an exec, not
// its parent's image) as an account other than root: what a spawner's
// child that serves looks like.
func spawnedShape(p *parser.Process) bool {
	par := p.Parent
	return par != nil && p.UID.Set && p.UID.N != 0 && p.Exe != "" && p.Exe != par.Exe && !forkedOnly(p)
}

// spawnedBy reports whether p is a server a learned spawner started.
func (s *ServerSet) spawnedBy(p *parser.Process) bool {
	return s != nil && p != nil && p.Parent != nil && len(s.spawners) > 0 && s.spawners[p.Parent.Key] != nil && spawnedShape(p)
}

// noteSpawned makes the account of a spawner's server a web account, at
// its exec.
func (s *ServerSet) noteSpawned(p *parser.Process) {
	if !s.spawnedBy(p) || len(s.accounts) >= maxServers {
		return
	}
	if hu := (hostUID{p.Key.Host, p.UID.N}); !s.accounts[hu] {
		s.accounts[hu] = true
		s.gen++
	}
}
