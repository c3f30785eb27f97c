package timeline

import (
	"fmt"
	"path"
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

func scheduledWhy(g *Routine) string {
	return fmt.Sprintf("a job cron started %d times from %s to %s; no cron file or crontab of the host was changed in the log before its first run (such changes are recorded here), so its schedule predates the log; nothing flagged follows from it and no evidence ties it to an attacker",
		g.Count, when(g.FirstSeen), when(g.LastSeen))
}
