package timeline

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A module of the application's code, changed by the server's own process
// (code injected into the app writing to its own source: a line appended
// to a vendored package that wraps the framework's request handler), is
// used where no request names it: every worker the server starts after the
// change loads it, and what those workers run is the changed code's as
// much as the app's. The log shows neither the import nor the reload (a
// watch's "a" does not cover the touch that triggers it); it shows the
// write, the workers the same master forked after it, and what they ran.
// So a change of a module the server loads at a worker's start is taken as
// used — and as the intrusion's web shell (stage 2), the code its later
// commands came through — when a worker of the same master, started after
// the write, runs a command a rule judged high; and what such workers run
// at high joins the chain of the write, inferred, as the link says
// (plotbook-noticepreview: the web shell's recon, the cron file read, the
// vassal master killed — four chains before, none tied to the patched
// module). Only commands at high: a worker serves the site's routine
// requests beside the planted code's. Pages loaded per request (.php,
// .jsp, templates, .rpy) are judged by their requests (unused.go), not
// here; a server with no master (one process: puma in single mode,
// twistd) forks no new workers, and nothing is linked.

// moduleExts are the files an application server loads when a worker
// starts or imports them once, not per request.
var moduleExts = []string{".py", ".pth", ".rb", ".pm", ".js", ".mjs", ".cjs", ".class", ".jar"}

// maxModuleChanges bounds the changes each pass looks after (each is one
// walk over the findings).
const maxModuleChanges = 16

// moduleChange is a finding on a write of a module by a server's process
// or a process acting for it.
type moduleChange struct {
	f      *detect.Finding
	i      int // f's index in the findings moduleChanges was given
	writer *parser.Process
	server *parser.Process // the server the writer is or runs below
	master *parser.Process // the process that starts the server's processes
}

// moduleChangeOf returns f as a module change, or ok false. The writer is
// the server's own process, or runs below it (the intrusion's shell
// writing a route file: cragboard-prefmerge's widget); the master is the
// server's parent, whose later children of the server's image load the
// module: a prefork master's workers, or the app processes an application
// server's spawner starts (Passenger's core starting node after a
// restart). Not init: what it starts is the whole system.
func (o *Options) moduleChangeOf(f *detect.Finding) (moduleChange, bool) {
	ev := f.Event
	if ev == nil || ev.Path == "" || ev.Failed() || ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename ||
		!slices.Contains(unusedRules, f.RuleID) || !slices.Contains(moduleExts, path.Ext(ev.Path)) {
		return moduleChange{}, false
	}
	for _, seg := range strings.Split(path.Dir(ev.Path), "/") {
		if detect.NotCodeDir(seg) {
			return moduleChange{}, false // set aside, not loaded
		}
	}
	p := procOf(f)
	srv := p
	for n := 0; srv != nil && n < 8 && !o.isWebServer(srv); n++ {
		srv = srv.Parent
	}
	if srv == nil || !o.isWebServer(srv) || srv.Exe == "" {
		return moduleChange{}, false
	}
	m := srv.Parent
	if m == nil || m.Exe == "" || m.Key.PID <= 1 {
		return moduleChange{}, false
	}
	if srv == p && m.Exe != p.Exe {
		// the server's own write under a spawner of another image: a
		// server writing its own module is loaded by its own later
		// workers only when it preforks (as before); what a spawner
		// starts is linked when the intrusion below the server wrote it
		return moduleChange{}, false
	}
	return moduleChange{f: f, writer: p, server: srv, master: m}, true
}

// workerAfter returns the process of c's master that p runs below (p
// itself or an ancestor), of the server's image, when it started after
// c's write; nil otherwise.
func (c moduleChange) workerAfter(p *parser.Process) *parser.Process {
	for q, n := p, 0; q != nil && n < 8; q, n = q.Parent, n+1 {
		m := q.Parent
		if m == nil || q == c.writer || q == c.server {
			return nil
		}
		if m.Key == c.master.Key && q.Exe == c.server.Exe {
			// the same master process (not its pid alone: on a long
			// archive the pid comes round under another boot's master)
			if startOf(q).After(c.f.Event.Time) {
				return q
			}
			return nil
		}
	}
	return nil
}

// moduleChanges lists the module changes among fs, at most
// maxModuleChanges.
func (o *Options) moduleChanges(fs []*detect.Finding) []moduleChange {
	var out []moduleChange
	for i, f := range fs {
		if c, ok := o.moduleChangeOf(f); ok {
			c.i = i
			out = append(out, c)
			if len(out) == maxModuleChanges {
				break
			}
		}
	}
	return out
}

// loadedUse returns the first command at high, run below a worker the
// server started after c's write, with that worker: the changed module in
// use. fs are in time order.
func (c moduleChange) loadedUse(fs []*detect.Finding) (*detect.Finding, *parser.Process) {
	for _, g := range fs {
		if g.Severity < detect.SeverityHigh || g.Event == nil || g.Event.Kind != parser.KindExec || !g.Time.After(c.f.Time) {
			continue
		}
		if w := c.workerAfter(procOf(g)); w != nil {
			return g, w
		}
	}
	return nil, nil
}

// loadedPlacement returns a module change that later workers show in use,
// re-placed: the changed code is the web shell their commands came through
// (stage 2), and it is not demoted as unused. nil when f is no such change.
// budget counts the changes looked at (each one walk over fs): at most
// maxModuleChanges per Build, as linkLoadedModules.
func (o *Options) loadedPlacement(f *detect.Finding, fs []*detect.Finding, budget *int) *detect.Finding {
	c, ok := o.moduleChangeOf(f)
	if !ok || *budget >= maxModuleChanges {
		return nil
	}
	*budget++
	g, w := c.loadedUse(fs)
	if g == nil {
		return nil
	}
	d := *f
	d.Stage = detect.StageWebshellUpload
	d.Reason = fmt.Sprintf("%s changed a module %s loads when it starts, and %s, started by %s at %s after the change, ran %s at %s (%s): the changed code in use, the web shell its later commands came through (inferred: the import and the reload are not in the log) (T1505.003)",
		label(c.writer), label(c.server), label(w), label(c.master), when(startOf(w)), label(procOf(g)), when(g.Time), g.Title)
	return &d
}

// linkLoadedModules (rule m): what a worker started after a module change
// runs at high joins the chain of the change. An inference from the
// workers' start, not evidence: the evidence-only linking (routine.go,
// corroborate.go) leaves it out, so an application's routine command in
// those workers (a waiting-list mail) is still judged routine and stays
// out of the chain.
func (l *linker) linkLoadedModules() {
	if l.evidenceOnly {
		return
	}
	for _, c := range l.o.moduleChanges(l.findings) {
		for j, g := range l.findings {
			if g.Severity < detect.SeverityHigh || g.Event == nil || !g.Time.After(c.f.Time) {
				continue
			}
			w := c.workerAfter(procOf(g))
			if w == nil {
				continue
			}
			l.union(findingKey(j), findingKey(c.i), g.Time, fmt.Sprintf(
				"code (inferred): %s ran below %s, started by %s at %s, after %s changed %s at %s (a module the server loads when it starts: the change runs in every process of it started after)",
				label(procOf(g)), label(w), label(c.master), when(startOf(w)), label(c.writer), c.f.Event.Path, when(c.f.Time)))
		}
	}
}
