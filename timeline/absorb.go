package timeline

import (
	"maps"

	"github.com/auditchain/auditchain/parser"
)

// A scan of several hosts may observe each host's events with a Builder of
// its own, side by side. Absorb folds such a Builder into b as if b had
// observed o's events after its own: the lists keep their order (b's, then
// o's), counts add up, and the maps, whose keys name a host or an input,
// join. Build then links and ranks every host's chains at once, with one
// Coverage, as for one stream.
//
// The bounds on the lists (--max-link-repeats, --max-link-events) were
// each Builder's own: past them, each host kept what a scan of that host
// alone keeps, where one stream would have shared the bound between hosts.

// Absorb adds o's observations to b. Both were made with the same options
// (but for Servers, each its engine's); o is not used afterwards.
func (b *Builder) Absorb(o *Builder) {
	b.unpackLists()
	o.unpackLists()
	b.logRules += o.logRules
	if o.logKeys != nil && b.logKeys == nil {
		b.logKeys = map[string]bool{}
	}
	maps.Copy(b.logKeys, o.logKeys)
	if o.logLists != nil && b.logLists == nil {
		b.logLists = map[string]int{}
	}
	for k, n := range o.logLists {
		b.logLists[k] += n
	}
	b.removals = append(b.removals, o.removals...)
	b.tampering = append(b.tampering, o.tampering...)
	b.streams = joinMap(b.streams, o.streams)
	b.lastKey, b.lastStream = streamKey{}, nil
	b.wrapperSkews += o.wrapperSkews
	b.wrapperMax = max(b.wrapperMax, o.wrapperMax)
	b.streamOrder = append(b.streamOrder, o.streamOrder...)
	for k := range b.seen {
		b.seen[k] = b.seen[k] || o.seen[k]
	}
	b.seenWeb = b.seenWeb || o.seenWeb
	b.seenPers = b.seenPers || o.seenPers
	lists, theirs := b.allLists(), o.allLists()
	for i, l := range lists {
		*l = append(*l, *theirs[i]...)
	}
	b.unnamedDropped += o.unnamedDropped
	b.namedLogs = joinMap(b.namedLogs, o.namedLogs)
	b.logServers = joinMap(b.logServers, o.logServers)
	b.workerAccepts.absorb(&o.workerAccepts)
	b.acceptsOff += o.acceptsOff
	b.spans = joinMap(b.spans, o.spans)
	b.logged = nil // worked out when asked, from the joined lists
	b.dropped += o.dropped
	b.repeats.absorb(&o.repeats)
	b.kept += o.kept
	b.added += o.added
	b.refusals = joinMap(b.refusals, o.refusals)
	b.serverPeers = joinMap(b.serverPeers, o.serverPeers) // a process's key names its host
	b.serverWrites += o.serverWrites
	b.refusalOrder = append(b.refusalOrder, o.refusalOrder...)
	b.events += o.events
}

// joinMap adds b's entries to a (made when nil); their keys never meet.
func joinMap[K comparable, V any](a, b map[K]V) map[K]V {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = make(map[K]V, len(b))
	}
	maps.Copy(a, b)
	return a
}

// absorb adds another host's worker accepts; the peers' indices are
// renumbered into w's list of peers, in order of first sighting.
func (w *workerAccepts) absorb(o *workerAccepts) {
	w.conns.absorb(&o.conns)
	w.dropped += o.dropped
	if o.by == nil {
		return
	}
	if w.by == nil {
		w.by = map[parser.ProcKey][]acceptMark{}
		w.peerIdx = map[string]uint32{}
	}
	renum := make([]uint32, len(o.peers))
	ok := make([]bool, len(o.peers))
	for i, p := range o.peers {
		j, seen := w.peerIdx[p]
		if !seen {
			if len(w.peers) >= maxAcceptPeers {
				continue
			}
			j = uint32(len(w.peers))
			w.peers = append(w.peers, p)
			w.peerIdx[p] = j
		}
		renum[i], ok[i] = j, true
	}
	for k, ms := range o.by {
		out := make([]acceptMark, 0, len(ms))
		for _, m := range ms {
			if !ok[m.peer] {
				w.dropped++
				continue
			}
			out = append(out, acceptMark{at: m.at, peer: renum[m.peer], serial: m.serial})
		}
		w.by[k] = append(w.by[k], out...)
		w.n += len(out)
	}
	w.sorted = false
}

// absorb adds another Builder's repeat counts: the acts name their host,
// the overflows of one list add up (the first not kept is the earliest, the
// last the latest, o's on a tie: its events come after).
func (r *repeatBound) absorb(o *repeatBound) {
	r.total += o.total
	r.max = min(r.max, o.max)
	if o.kept != nil && r.kept == nil {
		r.kept = map[string]*int{}
	}
	maps.Copy(r.kept, o.kept)
	for name, t := range o.over {
		if r.over == nil {
			r.over = map[string]*listOverflow{}
		}
		s := r.over[name]
		if s == nil {
			r.over[name] = t
			continue
		}
		s.n += t.n
		maps.Copy(s.byAct, t.byAct)
		if t.first.ok && (!s.first.ok || t.firstAt.Before(s.firstAt)) {
			s.first, s.firstAt = t.first, t.firstAt
		}
		if t.last.ok && (!s.last.ok || !t.lastAt.Before(s.lastAt)) {
			s.last, s.lastAt = t.last, t.lastAt
		}
	}
	r.full += o.full
	if !r.fullFirst.ok {
		r.fullFirst = o.fullFirst
	}
	if o.fullLast.ok {
		r.fullLast = o.fullLast
	}
}
