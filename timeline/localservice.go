package timeline

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A connection the intrusion opened to a service of the host itself (the
// shop's Redis on 127.0.0.1:6379, a database on its own address) is the
// victim's service used, not a peer to block: the clean-up must not tell
// the responder to cut the site off its cache. The connect record names
// the peer but not its own source port, so no record ties it to the
// service's accept; the order does. A connect answered within
// serviceAnswerWithin by one process of the host — an accept from the
// connect's peer address (a connection to an address of the host comes
// from that address), and no other process accepting from it in that
// time, nor a web server by name (the site's own front: a self-fetch) —
// is taken as answered by that process: inferred, and said so. A peer
// no process of the host answered (the intruder's listener) stays one to
// block, and so does a port sshd answered that is not its own: a
// session's forwarded port leads off the host.

const serviceAnswerWithin = 20 * time.Millisecond

// markLocalServices returns the findings with the connects a local
// service answered annotated (copies: PeerService and the reason).
func (b *Builder) markLocalServices(all []*detect.Finding) []*detect.Finding {
	c := &b.workerAccepts.conns
	if len(c.by) == 0 {
		return all
	}
	want := map[hostIP]bool{}
	for _, f := range all {
		if ev := f.Event; ev != nil && ev.Kind == parser.KindConnect && ev.Peer.Port != 0 && ev.Peer.IP != "" {
			want[hostIP{ev.Host, ev.Peer.IP}] = true
		}
	}
	if len(want) == 0 {
		return all
	}
	byIP := map[hostIP][]connAccept{}
	for k, as := range c.by {
		if hk := (hostIP{k.host, k.ip}); want[hk] {
			byIP[hk] = append(byIP[hk], as...)
		}
	}
	for _, as := range byIP {
		sort.Slice(as, func(i, j int) bool { return as[i].at < as[j].at })
	}
	out := all
	copied := false
	for i, f := range all {
		ev := f.Event
		if ev == nil || ev.Kind != parser.KindConnect || ev.Peer.Port == 0 || ev.Proc == nil {
			continue
		}
		as := byIP[hostIP{ev.Host, ev.Peer.IP}]
		lo, hi := ev.Time.Add(-time.Millisecond).UnixNano(), ev.Time.Add(serviceAnswerWithin).UnixNano()
		who, at, ok := int32(-2), int64(0), true
		for j := sort.Search(len(as), func(j int) bool { return as[j].at >= lo }); j < len(as) && as[j].at <= hi; j++ {
			a := as[j]
			if a.who < 0 || c.shapes[a.who].Key == ev.Proc.Key || who >= 0 && a.who != who {
				ok = false // a web server's own front, the process itself, or two candidates
				break
			}
			if who < 0 {
				who, at = a.who, a.at
			}
		}
		if !ok || who < 0 {
			continue
		}
		if strings.HasPrefix(c.names[who], "sshd[") && !b.isSSHPort(ev.Peer.Port) {
			// sshd accepting on another port is a session's forwarded
			// port (ssh -R, -L): the connection goes on to wherever that
			// session's client is, no service of this host
			continue
		}
		if !copied {
			out = append([]*detect.Finding(nil), all...)
			copied = true
		}
		cp := *f
		cp.PeerService = c.names[who]
		after := "within a millisecond of"
		if d := time.Duration(at - ev.Time.UnixNano()); d >= time.Millisecond {
			after = d.Round(time.Millisecond).String() + " after"
		}
		cp.Reason += fmt.Sprintf("; answered by %s, a service of this host: its accept of a connection from %s came %s the connect (inferred by address and time: a connect record names no source port)",
			c.names[who], ev.Peer.IP, after)
		out[i] = &cp
	}
	// a port is one listener's: the other connects to a peer a local
	// service answered are to that service too (one whose accept another
	// accept blurred, or a second connect of a client that retried)
	type hostPeer struct{ host, peer string }
	answered := map[hostPeer]*detect.Finding{}
	for _, f := range out {
		if f.PeerService != "" {
			if k := (hostPeer{f.Host, f.Event.Peer.String()}); answered[k] == nil {
				answered[k] = f
			}
		}
	}
	for i, f := range out {
		ev := f.Event
		if f.PeerService != "" || ev == nil || ev.Kind != parser.KindConnect {
			continue
		}
		a := answered[hostPeer{f.Host, ev.Peer.String()}]
		if a == nil {
			continue
		}
		if !copied {
			out = append([]*detect.Finding(nil), all...)
			copied = true
		}
		cp := *f
		cp.PeerService = a.PeerService
		cp.Reason += fmt.Sprintf("; %s is the port %s answered at %s (another connect to it; inferred: a port is one listener's)",
			ev.Peer.String(), a.PeerService, a.Time.UTC().Format("15:04:05.000"))
		out[i] = &cp
	}
	return out
}
