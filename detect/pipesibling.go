package detect

import (
	"fmt"
	"time"
	"weak"

	"github.com/auditchain/auditchain/parser"
)

// A shell runs a pipeline by forking one child per member, one after the
// other. A member that runs a shell's own code (a `while read` loop, a
// subshell in parentheses) never execs, so the audit log, which records
// execs and not forks, has no record of it: its children name it only as
// their ppid, and whose child it is the log does not say. The pids do:
// the kernel hands them out in order, so a pipeline's members are pids in
// a row, started in the same instant. A parent seen only as such whose
// two pids below were started just before by one shell was forked by that
// shell too (desk-attachname: the channel's bash ran `sudo -n cut … |
// tail -n +2 | while read a; do … | sendmail …; done` as 3476, 3477 and
// the loop 3478; sixteen sendmails named 3478, which nothing tied to the
// channel). Inferred: the loop then runs in the shell's channel, and for
// its web server, as the shell does.

// pipeWindow bounds the time from the members' start to the first child
// of the member seen only as a parent.
const pipeWindow = time.Second

// maxRecentForks bounds the execs remembered by pid: only the last
// instant's matter.
const maxRecentForks = 1024

type hostPID struct {
	host string
	pid  int
}

type recentFork struct {
	// parent is the process that forked it: weak, so that the ring keeps
	// no process in memory (a spilled or finished one is let go)
	parent weak.Pointer[parser.Process]
	at     time.Time
}

// recentForks remembers the latest execs by pid, at most maxRecentForks.
type recentForks struct {
	by ringMap[hostPID, recentFork]
}

func (r *recentForks) note(ev *parser.Event) {
	p := ev.Proc
	if ev.Kind != parser.KindExec || p == nil || p.Parent == nil || p.Parent.Placeholder {
		return
	}
	r.by.put(hostPID{ev.Host, p.Key.PID}, recentFork{parent: weak.Make(p.Parent), at: ev.Time}, maxRecentForks)
}

// pipelineParent returns the shell that forked q, a process seen only as
// a parent, by the two pids below q (see above); nil when they do not
// tell.
func (r *recentForks) pipelineParent(q *parser.Process, at time.Time) *parser.Process {
	if r.by.m == nil || q.Key.PID < 3 {
		return nil
	}
	a, okA := r.by.get(hostPID{q.Key.Host, q.Key.PID - 1})
	b, okB := r.by.get(hostPID{q.Key.Host, q.Key.PID - 2})
	if !okA || !okB || a.parent != b.parent {
		return nil
	}
	for _, m := range [...]recentFork{a, b} {
		if m.at.After(at) || at.Sub(m.at) > pipeWindow {
			return nil
		}
	}
	return a.parent.Value() // nil once let go
}

// adoptPipelineMember puts an exec's parent, a pipeline member seen only
// as a parent, in its shell's channel and under its web server.
func (s *state) adoptPipelineMember(ev *parser.Event) {
	p := ev.Proc
	if ev.Kind != parser.KindExec || p == nil {
		return
	}
	q := p.Parent
	if q == nil || !q.Placeholder || q.Parent != nil || s.channels[q] != nil || s.adopted[q] != nil {
		return
	}
	sh := s.forks.pipelineParent(q, ev.Time)
	// a shell's pipeline, and the member's child runs as the shell does:
	// a build tool forking compilers, or another account's processes,
	// also take pids in a row on a busy host (a test run's go tool beside
	// a lab capture: its test binaries were adopted before this bound)
	if sh == nil || !isShell(sh.Exe) || !ev.UID.Set || !sh.UID.Set || ev.UID.N != sh.UID.N {
		return
	}
	in := s.info(sh)
	if in.channel == nil && (in.web == nil || in.webSelf) {
		return
	}
	if in.channel != nil {
		s.joinChannel(q, in.channel)
	}
	if in.web != nil && !in.webSelf {
		s.adoptFor(q, in.web)
	}
	if s.pipeMembers == nil || len(s.pipeMembers) >= maxChannels {
		s.pipeMembers = map[parser.ProcKey]int{} // the reasons of the oldest go; the adoptions stay
	}
	s.pipeMembers[q.Key] = sh.Key.PID
}

// pipeReason says, for a finding's process that runs below a pipeline
// member adopted so, that its place is inferred and from what; "" when no
// ancestor was.
func (s *state) pipeReason(p *parser.Process) string {
	if len(s.pipeMembers) == 0 {
		return ""
	}
	for i := 0; p != nil && i < maxAncestry; i, p = i+1, p.Parent {
		if sh, ok := s.pipeMembers[p.Key]; ok {
			return fmt.Sprintf("; inferred: pid %d, which the log shows only as a parent (a pipeline member that runs no program of its own, such as a while loop), is taken for a child of pid %d, whose children %d and %d started just before its own: a shell forks a pipeline's members one after another and pids are handed out in order",
				p.Key.PID, sh, p.Key.PID-1, p.Key.PID-2)
		}
	}
	return ""
}

// joinChannel makes p run in ch, as the opener's pipeline shell does
// (addChannelOf), within the same bound.
func (s *state) joinChannel(p *parser.Process, ch *channel) {
	for len(s.chanOrder) >= maxChannels {
		old := s.chanOrder[0]
		delete(s.channels, old)
		s.chanOrder = s.chanOrder[1:]
		old.Unpin()
	}
	p.Pin()
	s.channels[p] = ch
	s.chanOrder = append(s.chanOrder, p)
	s.anc.gen++
}
