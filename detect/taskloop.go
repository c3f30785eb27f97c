package detect

import "github.com/auditchain/auditchain/parser"

// An implant that reaches its server through its children — git fetch and
// git push of a task repository, a curl per poll — holds no socket of its
// own, so no connect makes it a channel; its tasks (`sh -c 'id;
// hostname'`) are only its children (docket-exhibit: a root python
// implant started by a sitecustomize hook fetched tasks with git every
// 3 s and ran each with /bin/sh -c). What shows is the repetition: a
// process a plant started (plantfork.go) whose children connect to one
// peer again and again is polling it, and its other children are the
// tasks it fetched. From the pollMinFetches-th such connect on, the
// process holds a channel to that peer (channel.poll), and what it starts
// later runs inside it. Only plant-started processes count: a web
// application's own job that calls an API three times is not the
// intrusion's.

// maxPollParents bounds the (process, peer) pairs counted.
const maxPollParents = 1024

type pollParent struct {
	proc parser.ProcKey
	peer string
}

// noteTaskLoop counts a child's connect for its parent and opens the
// parent's channel once the parent polls the peer.
func (s *state) noteTaskLoop(ev *parser.Event) {
	p := ev.Proc
	if p == nil || !inet(ev.Peer) || !ev.Success && ev.Exit != -115 { // EINPROGRESS: a non-blocking connect under way
		return
	}
	q := p.Parent
	if q == nil || s.channels[q] != nil || s.isWebServer(q) || !s.adoptedAbove(q).planted() {
		return
	}
	if s.pollParents == nil || len(s.pollParents) >= maxPollParents {
		s.pollParents = map[pollParent]int{}
	}
	k := pollParent{q.Key, ev.Peer.String()}
	s.pollParents[k]++
	if s.pollParents[k] < pollMinFetches {
		return
	}
	if ch := s.addChannelOf(q, ev); ch != nil {
		ch.poll = true
	}
}
