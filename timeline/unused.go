package timeline

import (
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A script that lands in the web root is a web shell only if it is used:
// an attacker uploads a shell to request it. Applications write scripts
// there all day too — compiled templates, generated configuration, cache
// files — and nothing ever requests those by their own URL. So a
// script-write finding whose file the log never shows in use is demoted
// one level (never deleted), with the reason; one that is used keeps its
// severity. Used means, at or after the write: a request whose URL names
// the file, a process run in the file's folder under the web server (a
// shell started by it: php-fpm runs a script in its own folder), or a
// command of the web server's naming the file (an auto_prepend_file set
// up, a copy, its removal). Without an access log for the file's host nothing
// can show that it was not requested, and nothing is demoted: the
// principle is the outcome, never the name or the folder.

// unusedRules are the rules whose finding is a file landing in a served
// tree, judged by its later use.
var unusedRules = []string{"webroot-script-write"}

// demoteUnused returns chainable with unused script writes replaced by
// demoted copies (all gets the same copies).
func (b *Builder) demoteUnused(all, chainable []*detect.Finding) []*detect.Finding {
	if !b.seen[parser.KindHTTP] {
		return chainable
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, f := range chainable {
		if f.Severity < detect.SeverityHigh || f.Event == nil || f.Event.Path == "" || !slices.Contains(unusedRules, f.RuleID) {
			continue
		}
		if b.fileUsed(f.Event) {
			continue
		}
		d := *f
		d.Severity = f.Severity - 1 // high → medium, critical → high
		d.Reason = strings.TrimSpace(f.Reason + "; demoted: " + path.Base(f.Event.Path) +
			" was never requested, run or run beside in these logs (a generated file — compiled template, cache — looks so; a web shell shows its use)")
		repl[f] = &d
	}
	if len(repl) == 0 {
		return chainable
	}
	for i, f := range all {
		if d := repl[f]; d != nil {
			all[i] = d
		}
	}
	out := make([]*detect.Finding, len(chainable))
	for i, f := range chainable {
		if d := repl[f]; d != nil {
			f = d
		}
		out[i] = f
	}
	return out
}

// fileUsed reports whether the file written by w is used later in the log.
func (b *Builder) fileUsed(w *parser.Event) bool {
	p := path.Clean(w.Path)
	dir := path.Dir(p)
	at := w.Time.Truncate(1e9) // access logs are to the second
	for _, r := range b.requests {
		if r.HTTP != nil && sameHost(r.Host, w.Host) && !r.Time.Before(at) && servedAs(p, r.HTTP.Path) {
			return true
		}
	}
	for _, ev := range b.webExecs {
		if ev.Host != w.Host || ev.Time.Before(w.Time) {
			continue
		}
		if path.Clean(ev.Cwd) == dir || ev.Exe == p || slices.ContainsFunc(ev.Args, func(a string) bool { return strings.Contains(a, p) }) {
			return true // run beside, run, or named by a later command (an include set up, a copy, its removal)
		}
	}
	return false
}
