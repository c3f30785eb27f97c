package timeline

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A web server's own process that connects to the intruder's server did
// something for the intruder with no process of its own: an import of a
// URL fetching the implant (ledger-receipt's ledgerd, Go net/http), an
// SSRF, code running in the interpreter that talks to its C2. The engine
// sees such a connect one event at a time, when the address is nobody's
// yet; over the whole log the address is known as hostile — the peer of
// a reverse shell, a beacon, a download run for the intrusion, data sent
// out (high findings of stages 4, 7 and 8 that are not the server's own
// and not staging alone: a medium download is what a cron job does). Each
// server process's first connect to such an address becomes a finding of
// its own, observed (the connect record) with what it is inferred to be
// said in its reason: before the address's first use by the intrusion it
// is taken as a fetch for it (ingress, T1105, stage 4); after, as the
// server's own traffic with the intruder's server (stage 7). What passed
// over the connection the audit log does not show.

// serverPeer is one server process's connects to one address (its parts,
// not its text: Observe asks for every connect a server makes, and a
// string per connect would be an allocation on that path).
type serverPeer struct {
	proc parser.ProcKey
	ip   string
	port int
}

func serverPeerOf(ev *parser.Event) serverPeer {
	return serverPeer{ev.Proc.Key, ev.Peer.IP, ev.Peer.Port}
}

// CorrelationRules are the ids of the findings the timeline draws from
// several records that no rule of the engine sees together (serverfetch.go,
// traversalwrite.go). --disable-rule turns them off like any rule.
var CorrelationRules = []string{RuleServerFetch, RuleServerPoll, RuleServerPlantFired, RuleServerSSH, RuleTraversalWrite, RuleConfigPlantFired}

// correlations returns the findings of the correlation rules not disabled.
func (b *Builder) correlations(all []*detect.Finding) []*detect.Finding {
	var out []*detect.Finding
	if !slices.Contains(b.opts.Disabled, RuleServerFetch) {
		out = append(out, b.serverFetches(all)...)
	}
	if !slices.Contains(b.opts.Disabled, RuleServerPoll) {
		out = append(out, b.serverPolls(all)...)
	}
	if !slices.Contains(b.opts.Disabled, RuleServerSSH) {
		out = append(out, b.serverSSHLogins(all)...)
	}
	if !slices.Contains(b.opts.Disabled, RuleTraversalWrite) {
		out = append(out, b.traversalWrites(all)...)
	}
	if !slices.Contains(b.opts.Disabled, RuleConfigPlantFired) {
		out = append(out, b.configPlants(all)...)
	}
	return out
}

// maxServerPeers bounds the pairs whose first connect keeps its text: a
// server's connects to its database and backends are a few pairs.
const maxServerPeers = 4096

// maxServerSSHText bounds the servers' own ssh connects whose text is kept.
const maxServerSSHText = 1024

// RuleServerFetch is the id of the findings serverFetches makes.
const RuleServerFetch = "web-server-connects-to-intruder"

// keepServerPeer keeps the record text of a web server process's first
// connect to each address, which a finding may quote at the end.
func (b *Builder) keepServerPeer(ev *parser.Event) {
	if ev.Proc == nil || !b.opts.isWebServer(ev.Proc) {
		return
	}
	if b.isSSHPort(ev.Peer.Port) && b.serverSSHText < maxServerSSHText {
		// every ssh connect of a server keeps its text: a login it opens
		// after the intrusion is quoted by serverssh.go, however often the
		// application logged in there before
		b.serverSSHText++
		ev.Retain(parser.KeepText)
	}
	k := serverPeerOf(ev)
	if b.serverPeers[k] {
		return
	}
	if b.serverPeers == nil {
		b.serverPeers = map[serverPeer]bool{}
	}
	if len(b.serverPeers) >= maxServerPeers {
		return
	}
	b.serverPeers[k] = true
	ev.Retain(parser.KeepText)
}

// serverFetches returns the findings of web server processes connecting
// to an address the intrusion's findings use.
func (b *Builder) serverFetches(all []*detect.Finding) []*detect.Finding {
	if len(b.serverPeers) == 0 {
		return nil
	}
	hostile := map[peerKey]*detect.Finding{} // the first finding that makes an address the intruder's
	flagged := map[*parser.Event]bool{}
	for _, f := range all {
		if f.Event != nil {
			flagged[f.Event] = true
		}
		switch f.Stage {
		case detect.StageSuspiciousSpawn, detect.StageCommandAndControl, detect.StageExfiltrationImpact:
		default:
			continue
		}
		if f.Severity < detect.SeverityHigh || f.NeedsCorroboration || f.RuleID == RuleServerFetch {
			// a medium download, or staging alone, is what a cron job or
			// a webhook does too: it makes nobody's address hostile
			continue
		}
		if p := procOf(f); p != nil && b.opts.isWebServer(p) {
			continue // the server's own act is what is asked about, not the evidence
		}
		for _, a := range peersOf(f) {
			if !b.intruderPeer(a) {
				continue
			}
			k := peerKey{f.Host, a}
			if h, ok := hostile[k]; !ok || f.Time.Before(h.Time) {
				hostile[k] = f
			}
		}
	}
	if len(hostile) == 0 {
		return nil
	}
	b.dropRoutinePeers(all, hostile)
	if len(hostile) == 0 {
		return nil
	}
	seen := map[serverPeer]bool{}
	var out []*detect.Finding
	for _, c := range b.connects {
		if c.Proc == nil || flagged[c] || !c.TextRetained() || !b.opts.isWebServer(c.Proc) {
			continue
		}
		a := c.Peer.String()
		h, ok := hostile[peerKey{c.Host, a}]
		if !ok {
			continue
		}
		k := serverPeerOf(c)
		if seen[k] {
			continue
		}
		seen[k] = true
		stage, what := detect.StageSuspiciousSpawn, "before the intrusion's first use of the address, the server itself reached it for the intruder: a URL it was made to fetch (an import, a preview: ingress tool transfer, T1105, or a server-side request forgery) or code planted in it opening a channel"
		attack := []string{"T1105"}
		if !c.Time.Before(h.Time) {
			stage, what = detect.StageCommandAndControl, "after the intrusion's first use of the address, the server's own traffic with the intruder's server (code running inside the server, T1071)"
			attack = []string{"T1071"}
		}
		who := "a web server process"
		if detect.CheckFork(c.Proc) {
			who = "a process running the web server's program"
			// no request, no URL: a configuration check serves nothing
			parent := ""
			if c.Proc.ParentInferred() {
				parent = " (its parent inferred: it ran that program's image before any exec of its own)"
			}
			stage, what = detect.StagePersistence, fmt.Sprintf("it is the background fork of %s, %s, a configuration check%s, which loads what the configuration names and exits: a fork of it that outlives it and reaches the intruder's server is code the configuration loaded, a planted module or extension firing (T1505), the persistence at work", label(c.Proc.Parent), clipCommand(strings.Join(c.Proc.Parent.Args, " "), 120), parent)
			attack = []string{"T1505"}
		}
		out = append(out, &detect.Finding{
			RuleID: RuleServerFetch, RuleIDs: []string{RuleServerFetch},
			Title:    "Web Server Itself Connected To The Intruder's Server",
			Why:      "The web server's own process, with no command of its own, connected to an address that the intrusion's findings use. An application does this for the intruder when a request makes it fetch a URL (an import, a preview, a webhook) or when code planted in it runs; the audit log shows the connection, not what passed over it.",
			Severity: detect.SeverityHigh,
			Attack:   attack,
			Stage:    stage,
			Reason: fmt.Sprintf("observed: %s[%d], %s, connected to %s at %s; inferred: %s, because %s at %s (%s, stage %d) uses the same address",
				c.Proc.Name(), c.Proc.Key.PID, who, a, when(c.Time), what, h.Title, when(h.Time), label(procOf(h)), h.Stage),
			Time:    c.Time,
			Host:    c.Host,
			Event:   c,
			Process: c.Proc,
			Related: []*parser.Event{h.Event},
			Source:  "correlation",
		})
	}
	return out
}

// minRoutineConnects is how many times the servers must have reached an
// address before the intrusion began for it to be their own backend.
const minRoutineConnects = 2

// dropRoutinePeers takes out of hostile the addresses the web servers'
// own processes reached, again and again, before the intrusion's first
// high finding: the application's backend (a database, a queue worker it
// hands jobs to), which the intruder may reach too — that use is judged
// by its own finding — but which the server's traffic to is not the
// intruder's (cuspid-labelfmt: the app queues milling jobs with the mill
// worker on 127.0.0.1:6010 every 20 s from the start of the day; the
// intruder's pickle to the same listener made every later job look like
// a connect to the intruder's server).
func (b *Builder) dropRoutinePeers(all []*detect.Finding, hostile map[peerKey]*detect.Finding) {
	var start time.Time
	for _, f := range all {
		if f.Severity >= detect.SeverityHigh && f.RuleID != RuleServerFetch && (start.IsZero() || f.Time.Before(start)) {
			start = f.Time
		}
	}
	if start.IsZero() {
		return
	}
	before := map[peerKey]int{}
	for _, c := range b.connects {
		if c.Proc == nil || !c.Time.Before(start) || !b.opts.isWebServer(c.Proc) {
			continue
		}
		k := peerKey{c.Host, c.Peer.String()}
		if _, ok := hostile[k]; ok {
			before[k]++
		}
	}
	for k, n := range before {
		if n >= minRoutineConnects {
			delete(hostile, k)
		}
	}
}

// intruderPeer: an address that can be the intruder's own: not ssh's or
// DNS's ports (shared infrastructure, with rules of their own).
func (b *Builder) intruderPeer(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	n, _ := strconv.Atoi(port)
	if n == 0 || n == 53 {
		return false
	}
	for _, p := range b.opts.SSHPorts {
		if n == p {
			return false
		}
	}
	return true
}
