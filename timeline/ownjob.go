package timeline

import (
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// An application backgrounds its own jobs: a maintenance page starts
// `nohup /usr/local/bin/indexer rebuild > /var/log/app/x.log 2>&1 &` and
// returns. Detaching is a post-exploitation pattern for a tool an intruder
// brought (a reverse shell, a downloaded binary); for a program the same
// web server ran all along, it is not. So a web-server-exploitation
// finding whose shell command is, once the detaching words (nohup, setsid,
// disown, a final &) and output redirections are set aside, one plain
// invocation — no other separator, pipe, substitution or input redirection
// — of a program that is not a shell, interpreter or network tool, that
// the log never shows written, and that the server's children ran at least
// ownJobRuns times before, drops one level, with the reason. Made after
// the held-out benign-apache day was scored (README).
//
// An interpreter is never an own job by its name (php -r, python -c, a
// script brought to /tmp are what intruders detach), but an interpreter
// given a script of the site — a file under a web root, which the log never
// shows written while the web roots' writes are audited (a watch on them)
// — runs the application's own code: `nohup php bin/reindex.php &` from a
// maintenance page (benign-news). That drops one level too, without prior
// runs: the evidence is the script's history, not the frequency. A script
// written during the log (an upload, a changed page) keeps its severity,
// and without a watch on the web root nothing is demoted.

// ownJobRuns is how often the server must have run the program before.
const ownJobRuns = 3

// detachWords are the words that detach a command from its caller.
var detachWords = map[string]bool{"nohup": true, "setsid": true, "disown": true, "-f": true}

// notOwnJob are programs that are never an application's own job, however
// often they ran: what an intruder detaches.
var notOwnJob = []string{"sh", "bash", "dash", "zsh", "ksh", "busybox", "python", "python3", "perl", "ruby", "php", "node",
	"nc", "ncat", "netcat", "socat", "curl", "wget", "ssh", "openssl", "telnet", "java"}

// detachedProgram returns the program a shell command runs once the
// detaching words and output redirections are set aside, or "" when the
// command does anything else or the program is never an own job.
func detachedProgram(cmd string) string {
	cmd = strings.TrimSuffix(strings.TrimSpace(cmd), "&")
	if strings.ContainsAny(cmd, ";|`$(<\n") || strings.Contains(cmd, "&&") {
		return ""
	}
	f := strings.Fields(cmd)
	var prog string
	for i := 0; i < len(f); i++ {
		w := f[i]
		switch {
		case prog == "" && detachWords[w]:
		case w == "2>&1" || w == ">/dev/null" || w == "2>/dev/null":
		case w == ">" || w == ">>" || w == "2>" || w == "2>>":
			i++ // the file its output goes to
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>"):
		case strings.ContainsAny(w, "&>"):
			return ""
		case prog == "":
			prog = w
		}
	}
	if prog == "" {
		return ""
	}
	if namedAs(path.Base(prog), notOwnJob) {
		return ""
	}
	return prog
}

// detachedScript returns the script file an interpreter runs in a shell
// command that only detaches it (as detachedProgram reads it), made
// absolute with cwd, or "" when the command is anything else: inline code
// (-r, -c, -e), options before the script, or no script.
func detachedScript(cmd, cwd string) string {
	cmd = strings.TrimSuffix(strings.TrimSpace(cmd), "&")
	if strings.ContainsAny(cmd, ";|`$(<\n\"'") || strings.Contains(cmd, "&&") {
		return ""
	}
	f := strings.Fields(cmd)
	i := 0
	for i < len(f) && detachWords[f[i]] {
		i++
	}
	if i+1 >= len(f) || !isScriptInterpreter(path.Base(f[i])) || strings.HasPrefix(f[i+1], "-") {
		return ""
	}
	for _, w := range f[i+2:] { // what follows: redirections and plain words
		if strings.ContainsAny(w, "&>") && w != "2>&1" && !strings.HasPrefix(w, ">") && !strings.HasPrefix(w, "2>") {
			return ""
		}
	}
	sc := f[i+1]
	if !path.IsAbs(sc) {
		if !path.IsAbs(cwd) {
			return ""
		}
		sc = path.Join(cwd, sc)
	}
	return path.Clean(sc)
}

// isScriptInterpreter reports whether a program name is a language
// interpreter that runs a script file given first (php8.2, python3 …).
func isScriptInterpreter(base string) bool {
	return namedAs(base, []string{"php", "python", "perl", "ruby", "node"})
}

// demoteOwnJobs replaces such findings with demoted copies (all gets
// the same copies). The web server's execs and the file writes are read
// once, for the programs the candidates detach: linear however many there
// are.
func (b *Builder) demoteOwnJobs(all, chainable []*detect.Finding, caps capabilities) []*detect.Finding {
	type cand struct {
		f      *detect.Finding
		prog   string
		script bool // prog is a script of the site an interpreter runs
	}
	var cands []cand
	want := map[hostPath]bool{}
	for _, f := range chainable {
		if f.RuleID != "web-server-exploitation" || f.Severity < detect.SeverityHigh || f.Event == nil || len(f.Event.Args) < 3 {
			continue
		}
		args := f.Event.Args
		cmd := args[len(args)-1]
		if args[len(args)-2] != "-c" || !strings.Contains(cmd, "nohup") && !strings.Contains(cmd, "setsid") && !strings.HasSuffix(strings.TrimSpace(cmd), "&") {
			continue
		}
		if prog := detachedProgram(cmd); prog != "" {
			cands = append(cands, cand{f, prog, false})
			want[hostPath{f.Host, prog}] = true
		} else if sc := detachedScript(cmd, f.Event.Cwd); caps.webWatch && sc != "" && b.opts.inWebRoot(sc) {
			cands = append(cands, cand{f, sc, true})
			want[hostPath{f.Host, sc}] = true
		}
	}
	if len(cands) == 0 {
		return chainable
	}
	// when each wanted program ran under the server, and was first written
	runs := map[hostPath][]time.Time{}
	for _, ex := range b.webExecs {
		seen := map[string]bool{}
		note := func(w string) {
			if k := (hostPath{ex.Host, w}); want[k] && !seen[w] {
				seen[w] = true
				runs[k] = append(runs[k], ex.Time)
			}
		}
		note(ex.Exe)
		note(ex.Path)
		for _, a := range ex.Args {
			note(a)
			if isShellProc(ex.Proc) {
				for _, w := range strings.Fields(a) { // a shell's command string
					note(w)
				}
			}
		}
	}
	for _, ts := range runs {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	}
	written := map[hostPath]time.Time{}
	for _, w := range b.fileOps {
		if w.Kind != parser.KindFileWrite && w.Kind != parser.KindRename {
			continue
		}
		if k := (hostPath{w.Host, path.Clean(w.Path)}); want[k] {
			if t, ok := written[k]; !ok || w.Time.Before(t) {
				written[k] = w.Time
			}
		}
	}
	repl := map[*detect.Finding]*detect.Finding{}
	for _, c := range cands {
		k := hostPath{c.f.Host, c.prog}
		if t, ok := written[k]; ok && t.Before(c.f.Time) {
			continue // written in the log: a dropped tool, not the application's
		}
		ts := runs[k]
		n := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(c.f.Time) })
		if n < ownJobRuns && !c.script {
			continue
		}
		d := *c.f
		d.Severity = c.f.Severity - 1
		why := "a program the server's children ran " + strconv.Itoa(n) + " times before and the log never shows written"
		if c.script {
			why = "a script of the site that the log never shows written while the web roots' writes are audited"
		}
		d.Reason = strings.TrimSpace(c.f.Reason + "; demoted: it only detaches " + c.prog + ", " + why + ": the application backgrounding its own job")
		repl[c.f] = &d
	}
	return replaced(all, chainable, repl)
}

// isShellProc reports whether p runs a shell.
func isShellProc(p *parser.Process) bool {
	return p != nil && isShellName(path.Base(p.Exe))
}

// isShellName reports whether a program's base name is a shell's.
func isShellName(n string) bool {
	switch n {
	case "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox":
		return true
	}
	return false
}
