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

// The same holds for a download: ingress tool transfer is a tool fetched
// to be run. A download whose file nothing uses later in the log — no
// finding acts on it or names it, no command of the web server names it —
// drops one level; one that is run, made executable, unpacked or read by a
// flagged command keeps its severity.

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
		if f.Severity < detect.SeverityHigh || f.Event == nil {
			continue
		}
		switch {
		case f.RuleID == "ingress-tool-download" && f.Event.Kind == parser.KindExec:
			target := downloadTarget(f.Event.Args, f.Event.Cwd)
			if target == "" || target == "/dev/null" || b.downloadUsed(all, f, target) {
				continue
			}
			d := *f
			d.Severity = f.Severity - 1
			d.Reason = strings.TrimSpace(f.Reason + "; demoted: nothing in these logs runs, unpacks or names " + target +
				" after it was fetched (a tool is fetched to be run; a data feed is not)")
			repl[f] = &d
			continue
		case f.Event.Path == "" || !slices.Contains(unusedRules, f.RuleID):
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

// downloadUsed reports whether the file a download wrote is acted on or
// named later: by another finding (its event's path, its process's
// command line) or by a command the web server ran.
func (b *Builder) downloadUsed(all []*detect.Finding, dl *detect.Finding, target string) bool {
	names := func(args []string, cwd string) bool {
		if downloadTarget(args, cwd) == target {
			return false // the same download again (a cron job's next run) is no use of it
		}
		base := path.Base(target)
		return slices.ContainsFunc(args, func(a string) bool {
			if !strings.Contains(a, target) && (!strings.Contains(a, base) || strings.Contains(a, "/")) {
				return false
			}
			// a shell's command string: the same download again is no use
			if f := strings.Fields(a); len(f) > 1 && downloadTarget(f, cwd) == target {
				return false
			}
			return true
		})
	}
	for _, f := range all {
		ev := f.Event
		if f == dl || ev == nil || ev.Host != dl.Event.Host || ev.Time.Before(dl.Event.Time) || ev.Proc == dl.Event.Proc {
			continue
		}
		if path.Clean(ev.Path) == target || ev.Exe == target || names(ev.Args, ev.Cwd) {
			return true
		}
		if p := ev.Proc; p != nil && (p.Exe == target || names(p.Args, p.Cwd)) {
			return true
		}
	}
	for _, ev := range b.webExecs {
		if ev.Host == dl.Event.Host && ev.Time.After(dl.Event.Time) && (ev.Exe == target || names(ev.Args, ev.Cwd)) {
			return true
		}
	}
	return false
}

// downloadTarget is the file a curl or wget command line writes, made
// absolute with the process's working directory; "" when it cannot tell
// (a pipe to stdout writes no file).
func downloadTarget(args []string, cwd string) string {
	if len(args) == 0 {
		return ""
	}
	prog := path.Base(args[0])
	var out, url string
	for i := 1; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case prog == "curl" && (a == "-o" || a == "--output"):
			out = next()
		case prog == "curl" && strings.HasPrefix(a, "-o") && !strings.HasPrefix(a, "--"):
			out = a[2:]
		case prog == "curl" && (a == "-O" || a == "--remote-name"):
			out = "\x00remote"
		case prog == "wget" && (a == "-O" || a == "--output-document"):
			out = next()
		case prog == "wget" && strings.HasPrefix(a, "--output-document="):
			out = strings.TrimPrefix(a, "--output-document=")
		case prog == "wget" && strings.HasPrefix(a, "-O") && len(a) > 2:
			out = a[2:]
		case strings.Contains(a, "://"):
			url = a
		}
	}
	if out == "\x00remote" || out == "" && prog == "wget" {
		if url == "" {
			return ""
		}
		u := url[strings.Index(url, "://")+3:]
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		j := strings.LastIndexByte(u, '/')
		if j < 0 || j == len(u)-1 {
			return ""
		}
		out = u[j+1:]
	}
	if out == "" || out == "-" {
		return ""
	}
	if !path.IsAbs(out) {
		if cwd == "" {
			return ""
		}
		out = path.Join(cwd, out)
	}
	return path.Clean(out)
}
