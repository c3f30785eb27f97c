package timeline

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A web shell need not arrive as an upload the audit rules watch: a
// command the web server runs can write it (`echo <b64> | base64 -d >
// templates/help/imposition.html.ep`) into a folder no watch covers. Its
// use is in the log all the same: later requests to the URL that names
// the file run commands, tied to them by their parameters (observed).
// markCommandWrites places the writing command on stage 2, the web shell
// written, saying which file and which request used it. The file is the
// one the shell's own redirection names (`> F`, `>> F`, `tee F`); the URL
// names it when the file's path, or the path without its extensions (a
// template served under its route), ends with the URL's path at a folder
// boundary.
func (b *Builder) markCommandWrites(all, chainable []*detect.Finding, cz causality) []*detect.Finding {
	type use struct {
		host, path string
		rl         RequestLink
	}
	var uses []use
	for _, rl := range cz.execs {
		if rl.Request == nil || rl.Inferred || rl.Request.HTTP == nil {
			continue // only a request whose parameters are in the command: the shell in use
		}
		uses = append(uses, use{rl.Request.Host, rl.Request.HTTP.Path, rl}) // namesFile judges the path
	}
	if len(uses) == 0 {
		return chainable
	}
	// the first use is named: in time order, whatever the map's
	sort.Slice(uses, func(i, j int) bool { return loggedBefore(uses[i].rl.Request, uses[j].rl.Request) })
	repl := map[*detect.Finding]*detect.Finding{}
findings:
	for _, f := range chainable {
		ev := f.Event
		if ev == nil || ev.Kind != parser.KindExec || f.Stage == detect.StageWebshellUpload || f.Severity < detect.SeverityMedium {
			continue
		}
		cmd := dashC(ev.Args)
		if cmd == "" {
			continue
		}
		for _, t := range redirectTargets(cmd) {
			if !strings.HasPrefix(t, "/") {
				if ev.Cwd == "" {
					continue
				}
				t = path.Join(ev.Cwd, t)
			}
			t = path.Clean(t)
			for _, u := range uses {
				if !sameHost(u.host, ev.Host) || !u.rl.Request.Time.After(ev.Time) || !namesFile(t, u.path) {
					continue
				}
				d := *f
				d.Stage = detect.StageWebshellUpload
				d.Reason = fmt.Sprintf("%s; stage 2: the command wrote %s, and %s at %s then ran a command with its parameters (%s): a web shell written by a command",
					f.Reason, t, describeRequest(u.rl.Request), when(u.rl.Request.Time), label(u.rl.Process))
				repl[f] = &d
				continue findings
			}
		}
	}
	return replaced(all, chainable, repl)
}

// redirectTargets returns the files a shell command's redirections (`>`,
// `>>`, not `>&`) and tee write, at most maxRedirects.
func redirectTargets(cmd string) []string {
	var out []string
	add := func(w string) {
		w = strings.Trim(w, `'"`)
		if w != "" && w != "-" && !detect.DeviceName(w) && len(out) < maxRedirects {
			out = append(out, w)
		}
	}
	for i := 0; i < len(cmd) && len(out) < maxRedirects; i++ {
		if cmd[i] != '>' {
			continue
		}
		j := i + 1
		if j < len(cmd) && cmd[j] == '>' {
			j++
		}
		if j < len(cmd) && (cmd[j] == '&' || cmd[j] == '(') {
			continue // >&2, a fd duplication; >( a process substitution
		}
		for j < len(cmd) && cmd[j] == ' ' {
			j++
		}
		k := j
		for k < len(cmd) && !strings.ContainsRune(" \t\n;|&<>)", rune(cmd[k])) {
			k++
		}
		add(cmd[j:k])
		i = k - 1
	}
	for _, seg := range strings.FieldsFunc(cmd, func(r rune) bool { return r == '|' || r == ';' || r == '&' || r == '\n' }) {
		f := strings.Fields(seg)
		if len(f) > 1 && path.Base(f[0]) == "tee" {
			for _, a := range f[1:] {
				if !strings.HasPrefix(a, "-") && !strings.ContainsAny(a, "<>") {
					add(a)
				}
			}
		}
	}
	return out
}

// maxRedirects bounds the files one command line is read for.
const maxRedirects = 16

// namesFile reports whether URL path u names file f: f ends with u, or f
// without its extensions ends with u without its own, at a folder
// boundary (a template served under its route: /help/imposition for
// …/templates/help/imposition.html.ep).
func namesFile(f, u string) bool {
	return servedAs(f, u) || servedAs(stripExts(f), stripExts(u))
}

// stripExts removes every extension of a path's last element (a leading
// dot of a hidden file's name is part of the name).
func stripExts(p string) string {
	dir, base := path.Split(p)
	if i := strings.IndexByte(base[min(1, len(base)):], '.'); i >= 0 {
		base = base[:i+min(1, len(base))]
	}
	return dir + base
}
