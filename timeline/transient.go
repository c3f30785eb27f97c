package timeline

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A file written as persistence that the chain's own process removes
// moments later, while running with rights its account does not have,
// persisted nothing: it was in place only for the privileged program that
// read it. /etc/ld.so.preload written by the web account, sudo run, and the
// preloaded library's constructor — now root inside sudo — removing the
// preload before anything else loads it (shop-compare) is an escalation
// (T1574.006), not access kept. The write and the removal are placed with
// the privilege gained (stage 4), and the reason says the placement was
// read from the outcome. A plant removed by an ordinary process (the
// intruder tidying up) keeps its stage: nothing says it fired for root.

// transientWindow bounds the time from the write to its removal.
const transientWindow = 10 * time.Second

// transientPlants returns the chain's findings with such writes and their
// removals replaced by copies placed on stage 4, recorded in repl.
func (l *linker) transientPlants(fs []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	// the removals by an elevated process, by file: one pass, so that a
	// chain of many plants and removals stays linear
	type hostPath struct{ host, path string }
	var removals map[hostPath][]int
	for j, g := range fs {
		if rm := g.Event; rm != nil && rm.Kind == parser.KindUnlink && rm.Path != "" && hasRule(g, "own-file-removed") && elevated(rm) {
			if removals == nil {
				removals = map[hostPath][]int{}
			}
			k := hostPath{rm.Host, rm.Path}
			removals[k] = append(removals[k], j)
		}
	}
	if removals == nil {
		return fs
	}
	for _, js := range removals {
		sort.SliceStable(js, func(a, b int) bool { return fs[js[a]].Event.Time.Before(fs[js[b]].Event.Time) })
	}
	var out []*detect.Finding
	for i, f := range fs {
		ev := f.Event
		if f.Stage != detect.StagePersistence || ev == nil || ev.Path == "" ||
			ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
			continue
		}
		js := removals[hostPath{ev.Host, ev.Path}]
		// the first removal at or after the write: a later one is no
		// closer
		at := sort.Search(len(js), func(n int) bool { return !fs[js[n]].Event.Time.Before(ev.Time) })
		for _, j := range js[at:min(at+1, len(js))] {
			g := fs[j]
			rm := g.Event
			if rm.Time.Sub(ev.Time) > transientWindow {
				continue
			}
			if out == nil {
				out = slices.Clone(fs)
			}
			gone := fmt.Sprintf("%s removed it %s later, running as uid %d with euid %d (a setuid program, or code loaded into one)",
				label(rm.Proc), rm.Time.Sub(ev.Time).Round(time.Millisecond), rm.UID.N, rm.EUID.N)
			w := *f
			w.Stage = detect.StageSuspiciousSpawn
			w.Reason = fmt.Sprintf("%s; placed as privilege escalation (inferred from the outcome): %s, so the file was in place only for the privileged program that read it, a trigger, not access kept (T1574.006)", f.Reason, gone)
			if !slices.Contains(w.Attack, "T1574.006") {
				w.Attack = append(slices.Clone(w.Attack), "T1574.006")
			}
			repl[f], out[i] = &w, &w
			if g.Stage != detect.StageSuspiciousSpawn {
				r := *g
				r.Stage = detect.StageSuspiciousSpawn
				r.Reason = fmt.Sprintf("%s; placed as privilege escalation (inferred from the outcome): the file was written %s earlier as %s and removed by the privileged program that read it, the escalation's own step, not a trace hidden later",
					g.Reason, rm.Time.Sub(ev.Time).Round(time.Millisecond), f.Title)
				repl[g], out[j] = &r, &r
			}
			break
		}
	}
	if out == nil {
		return fs
	}
	return out
}

// elevated reports whether an event's process ran with an effective uid
// its real uid is not: a setuid program, or code inside one.
func elevated(ev *parser.Event) bool {
	return ev.UID.Set && ev.EUID.Set && ev.UID.N != ev.EUID.N
}
