package timeline

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Requests that came in through an ssh reverse tunnel. `ssh -R
// [bind:]port:host:hostport` asks the attacker's ssh server to listen on
// bind:port and, for each connection made there, has this ssh client
// connect to host:hostport here — the web server. Such a request is the
// attacker's command and control, whatever client it claims. Two things
// in the evidence tie a request to the tunnel (inferred, said with why):
//   - the request's Host (the access log's vhost: lighttpd's %V, Apache's
//     %v:%p, nginx's $host) is the tunnel's listen address — the client
//     addressed the attacker's end of the tunnel;
//   - the tunnel's ssh client connected to the forward target while the
//     request was being served (it connects as the request starts).
// Both must hold; a Host alone is the client's to choose, and a connect
// alone does not say which request it carried.

// tunnel is one -R forward of an ssh client that connected to its target.
type tunnel struct {
	ssh      *parser.Process
	spec     string // the -R argument as given
	bind     string // the remote listen host ("" when not given)
	port     string // the remote listen port
	target   string // host:hostport, as connected to
	connects []*parser.Event
}

// reverseForwards returns the -R specs of an ssh argv.
func reverseForwards(args []string) []string {
	var out []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-R" && i+1 < len(args):
			out = append(out, args[i+1])
			i++
		case strings.HasPrefix(a, "-R") && len(a) > 2:
			out = append(out, a[2:])
		}
	}
	return out
}

// parseForward splits [bind:]port:host:hostport (no IPv6 brackets).
func parseForward(spec string) (bind, port, host, hostport string, ok bool) {
	f := strings.Split(spec, ":")
	switch len(f) {
	case 3:
		port, host, hostport = f[0], f[1], f[2]
	case 4:
		bind, port, host, hostport = f[0], f[1], f[2], f[3]
	default:
		return "", "", "", "", false
	}
	if _, err := strconv.Atoi(port); err != nil {
		return "", "", "", "", false
	}
	if _, err := strconv.Atoi(hostport); err != nil {
		return "", "", "", "", false
	}
	return bind, port, host, hostport, true
}

// tunnels finds the reverse forwards whose ssh client connected to the
// forward's target.
func (b *Builder) tunnels() []*tunnel {
	var out []*tunnel
	byKey := map[string]*tunnel{}
	for _, c := range b.connects {
		p := c.Proc
		if p == nil || path.Base(p.Exe) != "ssh" {
			continue
		}
		for _, spec := range reverseForwards(p.Args) {
			bind, port, host, hostport, ok := parseForward(spec)
			if !ok || !forwardTarget(host, hostport, c.Peer) {
				continue
			}
			k := fmt.Sprintf("%p %s", p, spec)
			t := byKey[k]
			if t == nil {
				t = &tunnel{ssh: p, spec: spec, bind: bind, port: port, target: c.Peer.String()}
				byKey[k] = t
				out = append(out, t)
			}
			t.connects = append(t.connects, c)
		}
	}
	return out
}

// forwardTarget reports whether a connect went to a forward's host:hostport.
func forwardTarget(host, hostport string, peer parser.Addr) bool {
	if strconv.Itoa(peer.Port) != hostport {
		return false
	}
	return host == peer.IP || host == "localhost" && (peer.IP == "127.0.0.1" || peer.IP == "::1")
}

// listens reports whether a request's Host names the tunnel's listen
// address (a bind of localhost or none is the loopback).
func (t *tunnel) listens(vhost string) bool {
	h, p, ok := strings.Cut(vhost, ":")
	if !ok || p != t.port {
		return false
	}
	switch t.bind {
	case "", "localhost", "127.0.0.1":
		return h == "localhost" || h == "127.0.0.1"
	case "*", "0.0.0.0":
		return true
	}
	return h == t.bind
}

// tunnelOf returns the tunnel request r came through and why, or nil.
func tunnelOf(ts []*tunnel, r *parser.Event, span reqSpan) (*tunnel, string) {
	if r == nil || r.HTTP == nil || r.HTTP.VHost == "" {
		return nil, ""
	}
	for _, t := range ts {
		if !sameHost(t.ssh.Key.Host, r.Host) || !t.listens(r.HTTP.VHost) {
			continue
		}
		// the client connects as the request starts: the last connect
		// before the request ended, if within its life (or just before
		// its first instant)
		var last *parser.Event
		for _, c := range t.connects {
			if !c.Time.After(span.end.Add(spanSlack)) && !c.Time.Before(span.start.Add(-time.Second)) {
				last = c
			}
		}
		if last != nil {
			return t, fmt.Sprintf("inferred: came in through the reverse tunnel of ssh pid %d (-R %s): the request's Host %s is the tunnel's remote listen address, and the ssh client connected to %s at %s, while the request was served (%s)",
				t.ssh.Key.PID, t.spec, r.HTTP.VHost, t.target, when(last.Time), spanText(span))
		}
	}
	return nil, ""
}

// markTunnels notes, on each request link whose request came in through
// a reverse tunnel, the tunnel and why.
func (b *Builder) markTunnels(out map[*parser.Process]RequestLink) {
	ts := b.tunnels()
	if len(ts) == 0 {
		return
	}
	for p, rl := range out {
		if rl.Request == nil {
			continue // an ambiguous link names no request
		}
		t, why := tunnelOf(ts, rl.Request, b.spanOf(rl.Request))
		if t == nil {
			continue
		}
		rl.Tunnel, rl.TunnelReason = t.ssh, why
		rl.Reason += "; " + why // said where the link is shown
		out[p] = rl
	}
}

// placeTunneled re-places what a tunneled request ran: a command a web
// server ran for the attacker's channel is command and control (stage 7,
// as what runs inside a reverse shell is), not the plain command execution
// (3) or suspicious spawn (4) it looks like on its own. Effects (5, 6, 8)
// keep their stage, as everywhere. The finding is copied (Build does not
// modify its input) and says why, inferred.
func (b *Builder) placeTunneled(all, chainable []*detect.Finding, cz causality) []*detect.Finding {
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		if f.Stage != detect.StageCommandExecution && f.Stage != detect.StageSuspiciousSpawn {
			continue
		}
		rl, ok := tunneledRequest(procOf(f), cz)
		if !ok {
			continue
		}
		d := *f
		d.Stage = detect.StageCommandAndControl
		d.Reason = fmt.Sprintf("run for %s, which %s — the attacker's channel (was stage %d: %s)",
			describeRequest(rl.Request), strings.TrimPrefix(rl.TunnelReason, "inferred: "), f.Stage, f.Reason)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}

// tunneledRequest returns the tunneled request link of p's request: of
// p or its nearest ancestor that a request is tied to.
func tunneledRequest(p *parser.Process, cz causality) (RequestLink, bool) {
	for i := 0; p != nil && i < 4096; i, p = i+1, p.Parent {
		if rl, ok := cz.execs[p]; ok {
			return rl, rl.Tunnel != nil && rl.Request != nil
		}
	}
	return RequestLink{}, false
}
