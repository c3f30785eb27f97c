package detect

import "github.com/auditchain/auditchain/parser"

// What the state says of a process's ancestry (the nearest web server, the
// channel it runs in, a scheduler above it) is asked on most events, and a
// walk costs a few map lookups per ancestor. Siblings share their
// ancestry (a server's workers, a shell's commands) while a process has
// few events of its own, so the facts are cached per parent and composed:
// a parent's entry folds its own facts onto its parent's entry.
//
// An entry is reused only while what it was computed from holds:
//   - the process is as it was: same parent, exec count, comm and exe
//     (what isWebServer and the scheduler test read; argv changes only
//     with an exec);
//   - no channel or adoption was recorded since (gen, bumped by addChannel
//     and adopt);
//   - its parent's entry is itself reused and was not recomputed since
//     (stamp), and so on up to the root.
// Checking that is a few loads per ancestor, no hashing.

// maxAncEntries bounds the cache; it is emptied when full.
const maxAncEntries = 1 << 15

// ownFacts are what the state says of one process by itself.
type ownFacts struct {
	adopted *parser.Process // the web server it was adopted for
	channel *channel        // the channel it opened
	web     bool            // isWebServer
	sched   bool            // a scheduler (cron, atd)
}

// ancFacts fold the ownFacts of a walk up from a process, nearest first:
// the first web server (or the server an adopted orphan was started for),
// the first channel, and whether a scheduler is on the way.
type ancFacts struct {
	web     *parser.Process
	adopted bool // web is the server an adopted orphan was started for
	channel *channel
	sched   bool
}

// ancEntry is one process's cached facts.
type ancEntry struct {
	p *parser.Process
	// what the facts were computed from
	parent *parser.Process
	execs  int
	comm   string
	exe    string
	gen    uint64
	// upStamp is the parent's stamp when all was folded; stamp is this
	// entry's, new whenever all is folded again.
	upStamp, stamp uint64
	up             int32 // the parent's entry, -1 for a root
	depth          int32 // processes from p up to its root
	ok             bool  // false: compute again
	own            ownFacts
	all            ancFacts // of the walk from p itself
}

// ancestry is the cache: entries in chunks, found by process. Entries
// never move or go while the cache is not emptied, so up stays valid;
// chunks, unlike one growing slice, are never copied. A process's entry is
// found through slots, direct-mapped by its Seq (index+1, 0 for none):
// when another process took the slot, the lookup misses and a second
// entry is made for the process — both are for the same process and
// check themselves, so a collision costs time, never an answer.
type ancestry struct {
	slots  []int32
	chunks [][]ancEntry
	n      int32 // entries in use
	gen    uint64
	stamp  uint64
}

const (
	ancChunk = 1024
	ancSlots = 1 << 16
)

func newAncestry() ancestry { return ancestry{slots: make([]int32, ancSlots)} }

// find returns p's entry, if its slot still leads to it.
func (a *ancestry) find(p *parser.Process) (int32, bool) {
	i := a.slots[p.Seq%ancSlots] - 1
	if i < 0 || a.at(i).p != p {
		return 0, false
	}
	return i, true
}

// at returns entry i.
func (a *ancestry) at(i int32) *ancEntry { return &a.chunks[i/ancChunk][i%ancChunk] }

// add appends an entry for p and returns its index.
func (a *ancestry) add(p *parser.Process) int32 {
	i := a.n
	if int(i/ancChunk) == len(a.chunks) {
		a.chunks = append(a.chunks, make([]ancEntry, ancChunk))
	}
	a.n++
	*a.at(i) = ancEntry{p: p}
	a.slots[p.Seq%ancSlots] = i + 1
	return i
}

func (a *ancestry) reset() {
	clear(a.slots)
	for _, c := range a.chunks {
		clear(c) // drop the references the old entries hold
	}
	a.n = 0
}

// info returns what the tree and the state say about p: its own facts,
// then its parent's entry (the walk of up to maxAncestry ancestors).
func (s *state) info(p *parser.Process) procInfo {
	if p == nil {
		return procInfo{}
	}
	in := procInfo{webSelf: s.isWebServer(p), channel: s.channels[p], web: s.adopted[p], webAdopted: s.adopted[p] != nil}
	if in.channel == nil {
		in.channel = s.sessionChannel(p)
	}
	if p.Parent == nil {
		return in
	}
	if s.anc.n+maxAncestry > maxAncEntries {
		s.anc.reset() // before, never during, a lookup: it adds maxAncestry entries at most
	}
	i := s.entryOf(p.Parent, maxAncestry)
	if i < 0 {
		return s.walkInfo(p) // a chain deeper than maxAncestry: rare
	}
	up := &s.anc.at(i).all
	if in.channel == nil {
		in.channel = up.channel
	}
	if in.web == nil {
		in.web, in.webAdopted = up.web, up.adopted
	} else if up.web != nil && !up.adopted {
		// a recorded parent chain to a web server (setsid's first exec
		// under the shell, then php under init) outranks the inference
		in.webAdopted = false
	}
	in.sched = up.sched
	return forkOfServer(p, in)
}

// forkOfServer clears the server above a pre-fork server's worker: a fork
// of its master that never exec'd runs the master's program and is the
// server itself, not something the server started (its own upstream and
// database connections are the server's). The tree names a master the log
// never shows from its workers (proctree's inferMasterImage); before that,
// such a worker had no server above it, and its acts must read the same.
func forkOfServer(p *parser.Process, in procInfo) procInfo {
	if in.webSelf && in.web != nil && !in.webAdopted && in.web == p.Parent && len(p.Execs) == 0 && p.Exe == in.web.Exe {
		in.web = nil
	}
	return in
}

// entryOf returns the index of p's entry, up to date, or -1 when p's
// chain holds more than budget processes: its walk would be cut at
// maxAncestry, and composing entries would not.
func (s *state) entryOf(p *parser.Process, budget int) int32 {
	if budget <= 0 {
		return -1
	}
	i, ok := s.anc.find(p)
	if !ok {
		i = s.anc.add(p)
	}
	return s.freshEntry(i, budget)
}

// freshEntry brings entry i up to date (see entryOf).
func (s *state) freshEntry(i int32, budget int) int32 {
	e := s.anc.at(i)
	p := e.p
	if !e.ok || e.gen != s.anc.gen || p.Parent != e.parent || len(p.Execs) != e.execs || p.Comm != e.comm || p.Exe != e.exe {
		return s.computeEntry(i, budget)
	}
	if int(e.depth) > budget {
		return -1
	}
	if e.up < 0 {
		return i
	}
	// e.up is p.Parent's entry: the parent is unchanged
	u := s.freshEntry(e.up, budget-1)
	if u < 0 {
		e.ok = false // the parent's chain grew past the budget
		return -1
	}
	if s.anc.at(u).stamp != e.upStamp {
		s.foldEntry(i) // an ancestor changed: fold again
	}
	return i
}

// computeEntry computes entry i from its process and its parent's entry.
func (s *state) computeEntry(i int32, budget int) int32 {
	p := s.anc.at(i).p
	up := int32(-1)
	if p.Parent != nil {
		if up = s.entryOf(p.Parent, budget-1); up < 0 {
			s.anc.at(i).ok = false
			return -1
		}
	}
	e := s.anc.at(i) // entries never move: e stays valid across the calls
	e.parent, e.execs, e.comm, e.exe = p.Parent, len(p.Execs), p.Comm, p.Exe
	e.gen, e.ok, e.up = s.anc.gen, true, up
	e.own = s.ownFacts(p)
	s.foldEntry(i)
	return i
}

// ownFacts are what the state says of p, read by the walk of info.
func (s *state) ownFacts(p *parser.Process) ownFacts {
	return ownFacts{web: s.isWebServer(p), adopted: s.adopted[p], channel: s.channels[p], sched: schedulerNames[p.Name()]}
}

// foldEntry folds entry i's own facts onto its parent's, as the walk
// meets them (nearest first), and gives the entry a new stamp.
func (s *state) foldEntry(i int32) {
	e := s.anc.at(i)
	var a ancFacts
	e.depth = 1
	if e.up >= 0 {
		u := s.anc.at(e.up)
		a, e.upStamp, e.depth = u.all, u.stamp, u.depth+1
	}
	if e.own.channel != nil {
		a.channel = e.own.channel
	}
	if e.own.web {
		a.web, a.adopted = e.p, false
	} else if e.own.adopted != nil {
		// adopted by inference only when no recorded ancestor is a web server
		a.web, a.adopted = e.own.adopted, a.web == nil || a.adopted
	}
	a.sched = a.sched || e.own.sched
	e.all = a
	s.anc.stamp++
	e.stamp = s.anc.stamp
}

// walkInfo is info without the cache: p's own facts, then a walk of up to
// maxAncestry ancestors.
func (s *state) walkInfo(p *parser.Process) procInfo {
	var in procInfo
	in.webSelf = s.isWebServer(p)
	if ch := s.channels[p]; ch != nil {
		in.channel = ch
	} else if ch := s.sessionChannel(p); ch != nil {
		in.channel = ch
	}
	if w := s.adopted[p]; w != nil {
		in.web, in.webAdopted = w, true
	}
	n, recorded := 0, false // recorded: a web server among the recorded ancestors
	for a := p.Parent; a != nil && n < maxAncestry; a, n = a.Parent, n+1 {
		if in.channel == nil {
			if ch := s.channels[a]; ch != nil {
				in.channel = ch
			}
		}
		if s.isWebServer(a) {
			recorded = true
			if in.web == nil {
				in.web = a
			}
		}
		if in.web == nil && s.adopted[a] != nil {
			in.web, in.webAdopted = s.adopted[a], true
		}
		if schedulerNames[a.Name()] {
			in.sched = true
		}
	}
	// a recorded parent chain to a web server outranks the inference
	in.webAdopted = in.webAdopted && !recorded
	return forkOfServer(p, in)
}

// dropSpilled empties the ancestry cache when the tree has moved processes
// to its spill file since the last time: the cache's entries point at
// processes (up to maxAncEntries), and kept in memory processes the tree
// had let go. The cache fills again from the processes at hand; the tree
// spills after every limit/2 new processes, so this is rare.
func (e *Engine) dropSpilled(tree *parser.Tree) {
	if tree == nil {
		return
	}
	if n := tree.SpillStats().Spilled; n != e.spilled {
		e.spilled = n
		e.state.anc.reset()
	}
}
