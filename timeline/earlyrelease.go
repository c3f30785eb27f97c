package timeline

import "github.com/auditchain/auditchain/parser"

// The execs kept aside for a parent recognised as a server later
// (unnamedParent, earlyExecs: up to maxUnnamedParent each) are judged in
// Build (laterWebExecs) by their parent as it is then. Each pins its
// process and its parent, so each holds its ancestry in memory: on the
// pid-repeating 2 GB log, whose every copy brings new processes under the
// same pids, the 4 096 early execs held 36 864 processes and the unnamed
// ones 8 192 — 45 000 of the 84 000 processes in memory when the log was
// read, the largest part of the scan's growth from 500 MB to 2 GB.
//
// An exec is let go as soon as its judgement is known to be no: once
// both its process and its parent are over — the log named their pids
// again, so the tree made new processes of them and neither is changed
// by a later record — while the exec's process still hangs below that
// parent, and the parent is no web server by its names and cannot become
// one by what the rules learn later: it never bound a port (a proxy's
// connect or a worker's accept names a bound listener as the server
// later, detect.ServerSet.Settled) and is no worker of its parent (whose
// key a later lesson may decide). Build would have said no for the same
// facts; the execs it would keep stay, pinned, as before. The bound counts
// the execs let go as kept (their entries stay, marked gone), so which
// execs are kept aside, and the coverage note's count of those that were
// not, do not change.

// earlyRef is one exec kept aside: where its entry is, and the two
// processes it pins.
type earlyRef struct {
	list          *[]*parser.Event
	i             int // its entry in the held list
	child, parent *parser.Process
}

// earlyState follows the execs kept aside while the log is read.
type earlyState struct {
	refs   []earlyRef                  // a ref let go is zero
	by     map[*parser.Process][]int32 // the refs a process is in, as child or parent
	watch  map[hostPID]*parser.Process // the pids of those processes
	frozen map[*parser.Process]bool    // processes whose pid the log named again
	// shared: execs kept aside that another list keeps too (a crontab
	// run): the packed event is one for both, so letting go of the
	// exec aside must leave its process in the store
	shared map[parser.Packed]bool
}

// sharedIn notes h as shared when the lists an event went to are an
// aside list and another.
func (s *earlyState) sharedIn(h parser.Packed, lists []*[]*parser.Event, b *Builder) {
	for _, l := range lists {
		if l == &b.unnamedParent || l == &b.earlyExecs {
			if s.shared == nil {
				s.shared = map[parser.Packed]bool{}
			}
			s.shared[h] = true
			return
		}
	}
}

// keepEarly registers the exec kept last in list (an entry of its held
// list) with the two processes it pins. Only lists held packed
// (Options.PackKept) are followed.
func (b *Builder) keepEarly(list *[]*parser.Event, p *parser.Process) {
	if !b.opts.PackKept || p == nil || p.Parent == nil {
		return
	}
	s := &b.early
	if s.by == nil {
		s.by = map[*parser.Process][]int32{}
		s.watch = map[hostPID]*parser.Process{}
		s.frozen = map[*parser.Process]bool{}
	}
	id := int32(len(s.refs))
	s.refs = append(s.refs, earlyRef{list: list, i: len(*b.heldList(list)) - 1, child: p, parent: p.Parent})
	for _, q := range [2]*parser.Process{p, p.Parent} {
		s.by[q] = append(s.by[q], id)
		if s.frozen[q] {
			continue
		}
		k := hostPID{q.Key.Host, q.Key.PID}
		if w := s.watch[k]; w != nil && w != q {
			b.earlyOver(k, w) // q has its pid now
		}
		s.watch[k] = q
	}
}

// earlySee notes, for each event, whether it names again the pid of a
// process an exec kept aside pins, with a new process.
func (b *Builder) earlySee(ev *parser.Event) {
	if len(b.early.watch) == 0 || ev.Proc == nil {
		return
	}
	k := hostPID{ev.Proc.Key.Host, ev.Proc.Key.PID}
	if w := b.early.watch[k]; w != nil && w != ev.Proc {
		b.earlyOver(k, w)
	}
}

// earlyOver marks w, whose pid k now names another process, as over, and
// judges the execs it is in.
func (b *Builder) earlyOver(k hostPID, w *parser.Process) {
	s := &b.early
	delete(s.watch, k)
	s.frozen[w] = true
	for _, id := range s.by[w] {
		r := s.refs[id]
		if r.child == nil || !s.frozen[r.child] || !s.frozen[r.parent] || r.child.Parent != r.parent {
			continue
		}
		if b.opts.isWebServer(r.parent) || len(b.opts.WebServers) == 0 && !b.opts.Servers.Settled(r.parent) {
			continue // Build judges it
		}
		b.letEarlyGo(id)
	}
}

// letEarlyGo lets go of the exec of ref id: its entry is marked gone, the
// store forgets its process, and the pins keep and Observe took go back.
func (b *Builder) letEarlyGo(id int32) {
	s := &b.early
	r := s.refs[id]
	es := *b.heldList(r.list)
	if e := es[r.i]; e.ev == nil && !s.shared[e.h] {
		b.store.Drop(e.h)
	}
	es[r.i] = keptEntry{gone: true}
	r.child.Unpin()  // Retain(KeepFields) in keep
	r.parent.Unpin() // p.Parent.Pin() in Observe
	b.kept--
	s.refs[id] = earlyRef{}
	for _, q := range [2]*parser.Process{r.child, r.parent} {
		ids := s.by[q]
		for j, x := range ids {
			if x == id {
				ids = append(ids[:j], ids[j+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(s.by, q)
			delete(s.frozen, q)
			if k := (hostPID{q.Key.Host, q.Key.PID}); s.watch[k] == q {
				delete(s.watch, k)
			}
		} else {
			s.by[q] = ids
		}
	}
}
