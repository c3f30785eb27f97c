package proctree

import "slices"

// A scan of several hosts may build one tree per host, each on its own
// goroutine (audit logs never span hosts, and no process has a parent on
// another host). Union makes of those trees the one tree the rest of the
// run reads: every read-side method answers as the tree of the hosts' events
// read one host after another would, the host of a process choosing the
// part that holds it. The parts keep their own spill files.

// Union returns a tree over parts, in the order their events would have
// been read. Each part must hold the processes of hosts no other part
// holds, and be read no more (Observe on the union panics).
func Union(parts []*Tree) *Tree {
	u := &Tree{live: map[hostPID]*Process{}, strs: map[string]string{}, argvs: map[string][]string{}, containers: map[string]Container{}}
	u.parts = parts
	for _, p := range parts {
		u.total += p.total
		// what the runtime logs say of a container: the first part that
		// says a field wins, as the first event would in one tree
		ids := make([]string, 0, len(p.containers))
		for id := range p.containers {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			u.learnContainer(p.containers[id])
		}
		for h := range p.hosts.names {
			u.hosts.add(h)
		}
		u.hosts.unlisted += p.hosts.unlisted
		u.hosts.max = p.hosts.max
	}
	return u
}

// partOf returns the part of a union that holds host's processes, or t
// itself when t is no union (or no part holds host).
func (t *Tree) partOf(host string) *Tree {
	for _, p := range t.parts {
		if _, ok := p.hosts.names[host]; ok {
			return p
		}
		if _, ok := p.boots[host]; ok {
			return p
		}
	}
	return t
}

// unionProcesses is Processes of a union: each part's, in part order, which
// is the order of first sighting when the parts' events are read one part
// after another.
func (t *Tree) unionProcesses() []*Process {
	var out []*Process
	for _, p := range t.parts {
		out = append(out, p.Processes()...)
	}
	return out
}

func (t *Tree) unionByPID(host string, pid int) []*Process {
	if host != "" {
		if p := t.partOf(host); p != t {
			return p.ByPID(host, pid)
		}
		return nil
	}
	var out []*Process
	for _, p := range t.parts {
		out = append(out, p.ByPID(host, pid)...)
	}
	return out
}

func (t *Tree) unionRoots() []*Process {
	var out []*Process
	for _, p := range t.parts {
		out = append(out, p.Roots()...)
	}
	SortProcesses(out)
	return out
}

func (t *Tree) unionSpillStats() SpillStats {
	var s SpillStats
	for _, p := range t.parts {
		q := p.SpillStats()
		s.Spilled += q.Spilled
		s.Faults += q.Faults
		s.PathFaults += q.PathFaults
		s.Bytes += q.Bytes
		if s.Unavailable == "" {
			s.Unavailable = q.Unavailable
		}
	}
	return s
}

func (t *Tree) unionHeld() Held {
	var h Held
	for _, p := range t.parts {
		q := p.Held()
		h.InMemory += q.InMemory
		h.Pinned += q.Pinned
		h.Ancestors += q.Ancestors
		h.Sites = append(h.Sites, q.Sites...)
		h.MovedAlive += q.MovedAlive
	}
	return h
}
