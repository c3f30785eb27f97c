package timeline

import (
	"fmt"
	"hash/maphash"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A job cron starts is there because a crontab line was: its schedule is
// evidence of when it was established, whatever its count. When no cron
// file or crontab of the host was changed in the log before the job's
// first run, and such changes would have been recorded (watches on cron
// files or audited writes, and crontab's execs), the line predates the
// log and so everything the log holds: the routine test's second
// condition (established before anything suspicious) holds without the
// many runs a short log cannot give (shop-pricelist: two minutes, and
// www-data's every-minute ssh to deploy for the supplier feeds ran twice,
// high both times). The third condition stays: a job that evidence ties
// to an attacker (a flagged act below it, a chain with a high finding by
// evidence) is never demoted. What the log cannot tell is a job an
// intruder planted before the log began; it is listed in the routine
// section with this reason, not deleted.

// minScheduledRuns is how many runs a job needs to be taken as one
// cron repeats rather than a one-off (at, a crontab's @reboot).
const minScheduledRuns = 2

// cronFile reports whether a path is one cron reads jobs from.
func cronFile(p string) bool {
	p = path.Clean(p)
	if strings.HasPrefix(p, "/var/spool/cron/atjobs/") || strings.HasPrefix(p, "/var/spool/cron/atspool/") {
		return false
	}
	return strings.HasPrefix(p, "/etc/cron") || strings.HasPrefix(p, "/var/spool/cron/") || p == "/etc/anacrontab"
}

// crontabInstalls reports whether crontab(1) run with args installs or
// removes a crontab, not only lists it.
func crontabInstalls(args []string) bool {
	for _, a := range args[min(1, len(args)):] {
		if a == "-l" || a == "-V" {
			return false
		}
	}
	return true
}

func (b *Builder) noteCronChange(ev *parser.Event) {
	if b.cronChanged == nil {
		b.cronChanged = map[string]time.Time{}
	}
	if t, ok := b.cronChanged[ev.Host]; !ok || ev.Time.Before(t) {
		b.cronChanged[ev.Host] = ev.Time
	}
}

// scheduledBefore reports whether a template's units of work are jobs of
// a schedule that predates the log: started by cron, at least
// minScheduledRuns of them, with no cron change on the host recorded
// before the first (and changes recordable).
func (b *Builder) scheduledBefore(k routineKey, occ map[any]time.Time, visible bool) (stat, bool) {
	if !visible || k.server != "cron" || len(occ) < minScheduledRuns {
		return stat{}, false
	}
	var st stat
	for _, at := range occ {
		stretch(&st.first, &st.last, at)
	}
	if t, ok := b.cronChanged[k.host]; ok && !t.After(st.first) {
		return stat{}, false
	}
	st.counted, st.scheduled = len(occ), true
	if sp := b.spans[k.host]; sp != nil && sp[1].After(sp[0]) {
		st.share = int(100 * int64(st.last.Sub(st.first)) / int64(sp[1].Sub(sp[0])))
	}
	return st, true
}

// jobKey is the key of the job a unit's process runs below, when the
// unit is not the job's own command but something the job started: cron
// jobs only, whose runs the job's command counts.
func (l *linker) jobKey(u routineUnit) (routineKey, bool) {
	if u.anchor == nil || u.key.server != "cron" {
		return routineKey{}, false
	}
	jk := routineKey{u.key.host, u.key.server, l.rootTemplate(u.anchor, argsOf(u.anchor))}
	if jk == u.key {
		return routineKey{}, false
	}
	return jk, true
}

func scheduledWhy(g *Routine, st stat) string {
	if st.job != "" {
		return fmt.Sprintf("it ran in %d of the %d runs from %s to %s of a job cron started (%s): what the job's own command does in a run; no cron file or crontab of the host was changed in the log before the job's first run (such changes are recorded here), so its schedule predates the log; nothing flagged follows from it and no evidence ties it to an attacker",
			g.Count, st.counted, when(st.first), when(st.last), clipCommand(st.job, 200))
	}
	return fmt.Sprintf("a job cron started %d times from %s to %s; no cron file or crontab of the host was changed in the log before its first run (such changes are recorded here), so its schedule predates the log; nothing flagged follows from it and no evidence ties it to an attacker",
		g.Count, when(g.FirstSeen), when(g.LastSeen))
}

// maxJobWalk bounds the processes a scheduler's index looks at.
const maxJobWalk = 1 << 14

// jobRuns indexes, per scheduler, the runs of its jobs by command line:
// each scheduler's children are walked once, however many units ask.
// Command lines are keyed by a digest (a hostile argv may be megabytes
// long); a digest two command lines share keeps the first one's runs
// only, which can only keep a job from being taken as scheduled.
type jobRuns struct {
	seed maphash.Seed
	idx  map[*parser.Process]map[uint64]*jobCmd
}

type jobCmd struct {
	args []string
	runs map[any]time.Time
	// first is each user's earliest run, filled once when asked
	// (firstRun): a job cron runs every minute asks for it at every run
	first map[string]time.Time
}

func newJobRuns() *jobRuns {
	return &jobRuns{seed: maphash.MakeSeed(), idx: map[*parser.Process]map[uint64]*jobCmd{}}
}

func (j *jobRuns) sum(args []string) uint64 {
	var h maphash.Hash
	h.SetSeed(j.seed)
	for _, a := range args {
		h.WriteString(a)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// of returns the runs of a's cron job: the processes with a's very
// command line (a crontab line is one; templates would take two scripts
// of one folder for one job) that the scheduler above a, or a fork of it
// per run, started. The scheduler's children are held in the tree while
// they matter; a run already let go is not counted, which only keeps a
// job from being taken as scheduled.
func (j *jobRuns) of(a *parser.Process) map[any]time.Time {
	if e := j.job(a); e != nil {
		return e.runs
	}
	return nil
}

// job returns a's cron job (see of), indexing the scheduler's children
// the first time one of them asks; nil when a is none.
func (j *jobRuns) job(a *parser.Process) *jobCmd {
	if a == nil || a.Parent == nil {
		return nil
	}
	top := a.Parent
	if up := top.Parent; up != nil && up.Name() == top.Name() {
		top = up // cron forks itself per run, then the job
	}
	idx, ok := j.idx[top]
	if !ok {
		idx = map[uint64]*jobCmd{}
		seen := 0
		var walk func(p *parser.Process, depth int)
		walk = func(p *parser.Process, depth int) {
			for _, c := range p.Children {
				if seen++; seen > maxJobWalk {
					return
				}
				if c.Name() == top.Name() && depth == 0 {
					walk(c, depth+1)
					continue
				}
				args := argsOf(c)
				k := j.sum(args)
				e := idx[k]
				if e == nil {
					e = &jobCmd{args: args, runs: map[any]time.Time{}}
					idx[k] = e
				}
				if slices.Equal(e.args, args) {
					e.runs[c] = startOf(c)
				}
			}
		}
		walk(top, 0)
		j.idx[top] = idx
	}
	args := argsOf(a)
	if e := idx[j.sum(args)]; e != nil && slices.Equal(e.args, args) {
		return e
	}
	return nil
}

// firstRun returns the earliest run as user of a's job (a's command line
// under the same scheduler), and whether it has one.
func (j *jobRuns) firstRun(a *parser.Process, user string) (time.Time, bool) {
	e := j.job(a)
	if e == nil {
		return time.Time{}, false
	}
	if e.first == nil {
		e.first = map[string]time.Time{}
		for k, at := range e.runs {
			if p, ok := k.(*parser.Process); ok {
				if t, seen := e.first[p.User]; !seen || at.Before(t) {
					e.first[p.User] = at
				}
			}
		}
	}
	t, ok := e.first[user]
	return t, ok
}
