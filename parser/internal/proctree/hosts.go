package proctree

// DefaultMaxHosts bounds the distinct host names the tree lists
// (Tree.Hosts). Each record's node= name is the attacker's to choose; with
// processes spilled to disk the list would otherwise be the one thing that
// grows with every new name. A million is far past any real fleet.
const DefaultMaxHosts = 1 << 20

// hostSet is the list of hosts that have processes, bounded. Past the bound
// new hosts are counted, never silently lost: HostsCut says how many
// processes belong to hosts not listed.
type hostSet struct {
	names    map[string]bool
	max      int // 0: DefaultMaxHosts
	unlisted int // processes on hosts past max
}

func (s *hostSet) add(host string) {
	if s.names[host] {
		return
	}
	max := s.max
	if max <= 0 {
		max = DefaultMaxHosts
	}
	if len(s.names) >= max {
		s.unlisted++
		return
	}
	if s.names == nil {
		s.names = map[string]bool{}
	}
	s.names[host] = true
}

// HostsCut reports whether the host list stopped at its bound: max is the
// bound, unlisted the processes created on hosts past it.
func (t *Tree) HostsCut() (max, unlisted int) {
	max = t.hosts.max
	if max <= 0 {
		max = DefaultMaxHosts
	}
	return max, t.hosts.unlisted
}
