package detect

import "maps"

// A scan of several hosts may run one engine per host, side by side (no
// rule's state spans hosts: every memory of the engine is keyed by host, or
// by a process, which belongs to one). Absorb folds what such an engine
// keeps past Finish into e, so that e answers the report's questions
// (Servers, Allowed, Dropped, TargetsCut) for every host.

// Absorb adds what o learned and counted to e. Both must have finished
// (Finish) and run the same rules; o is not used afterwards. The bounded
// memories of detection (addresses named by persistence acts, flagged
// files, login-guessing series, port-sweep pairs) were each host's own, so
// what they let go is the sum of what each let go.
func (e *Engine) Absorb(o *Engine) {
	e.targetsCut += o.targetsCut
	e.allowed.Total += o.allowed.Total
	for _, a := range o.allowed.List {
		if len(e.allowed.List) >= MaxAllowedListed {
			break
		}
		e.allowed.List = append(e.allowed.List, a)
	}
	e.bound.absorb(&o.bound)
	s, t := e.state, o.state
	s.plants.dropped += t.plants.dropped
	s.flagged.dropped += t.flagged.dropped
	s.flagged.cmds.dropped += t.flagged.cmds.dropped
	s.guess.dropped += t.guess.dropped
	s.fanout.dropped += t.fanout.dropped
	s.servers.absorb(t.servers)
}

// absorb adds another host's counts: the keys name their host, so the two
// never share one.
func (b *findingBound) absorb(o *findingBound) {
	for k, n := range o.acts {
		if p := b.acts[k]; p != nil {
			*p += *n
		} else {
			v := *n
			b.acts[k] = &v
		}
	}
	for k, n := range o.rules {
		b.rules[k] += n
	}
	maps.Copy(b.over, o.over)
}

// absorb adds the servers another host's engine learned; every key names
// its host, and the orders stay those of first sighting, o's after s's.
func (s *ServerSet) absorb(o *ServerSet) {
	if o == nil {
		return
	}
	maps.Copy(s.servers, o.servers)
	s.order = append(s.order, o.order...)
	maps.Copy(s.accounts, o.accounts)
	maps.Copy(s.bound, o.bound)
	maps.Copy(s.listeners, o.listeners)
	s.lorder = append(s.lorder, o.lorder...)
	maps.Copy(s.pending, o.pending)
	maps.Copy(s.cands, o.cands)
	s.corder = append(s.corder, o.corder...)
	maps.Copy(s.named, o.named)
	s.gen += o.gen
}
