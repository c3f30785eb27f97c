package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A server's configuration can start programs: Apache's piped logs
// (CustomLog "|…", ErrorLog "|…") and RewriteMap prg:, nginx's and
// php-fpm's hooks, haproxy's external checks. A line added there is
// persistence that fires when the server next reads its configuration (a
// reload by the administrator, a restart), and what fires is started by
// the server's own process with no shell and nothing in its record that
// names the configuration (scaleyard-archive: root's job, fed by the
// intrusion, appended a CustomLog "||/usr/local/sbin/yard-logstat" line;
// the admin's routine reload made Apache's root parent start the bot). The
// log shows three things, in this order:
//  1. a write of a file that a persistence rule flagged (stage 5, medium or
//     more), and that a server's command line names as its configuration
//     (apache2 -f /etc/apache2/site.conf, nginx -c …, haproxy -f …);
//  2. then that server's process starts a program;
//  3. a program no process of that server program on the host had started
//     before the write.
// Then the start is taken as the configuration's plant firing (inferred:
// the file's content is not in the log, stage 5, T1505), observed in its
// exec record and the write: high when the program (or what it started)
// then did what the rules judge high, medium otherwise. A reload that starts the same piped logger
// as before, or a worker, is not new; an administrator's change that adds
// a new helper program is the case this cannot tell apart, and the reason
// says what was inferred.

// RuleConfigPlantFired is the id of the findings configPlants makes.
const RuleConfigPlantFired = "web-server-config-plant-fired"

// maxConfigWrites bounds the flagged writes compared with servers'
// command lines.
const maxConfigWrites = 256

type configWrite struct {
	f    *detect.Finding
	host string
	path string
}

// configPlants returns a finding on each first start of a program by a
// server after a persistence write of a file its command line names.
func (b *Builder) configPlants(all []*detect.Finding) []*detect.Finding {
	var writes []configWrite
	for _, f := range all {
		ev := f.Event
		if f.Stage != detect.StagePersistence || f.Severity < detect.SeverityMedium || ev == nil || ev.Path == "" || ev.Failed() ||
			ev.Kind != parser.KindFileWrite && ev.Kind != parser.KindRename {
			continue
		}
		writes = append(writes, configWrite{f, ev.Host, path.Clean(ev.Path)})
		if len(writes) >= maxConfigWrites {
			break
		}
	}
	if len(writes) == 0 {
		return nil
	}
	// each server program's children on a host: the first start of each
	// program they ran
	type kidKey struct{ host, server, prog string }
	first := map[kidKey]*parser.Event{}
	execs := slices.Clone(b.webExecs)
	sort.SliceStable(execs, func(i, j int) bool { return execs[i].Time.Before(execs[j].Time) })
	for _, ex := range execs {
		p := ex.Proc
		if p == nil || p.Parent == nil {
			continue
		}
		k := kidKey{ex.Host, p.Parent.Exe, execProg(ex)}
		if _, ok := first[k]; !ok {
			first[k] = ex
		}
	}
	// processes that did something judged high: a started program that
	// is one, or is above one, acted for the plant; one that did nothing
	// flagged may be an administrator's new helper (a log rotator)
	acted := map[*parser.Process]bool{}
	for _, f := range all {
		if q := procOf(f); q != nil && f.Severity >= detect.SeverityHigh {
			for n := 0; q != nil && n < 16 && !acted[q]; q, n = q.Parent, n+1 {
				acted[q] = true
			}
		}
	}
	var out []*detect.Finding
	done := map[kidKey]bool{}
	for _, ex := range execs {
		p := ex.Proc
		if p == nil || p.Parent == nil || p.Exe == p.Parent.Exe {
			continue // a worker of the server's own program
		}
		k := kidKey{ex.Host, p.Parent.Exe, execProg(ex)}
		if done[k] || first[k] != ex {
			continue // not the program's first start by this server
		}
		args := p.Parent.Title
		if len(args) == 0 {
			args = p.Parent.Args
		}
		for _, w := range writes {
			if !sameHost(w.host, ex.Host) || !ex.Time.After(w.f.Time) || !slices.Contains(args, w.path) {
				continue
			}
			done[k] = true
			sev, then := detect.SeverityMedium, "; it did nothing the rules judge high (an administrator's new helper looks so)"
			if acted[p] {
				sev, then = detect.SeverityHigh, "; it, or what it started, then did what the rules judge high"
			}
			out = append(out, &detect.Finding{
				RuleID: RuleConfigPlantFired, RuleIDs: []string{RuleConfigPlantFired},
				Title:    "Server Started A New Program After Its Configuration Was Changed",
				Why:      "A server's configuration can start programs (Apache's piped logs, RewriteMap prg:, external checks): a line added there runs when the server next reads it, started by the server itself with no shell. The server started a program it had never started before, after a persistence write of the configuration its command line names; the audit log shows the write and the start, not the file's content.",
				Severity: sev,
				Attack:   []string{"T1505"},
				Stage:    detect.StagePersistence,
				Reason: fmt.Sprintf("observed: %s[%d], whose command line names %s, started %s at %s; %s was written at %s by %s (%s); no process of %s on this host had started %s before that write%s; inferred: the change to its configuration made the server start it (the persistence firing)",
					p.Parent.Name(), p.Parent.Key.PID, w.path, "`"+shortCmd(p)+"`", when(ex.Time), w.path, when(w.f.Time), label(procOf(w.f)), w.f.Title, path.Base(p.Parent.Exe), execProg(ex), then),
				Time:    ex.Time,
				Host:    ex.Host,
				Event:   ex,
				Process: p,
				Related: []*parser.Event{w.f.Event},
				Source:  "correlation",
			})
			break
		}
	}
	return out
}

// execProg names the program an exec ran: an interpreter's script when it
// runs one (perl /usr/local/sbin/yard-logstat), else its image.
func execProg(ex *parser.Event) string {
	if len(ex.Args) >= 2 && interpreterName(path.Base(ex.Exe)) && path.IsAbs(ex.Args[1]) {
		return ex.Args[1]
	}
	return ex.Exe
}
