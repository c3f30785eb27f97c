package timeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// How an act shows a peer. The note that joins a peer's users says which:
// a process that only named the address in its command line, or only ran
// inside a channel another process opened, did not connect to it.
type peerHow int

const (
	peerConnect peerHow = iota // the act's own connect
	peerNamed                  // its process's command line names it (/dev/tcp/HOST/PORT)
	peerInside                 // a connect tied to the act: the channel it ran in
)

type peerSight struct {
	addr string
	how  peerHow
	ev   *parser.Event // the connect, for peerConnect and peerInside
}

// peerSightings returns the inet peers a finding shows and how it shows
// each: its own connect, a connect related to it, a /dev/tcp redirection
// in its process's command line.
func peerSightings(f *detect.Finding) []peerSight {
	var out []peerSight
	rel := f.Related
	if slices.Contains(f.RuleIDs, detect.RuleImplantRelaunched) || slices.Contains(f.RuleIDs, detect.RuleImplantWatchdog) {
		// these cite the implant's earlier run (its connect among them),
		// not a channel the act ran in
		rel = nil
	}
	for i, e := range append([]*parser.Event{f.Event}, rel...) {
		if e != nil && e.Kind == parser.KindConnect && (e.Peer.Family == "inet" || e.Peer.Family == "inet6") {
			how := peerInside
			if i == 0 {
				how = peerConnect
			}
			out = append(out, peerSight{e.Peer.String(), how, e})
		}
	}
	if p := procOf(f); p != nil {
		for _, a := range devTCPPeers(strings.Join(p.Args, " ")) {
			out = append(out, peerSight{a, peerNamed, nil})
		}
	}
	return out
}

// peerUse tallies the acts tied to one hostile peer, each counted once
// under what it did: connects by event, command lines by process, acts
// inside the channel by finding.
type peerUse struct {
	node           any // the first user: the note is attached there
	at             time.Time
	named          *parser.Process // the first process naming it, when before any connect
	namedAt        time.Time
	connector      *parser.Process // the first process that connected
	connAt         time.Time
	last           *parser.Process
	lastAt         time.Time
	lastHow        peerHow
	connects       map[*parser.Event]bool
	namers         map[*parser.Process]bool
	inside         map[int]bool // finding index
	insideConnects map[*parser.Event]bool
}

func newPeerUse(node any, at time.Time) *peerUse {
	return &peerUse{node: node, at: at, connects: map[*parser.Event]bool{}, namers: map[*parser.Process]bool{},
		inside: map[int]bool{}, insideConnects: map[*parser.Event]bool{}}
}

// see records one sighting; finding is the finding's index, -1 for a
// connect that is no finding's.
func (u *peerUse) see(s peerSight, p *parser.Process, at time.Time, finding int) {
	switch s.how {
	case peerConnect:
		if u.connects[s.ev] {
			return
		}
		u.connects[s.ev] = true
		if u.connector == nil || at.Before(u.connAt) {
			u.connector, u.connAt = p, at
		}
	case peerNamed:
		if p == nil || u.namers[p] {
			return
		}
		u.namers[p] = true
		if u.named == nil || at.Before(u.namedAt) {
			u.named, u.namedAt = p, at
		}
	case peerInside:
		if finding < 0 || u.inside[finding] {
			return
		}
		u.inside[finding] = true
		u.insideConnects[s.ev] = true
	}
	if !at.Before(u.lastAt) {
		u.last, u.lastAt, u.lastHow = p, at, s.how
	}
}

// note says which stages' acts made the peer hostile (a download's server
// is no reverse shell's), who connected, who only named it, and how many
// acts of each kind tie to it.
func (u *peerUse) note(addr string, stages []detect.Stage) string {
	// an act inside a channel whose connect is no finding's and was not
	// seen among the connects still proves a connect: count it
	for ev := range u.insideConnects {
		if !u.connects[ev] && ev != nil {
			u.connects[ev] = true
			if u.connector == nil || ev.Time.Before(u.connAt) {
				u.connector, u.connAt = ev.Proc, ev.Time
			}
		}
	}
	var parts []string
	if u.named != nil && (u.connector == nil || u.namedAt.Before(u.connAt)) {
		parts = append(parts, fmt.Sprintf("named in the command line of %s at %s", label(u.named), when(u.namedAt)))
	}
	if u.connector != nil {
		parts = append(parts, fmt.Sprintf("connected to by %s at %s", label(u.connector), when(u.connAt)))
	}
	slices.Sort(stages)
	var ids []string
	for _, st := range stages {
		ids = append(ids, st.ID())
	}
	text := "peer: " + addr + ", a peer of " + strings.Join(ids, " and ") + " acts, " + strings.Join(parts, ", then ")
	var counts []string
	if n := len(u.connects); n > 0 {
		counts = append(counts, plural(n, "connect", "connects"))
	}
	if n := len(u.namers); n > 0 {
		counts = append(counts, plural(n, "command line naming it", "command lines naming it"))
	}
	if n := len(u.inside); n > 0 {
		counts = append(counts, plural(n, "act run inside its channel", "acts run inside its channel"))
	}
	total := len(u.connects) + len(u.namers) + len(u.inside)
	if total > 1 && u.last != nil {
		what := map[peerHow]string{peerConnect: "a connect", peerNamed: "naming it", peerInside: "inside its channel"}[u.lastHow]
		text += fmt.Sprintf("; seen in %s; the last by %s at %s (%s)", strings.Join(counts, ", "), label(u.last), when(u.lastAt), what)
	}
	return text
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
