package timeline

import (
	"fmt"
	"slices"
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

// serviceRunWithin is how soon after its accept a service's program runs
// for the connection (detect/viarequest.go's reqRunWithin).
const serviceRunWithin = 2 * time.Second

// markLocalServices returns the findings with the connects a local
// service answered annotated (copies: PeerService and the reason).
func (b *Builder) markLocalServices(all []*detect.Finding, tree *parser.Tree) []*detect.Finding {
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
		noChannel(&cp, tree, c.shapes[who].Key, time.Unix(0, at))
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
		// (no channel taken back here: which of the port's processes
		// took this connection is not known, so neither is what it ran)
		out[i] = &cp
	}
	return out
}

// noChannel takes back the channel a connect was said to open (a process
// that connects out itself and then starts a command for each task it
// receives) when a service of this host answered it, the process started
// no command after it, and the service ran none for it (within
// serviceRunWithin of its accept: what detect/viarequest.go adopts): the claim's
// second half is not in the log, and the other end is the host's own
// queue, cache or database, not a party that sends tasks (shop-wishlist:
// www-data's cron job putting its checks into the host's beanstalkd). A
// service that ran code for the connection (cuspid-labelfmt: the mill
// worker unpickling what it was sent) keeps the act as it was placed.
// The act stays, as the web account's use of that service, at medium.
func noChannel(f *detect.Finding, tree *parser.Tree, svc parser.ProcKey, answered time.Time) {
	if f.Stage != detect.StageCommandAndControl || !slices.Contains(f.RuleIDs, "web-reverse-shell-connect") || f.Event == nil || tree == nil {
		return
	}
	if startedAfter(tree, f.Event.Proc, f.Event.Time, 0) {
		return // it started a command after the connect: a channel's task, maybe
	}
	for _, p := range tree.ByPID(f.Event.Host, svc.PID) {
		if p.Key == svc && startedAfter(tree, p, answered, serviceRunWithin) {
			return // the service ran something for it
		}
	}
	f.Stage = detect.StageCommandExecution
	if f.Severity > detect.SeverityMedium {
		f.Severity = detect.SeverityMedium
	}
	f.Reason += "; no channel: the process started no command after it (no exec below it in the log), and the service of this host that holds the other end ran none for it: the host's service used, not a party sending tasks"
}

// startedAfter reports whether p, or a fork of it, started a program at t
// or after (within d of t when d > 0).
func startedAfter(tree *parser.Tree, p *parser.Process, t time.Time, d time.Duration) bool {
	if p == nil {
		return false
	}
	tree.LoadChildren(p)
	for _, c := range p.Children {
		e, ok := firstExec(c)
		if ok && !e.Time.Before(t) && (d <= 0 || e.Time.Sub(t) <= d) {
			return true
		}
		if !ok && startedAfter(tree, c, t, d) { // a fork that runs nothing itself
			return true
		}
	}
	return false
}
