package timeline

import (
	"fmt"
	"path"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// placePolls re-places the first fetches of a beacon whose loop is in a
// script. The engine knows a poll from the third fetch of one server by
// one parent (detect/poll.go), as events come; at the end of the input
// the parent's whole family is known, so its earlier fetches of that
// server, and their connections, are the same poll: command and control
// (stage 7), with the reason, never another finding; and an upload of
// its to that server, judged data going out before the repetition showed,
// is the beacon's reply (an archive or a dump stays exfiltration).
func (b *Builder) placePolls(all, chainable []*detect.Finding, tree *parser.Tree) []*detect.Finding {
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev := f.Event
		p := procOf(f)
		if ev == nil || p == nil || f.Stage == detect.StageCommandAndControl || f.Tampering ||
			ev.Kind != parser.KindExec && ev.Kind != parser.KindConnect {
			continue
		}
		if len(p.Execs) == 0 || !detect.Fetches(p) && ev.Kind != parser.KindConnect && f.RuleID != "exfil-upload" {
			continue // neither a fetch nor an upload: nothing to poll
		}
		if tree != nil && p.Parent != nil {
			tree.LoadChildren(p.Parent)
		}
		if (f.RuleID == "exfil-upload" || ev.Kind == parser.KindConnect && f.Stage == detect.StageExfiltrationImpact) && detect.PollReply(p) {
			// the beacon's reply before the repetition showed: a task's
			// output going back, not files taken out (an archive or a
			// dump named for upload stays exfiltration: PollReply)
			d := *f
			d.Stage = detect.StageCommandAndControl
			if f.RuleID == "exfil-upload" {
				d.Title = "Task Output Returned On The Channel"
				d.Attack = []string{"T1071.001"}
				d.Why = ""
			}
			d.Reason = fmt.Sprintf("an upload to the server its parent polls, seen over the whole log: the beacon's reply with a task's output (T1071.001), not data staged and sent (was stage %d, %s: %s)", f.Stage, f.Title, f.Reason)
			repl[f] = &d
			continue
		}
		if f.Stage == detect.StageExfiltrationImpact || !detect.PollsPeer(p) {
			continue
		}
		d := *f
		d.Stage = detect.StageCommandAndControl
		d.Reason = fmt.Sprintf("a fetch its parent repeats, of the same server again and again, seen over the whole log: a beacon polling for tasks (T1071.001), not a one-off download (was stage %d: %s)", f.Stage, f.Reason)
		repl[f] = &d
	}
	return replaced(all, chainable, repl)
}

// A beacon that is a program of its own (a Go implant, a python loop)
// polls its server with its own connections, and runs what it fetches as
// children: id, ps, a copy. The engine judged each child as it came, when
// the program had connected once or twice; over the whole log the program
// is seen connecting to one server again and again, so what it runs is a
// task of the beacon: command and control (T1071.001), where the engine
// said command execution or discovery. What a task does beyond that (an
// install, an ssh, an upload, a deletion) keeps its own stage: only
// findings the engine placed on 3 or 4 move, and a task run as root by a
// beacon that is not root keeps 4 (the privilege gained is the act).
// A web server is never such a poller (its connections are to its
// database and backends), nor is anything above it; a client that keeps
// one connection open (HTTP keep-alive) shows one connect and is not
// found this way.
const (
	beaconMinConnects = 5                // connects to one server that make a loop, not a retry
	beaconMinSpan     = 10 * time.Second // and over this long: not a burst of parallel connections
	beaconMaxDepth    = 4                // task → its shells → the beacon
)

type beaconPoll struct {
	peer        string
	n           int
	first, last time.Time
	// clients: the connects were its children's (a shell's loop starting
	// a client per call), not its own
	clients bool
}

// String says what the log shows of the poll.
func (bp beaconPoll) String() string {
	if bp.clients {
		return fmt.Sprintf("started clients that connected to %s %d times from %s to %s", bp.peer, bp.n, when(bp.first), when(bp.last))
	}
	return fmt.Sprintf("connected to %s %d times from %s to %s", bp.peer, bp.n, when(bp.first), when(bp.last))
}

// pollers counts each process's connects per server and keeps those of
// the processes that poll one.
func (b *Builder) pollers() map[parser.ProcKey]beaconPoll {
	type pk struct {
		proc parser.ProcKey
		peer string
	}
	count := map[pk]*beaconPoll{}
	add := func(p *parser.Process, c *parser.Event) {
		k := pk{p.Key, c.Peer.String()}
		s := count[k]
		if s == nil {
			s = &beaconPoll{peer: k.peer, first: c.Time}
			count[k] = s
		}
		s.clients = s.clients || c.Proc != p
		s.n++
		if c.Time.After(s.last) {
			s.last = c.Time
		}
		if c.Time.Before(s.first) {
			s.first = c.Time
		}
	}
	for _, c := range b.connects {
		if c.Proc == nil || b.opts.isWebServer(c.Proc) {
			continue
		}
		add(c.Proc, c)
		// a shell loop that starts a client for each poll (`while
		// c=$(mosquitto_sub …); do sh -c "$c" | mosquitto_pub …; done`)
		// polls through its children: each connects once, the loop
		// again and again
		if par := c.Proc.Parent; par != nil && len(c.Proc.Execs) > 0 && isShellProc(par) && !b.opts.isWebServer(par) {
			add(par, c)
		} else if l := loopOf(c.Proc); l != nil && !b.opts.isWebServer(l) {
			add(l, c)
		}
	}
	out := map[parser.ProcKey]beaconPoll{}
	for k, s := range b.serverPollers { // a beacon inside a server (serverpoll.go)
		out[k] = s
	}
	for k, s := range count {
		if s.n < beaconMinConnects || s.last.Sub(s.first) < beaconMinSpan {
			continue
		}
		if o, ok := out[k.proc]; !ok || s.n > o.n || s.n == o.n && s.peer < o.peer {
			out[k.proc] = *s
		}
	}
	return out
}

// loopOf returns the shell a client's parent was a subshell of when it
// started the client: a script's loop sends each task's answer from a
// `{ …; }` group or a `$(…)` it forks, which starts a client per chunk and
// execs the last one itself (shop-compare: a root implant's answers, nine
// curls under a fork that became curl at its end), or never execs at all.
// The fork had no program of its own yet when its children ran: its
// parent's, the loop's, was the one running. nil when the parent is no
// such fork.
func loopOf(p *parser.Process) *parser.Process {
	q := p.Parent
	if q == nil || q.Parent == nil || len(p.Execs) == 0 || !isShellProc(q.Parent) {
		return nil
	}
	if q.Placeholder && !q.ParentInferred() {
		return q.Parent // a fork that never execs
	}
	if len(q.Execs) > 0 && q.Execs[0].Time.After(p.Execs[0].Time) && !q.Execs[0].Inherited {
		return q.Parent // its children ran before its first exec
	}
	return nil
}

// placeBeaconTasks moves the tasks of a polling program to stage 7, and
// its own connections the engine judged a one-off download.
func (b *Builder) placeBeaconTasks(all, chainable []*detect.Finding) []*detect.Finding {
	var polls map[parser.ProcKey]beaconPoll
	var known map[serverCommand]bool
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		ev, p := f.Event, procOf(f)
		if ev == nil || p == nil || f.Tampering || ev.Kind != parser.KindExec && ev.Kind != parser.KindConnect ||
			f.Stage != detect.StageCommandExecution && f.Stage != detect.StageSuspiciousSpawn {
			continue
		}
		if polls == nil {
			polls = b.pollers()
		}
		if len(polls) == 0 {
			break
		}
		if ev.Kind == parser.KindConnect {
			// the poller's own connection, judged when it was the first:
			// "a download, once" was true of the log so far only
			if bp, ok := polls[p.Key]; ok && bp.peer == ev.Peer.String() {
				d := *f
				d.Stage = detect.StageCommandAndControl
				d.Reason = fmt.Sprintf("observed: %s[%d] %s; inferred from the repetition: a beacon polling its server (T1071.001), not a one-off download (was stage %d: %s)",
					p.Name(), p.Key.PID, bp, f.Stage, f.Reason)
				repl[f] = &d
			}
			continue
		}
		a := p.Parent
		for depth := 0; a != nil && depth < beaconMaxDepth && (!b.opts.isWebServer(a) || b.serverPollers[a.Key].n > 0); depth, a = depth+1, a.Parent {
			bp, ok := polls[a.Key]
			if !ok {
				continue
			}
			if f.Stage == detect.StageSuspiciousSpawn && (p.EUID.Set && p.EUID.N == 0 || identityPrograms[path.Base(p.Exe)]) && !(a.EUID.Set && a.EUID.N == 0) {
				break // root gained under the beacon: the escalation is the act
			}
			if b.opts.isWebServer(a) {
				// a server that polls still does its application's work:
				// a command its program ran before the host's first
				// hostile act (a button the staff press, a status page)
				// is the application's, not the beacon's task
				if known == nil {
					known = b.serverCommandsBefore(all)
				}
				root := p // the server's own child, whose command it chose
				for root.Parent != nil && root.Parent != a {
					root = root.Parent
				}
				if known[serverCommand{p.Key.Host, a.Exe, a.UID.N, commandTemplate(argsOf(root))}] {
					break
				}
			}
			d := *f
			d.Stage = detect.StageCommandAndControl
			d.Reason = fmt.Sprintf("observed: run by %s[%d], which %s; inferred from the repetition: a task of a beacon polling its server (T1071.001) (was stage %d: %s)",
				a.Name(), a.Key.PID, bp, f.Stage, f.Reason)
			if webTitled[f.RuleID] && !b.opts.isWebServer(a) {
				// the web server's rule matched through the beacon's
				// adoption: what the act is, is a task of the beacon
				// (a root implant's `sh -c id` was "Web Server
				// Exploitation")
				d.Title = "Task Run By An Implant"
				d.Why = "a command run by a beacon of the intrusion, a process that reaches one server again and again, itself or through the clients it starts: it fetches a task, runs it, and sends its output back (T1071.001, T1059.004)"
				d.Attack = []string{"T1059.004", "T1071.001"}
			}
			repl[f] = &d
			break
		}
	}
	return replaced(all, chainable, repl)
}

// webTitled are the rules whose titles name the web server as the one
// acting.
var webTitled = map[string]bool{"web-server-exploitation": true, "web-server-shell-spawn": true}

// serverCommand is a command's template as a server's program (image and
// account, on a host) ran it.
type serverCommand struct {
	host, exe string
	uid       uint32
	template  string
}

// serverCommandsBefore returns the commands web servers' programs ran
// before their host's first hostile act: the application's own.
func (b *Builder) serverCommandsBefore(all []*detect.Finding) map[serverCommand]bool {
	first := b.firstHostile(all)
	out := map[serverCommand]bool{}
	for _, ex := range b.webExecs {
		p := ex.Proc
		if p == nil || p.Parent == nil {
			continue
		}
		if h, ok := first[ex.Host]; ok && !ex.Time.Before(h.Time) {
			continue
		}
		out[serverCommand{ex.Host, p.Parent.Exe, p.Parent.UID.N, commandTemplate(ex.Args)}] = true
	}
	return out
}
