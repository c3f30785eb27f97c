package timeline

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// sshd's accepts and the login records of sessions are bounded by repeats
// (repeats.go): past DefaultLinkRepeats of one account from one address
// the later ones are counted, not kept, and the first are what chains
// link by. On a long archive that is the wrong end: an admin's every-day
// ssh from 127.0.0.1 fills the bound in the first copies, and an
// intruder's ssh to another local account halfway through the log finds
// no accept and no login to tie its session to (the busy-server log at
// 5 GB: the deploy account's commands after the hop stood in a chain of
// their own). An accept can only be linked to an ssh client's connect the
// log holds; so an accept from an address this host's own processes had
// just connected to port 22 from, and the login records that accept's
// daemon writes, are kept past the bound. What a forged flood of such
// connects could make it keep is bounded too (maxSSHLinkKeeps).

const (
	// from the client's connect to its accept (the matcher's own window,
	// link_host.go loginOf), and from the accept to its session's login
	// records
	sshConnectWindow = 2 * time.Second
	sshLoginWindow   = 30 * time.Second
	maxSSHConnects   = 4096 // addresses remembered at once
	maxSSHLinkKeeps  = 4096 // accepts and logins kept past the bound
)

type sshLinks struct {
	connects map[hostIP]time.Time          // last ssh client connect to each address
	daemons  map[*parser.Process]time.Time // sshd processes whose accept was kept so
	kept     int
}

// hostIP is an address as one host sees it.
type hostIP struct{ host, ip string }

// noteSSHConnect remembers a connect to port 22.
func (b *Builder) noteSSHConnect(ev *parser.Event) {
	if ev.Peer.Port != 22 || ev.Peer.IP == "" || ev.Failed() && ev.Exit != -115 {
		return
	}
	l := &b.sshLinks
	if l.connects == nil || len(l.connects) >= maxSSHConnects {
		l.connects = map[hostIP]time.Time{}
	}
	l.connects[hostIP{ev.Host, ev.Peer.IP}] = ev.Time
}

// sshLinkable reports whether an sshd accept follows a connect of this
// host to its client's address, port 22, within sshConnectWindow.
func (b *Builder) sshLinkable(ev *parser.Event) bool {
	l := &b.sshLinks
	if l.kept >= maxSSHLinkKeeps || ev.Proc == nil {
		return false
	}
	t, ok := l.connects[hostIP{ev.Host, ev.Peer.IP}]
	if !ok || ev.Time.Before(t.Add(-time.Second)) || ev.Time.Sub(t) > sshConnectWindow {
		return false
	}
	if l.daemons == nil || len(l.daemons) >= maxSSHConnects {
		l.daemons = map[*parser.Process]time.Time{}
	}
	l.daemons[ev.Proc] = ev.Time
	return true
}

// loginLinkable reports whether a login record is written by (or just
// below) an sshd process whose accept sshLinkable kept, within
// sshLoginWindow of it.
func (b *Builder) loginLinkable(ev *parser.Event) bool {
	l := &b.sshLinks
	if l.kept >= maxSSHLinkKeeps || ev.Proc == nil || len(l.daemons) == 0 {
		return false
	}
	for p, n := ev.Proc, 0; p != nil && n < 3; p, n = p.Parent, n+1 {
		if t, ok := l.daemons[p]; ok && !ev.Time.Before(t) && ev.Time.Sub(t) <= sshLoginWindow {
			return true
		}
	}
	return false
}

// keepLinkable keeps ev in list past the repeat bound (not past MaxKept),
// whole: its text is retained, so the bound's thinning leaves it too
// (heldElsewhere).
func (b *Builder) keepLinkable(list *[]*parser.Event, ev *parser.Event) {
	if b.heldLen(list) >= b.opts.MaxKept {
		b.dropped++
		return
	}
	b.sshLinks.kept++
	if b.opts.PackKept {
		b.hold(list, ev) // in the order keep gives (settle leaves it whole)
	} else {
		*list = append(*list, ev)
	}
	b.kept++
	b.added++
	ev.Retain(parser.KeepFields)
	ev.Retain(parser.KeepText)
}
