package timeline

import (
	"fmt"
	"slices"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Code planted inside a server polls its controller from the server's own
// process: a thread started by an interpreter's start-up file (a rubygems
// operating_system.rb, a Python .pth), a PHP include, a Node preload. No
// process is started and no command is logged; what the audit log shows
// is the server connecting, again and again, to an address. A server
// polls on its own too (a feed, a queue, a health endpoint), so the
// repetition alone says nothing. What does is the order of three things
// the log shows:
//  1. a persistence act of the intrusion (a finding on stage 5 at high or
//     above: a start-up file changed, a hook, a job);
//  2. then the server process starts (a restart: the plant's chance to run);
//  3. and it polls — beaconMinConnects connects over beaconMinSpan or more —
//     an address its program (by image and account, on that host, whatever
//     its process) never reached before the host's first hostile act: the
//     application's own peers are reached from its start, before anything
//     hostile happens.
// Then the poll is taken as the plant firing and beaconing from inside the
// server (inferred, said so, T1071.001, stage 7). The poll's first connect
// is the finding's evidence; what the server's children ran while it
// polled are the beacon's tasks (placeBeaconTasks). An innocent log has no
// persistence act of an intrusion and so no such finding; a server
// restarted after an intrusion's plant that picks up a new peer of its own
// and polls it is the case this cannot tell apart, and the reason says
// what was inferred and why.

// RuleServerPoll is the id of the findings serverPolls makes.
const RuleServerPoll = "web-server-polls-new-address"

// RuleServerPlantFired is the id of the finding serverPolls makes on the
// start of a server it judged to poll for a plant: the restart is where
// the plant fired (stage 5), the poll what it then did (stage 7).
const RuleServerPlantFired = "web-server-plant-fired"

// maxServerStarts bounds the server starts whose exec is kept: servers
// start rarely (their workers fork without exec).
const maxServerStarts = 1024

// serverProgram is a server's program on a host, whatever its process.
type serverProgram struct {
	host, exe string
	uid       uint32
	peer      string
}

func programOf(c *parser.Event) serverProgram {
	var uid uint32
	if c.Proc.UID.Set {
		uid = c.Proc.UID.N
	}
	return serverProgram{c.Host, c.Proc.Exe, uid, c.Peer.String()}
}

// firstHostile returns, per host, the first finding at high or above that
// is the intrusion's: not staging alone, not a server's own act, not a
// correlation.
func (b *Builder) firstHostile(all []*detect.Finding) map[string]*detect.Finding {
	out := map[string]*detect.Finding{}
	for _, f := range all {
		if f.Severity < detect.SeverityHigh || f.NeedsCorroboration || f.Source == "correlation" || f.Time.IsZero() {
			continue
		}
		if p := procOf(f); p != nil && b.opts.isWebServer(p) {
			continue
		}
		if h, ok := out[f.Host]; !ok || f.Time.Before(h.Time) {
			out[f.Host] = f
		}
	}
	return out
}

// serverPolls returns the findings of server processes polling an address
// their program first reached after the host's first hostile act, and
// keeps the pollers for placeBeaconTasks.
func (b *Builder) serverPolls(all []*detect.Finding) []*detect.Finding {
	b.serverPollers = nil
	if len(b.serverPeers) == 0 {
		return nil
	}
	first := b.firstHostile(all)
	if len(first) == 0 {
		return nil
	}
	plant := map[string]*detect.Finding{} // host → its first persistence act
	for _, f := range all {
		if f.Stage != detect.StagePersistence || f.Severity < detect.SeverityHigh || f.Source == "correlation" || f.Time.IsZero() {
			continue
		}
		if h, ok := plant[f.Host]; !ok || f.Time.Before(h.Time) {
			plant[f.Host] = f
		}
	}
	if len(plant) == 0 {
		return nil
	}
	known := map[serverProgram]bool{} // reached before the host's first hostile act
	type procPeer struct {
		proc parser.ProcKey
		peer string
	}
	polls := map[procPeer]*beaconPoll{}
	firstConn := map[procPeer]*parser.Event{}
	var order []procPeer
	for _, c := range b.connects {
		if c.Proc == nil || !b.opts.isWebServer(c.Proc) || !b.intruderPeer(c.Peer.String()) {
			continue
		}
		h, ok := first[c.Host]
		if !ok || c.Time.Before(h.Time) {
			known[programOf(c)] = true
			continue
		}
		k := procPeer{c.Proc.Key, c.Peer.String()}
		s := polls[k]
		if s == nil {
			s = &beaconPoll{peer: k.peer, first: c.Time, last: c.Time}
			polls[k] = s
			order = append(order, k)
		}
		s.n++
		if c.Time.After(s.last) {
			s.last = c.Time
		}
		if c.TextRetained() && firstConn[k] == nil {
			firstConn[k] = c
		}
	}
	var out []*detect.Finding
	var fired map[parser.ProcKey]bool
	for _, k := range order {
		s, c := polls[k], firstConn[k]
		if c == nil || s.n < beaconMinConnects || s.last.Sub(s.first) < beaconMinSpan || known[programOf(c)] {
			continue
		}
		pl, ok := plant[c.Host]
		if start := startOf(c.Proc); !ok || start.IsZero() || start.Before(pl.Time) {
			continue // not started since the intrusion planted something
		}
		h := first[c.Host]
		if b.serverPollers == nil {
			b.serverPollers = map[parser.ProcKey]beaconPoll{}
		}
		if o, ok := b.serverPollers[k.proc]; !ok || s.n > o.n {
			b.serverPollers[k.proc] = *s
		}
		out = append(out, &detect.Finding{
			RuleID: RuleServerPoll, RuleIDs: []string{RuleServerPoll},
			Title:    "Web Server Itself Polling An Address New To It Since The Intrusion",
			Why:      "The server's own process, with no command of its own, connects to one address again and again, and its program never reached that address before the intrusion's first act on the host. Code planted in a server (a start-up file, an include, a preload) beacons this way from inside it; the audit log shows the connections, not what passed over them.",
			Severity: detect.SeverityHigh,
			Attack:   []string{"T1071.001"},
			Stage:    detect.StageCommandAndControl,
			Reason: fmt.Sprintf("observed: %s[%d], a web server process started at %s, after the intrusion's persistence act at %s (%s, %s), %s; its program (%s as uid %d) reached that address no time before %s, the host's first hostile act (%s, %s); inferred: the plant firing in the restarted server and beaconing from inside it (T1071.001)",
				c.Proc.Name(), c.Proc.Key.PID, when(startOf(c.Proc)), when(pl.Time), pl.Title, label(procOf(pl)), s, c.Proc.Exe, programOf(c).uid, when(h.Time), h.Title, label(procOf(h))),
			Time:    c.Time,
			Host:    c.Host,
			Event:   c,
			Process: c.Proc,
			Related: []*parser.Event{pl.Event, h.Event},
			Source:  "correlation",
		})
		if st := b.serverStarts[k.proc]; st != nil && st.TextRetained() && !fired[k.proc] && !slices.Contains(b.opts.Disabled, RuleServerPlantFired) {
			if fired == nil {
				fired = map[parser.ProcKey]bool{}
			}
			fired[k.proc] = true
			out = append(out, &detect.Finding{
				RuleID: RuleServerPlantFired, RuleIDs: []string{RuleServerPlantFired},
				Title:    "Web Server Restarted With Planted Code Since The Intrusion",
				Why:      "A server process started after the intrusion's persistence act and then behaved as code planted in it would: it polled an address its program never reached before the intrusion. The start is where a plant in a start-up file, an include or a preload runs; the log shows the start and what followed, not the code that was loaded. The start itself is often an administrator's or a supervisor's routine restart, so the finding is medium: what it tells is where the plant fired; the poll's own finding is the hostile act.",
				Severity: detect.SeverityMedium,
				Attack:   []string{"T1546"},
				Stage:    detect.StagePersistence,
				Reason: fmt.Sprintf("observed: %s[%d] started at %s, %s after the intrusion's persistence act at %s (%s, %s), and then %s; inferred: the start loaded what was planted, the persistence firing (T1546)",
					c.Proc.Name(), c.Proc.Key.PID, when(st.Time), roundDur(st.Time.Sub(pl.Time)), when(pl.Time), pl.Title, label(procOf(pl)), s),
				Time:    st.Time,
				Host:    st.Host,
				Event:   st,
				Process: c.Proc,
				Related: []*parser.Event{pl.Event, c},
				Source:  "correlation",
			})
		}
	}
	return out
}
