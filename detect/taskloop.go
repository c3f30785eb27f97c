package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

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
	if q == nil || s.channels[q] != nil || s.isWebServer(q) || !s.tasksFrom(q) {
		return
	}
	if s.pollParents == nil || len(s.pollParents) >= maxPollParents {
		s.pollParents = map[pollParent]int{}
	}
	k := pollParent{q.Key, ev.Peer.String()}
	s.pollParents[k]++
	// a flagged loop said itself that it polls: its first call is one
	need := pollMinFetches
	if s.loops[q.Key] {
		need = 1
	}
	if s.pollParents[k] < need {
		return
	}
	if ch := s.addChannelOf(q, ev); ch != nil {
		ch.poll = true
	}
}

// tasksFrom reports whether what q starts may be tasks it fetched: q was
// started by a plant, or its own command is a loop that runs what it
// fetches (noteFetchLoop).
func (s *state) tasksFrom(q *parser.Process) bool {
	return s.adoptedAbove(q).planted() || s.loops[q.Key]
}

// RuleFetchRunLoop is the rule of a shell loop that runs what it fetches.
const RuleFetchRunLoop = "fetch-run-loop"

// noteFetchLoop remembers a process whose own command the fetch-run-loop
// rule flagged: a task loop whoever started it (shop-returns: a root
// implant a planted sudo plugin's constructor double-forked, no fork in
// the log, nothing tying it to a plant), so that its children's calls of
// one server open its channel as a plant's poller's do, and what it
// starts after runs in that channel.
func (s *state) noteFetchLoop(f *Finding) {
	if f == nil || f.Event == nil || f.Event.Kind != parser.KindExec || f.Event.Proc == nil || !slices.Contains(f.RuleIDs, RuleFetchRunLoop) {
		return
	}
	if s.loops == nil || len(s.loops) >= maxPollParents {
		s.loops = map[parser.ProcKey]bool{}
	}
	s.loops[f.Event.Proc.Key] = true
}

// A planted process may take its tasks from a file the web server writes
// instead of a socket: it follows the access log (tail -F), and any
// request, logged by the front server, carries a task in its URL
// (shop-pricelist: an implant a trojanised df started read its tasks from
// the analytics pixel's query strings and answered into the web root).
// The log is then its channel: what the process's pipeline runs
// afterwards are tasks received through web requests, and the commands
// are placed as command and control. Only plant-started processes count,
// as for polling: an administrator's tail -f runs nothing from the log,
// and a log shipper is no plant.

// noteLogFeed opens a channel on a plant-started process whose child
// follows a web server's log.
func (s *state) noteLogFeed(ev *parser.Event) {
	p := ev.Proc
	if p == nil || path.Base(ev.Exe) != "tail" || !ev.Success {
		return
	}
	q := p.Parent
	if q == nil || s.channels[q] != nil || s.isWebServer(q) || !s.tasksFrom(q) {
		return
	}
	f, ok := followedWebLog(ev.Args)
	if !ok {
		return
	}
	if ch := s.addChannelOf(q, ev); ch != nil && ch.ev == ev {
		ch.feed, ch.peer = f, "the lines of "+f
	}
}

// followedWebLog returns the web server log a tail command follows (-f,
// -F, --follow), or false.
func followedWebLog(args []string) (string, bool) {
	follow, file := false, ""
	for _, a := range args[min(1, len(args)):] {
		switch {
		case a == "--follow" || strings.HasPrefix(a, "--follow="):
			follow = true
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsAny(a, "fF"):
			follow = true
		case !strings.HasPrefix(a, "-") && webServerLog(a):
			file = a
		}
	}
	return file, follow && file != ""
}

// webServerLog reports whether a path is a web server's request log.
func webServerLog(p string) bool {
	p = path.Clean(p)
	base := path.Base(p)
	if strings.Contains(base, "access") && (strings.Contains(base, ".log") || strings.Contains(base, "_log")) {
		return true
	}
	for _, d := range []string{"/var/log/nginx/", "/var/log/apache2/", "/var/log/httpd/", "/var/log/lighttpd/"} {
		if strings.HasPrefix(p, d) && !strings.Contains(base, "error") {
			return true
		}
	}
	return false
}

// feedOf is the log a channel's process follows, "" for none.
func feedOf(ch *channel) string {
	if ch == nil {
		return ""
	}
	return ch.feed
}
