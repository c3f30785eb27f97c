package timeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// An intrusion's first commands through a web server that only check who
// and where the code runs — id, whoami, uname, hostname, a marker echoed,
// a sleep — are the exploit being tested (stage 1, T1190): someone
// confirming that the injection, deserialisation or open works, before
// using it. The same id run later, after the chain wrote a web shell or
// did anything else, is a command run through the foothold (stage 3).
// Which came first is the order of the chain's own acts, so the placement
// is inferred and says so; it holds only for a high chain (something
// hostile follows) and only while every exec the command started is such
// a check: a command that reads, writes or fetches anything is use, not a
// test, whenever it comes.

// probePrograms only report identity, the system, or a constant.
var probePrograms = []string{"id", "whoami", "uname", "hostname", "groups", "logname", "echo", "printf", "sleep", "expr", "true", "false", "pwd"}

// maxProbeTree bounds the processes looked at under one command: a probe
// starts one or two.
const maxProbeTree = 16

// openingProbes returns the chain's findings with its opening probes
// (above) replaced by copies placed on stage 1, recorded in repl.
func (l *linker) openingProbes(fs []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	high := false
	for _, f := range fs {
		high = high || f.Severity >= detect.SeverityHigh
	}
	if !high {
		return fs
	}
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return fs[order[a]].Time.Before(fs[order[b]].Time) })
	var out []*detect.Finding
	judged := map[*parser.Process]bool{}
	for _, i := range order {
		f := fs[i]
		if f.Stage == detect.StageInitialAccess && f.Event != nil && (f.Event.Kind == parser.KindFileWrite || f.Event.Kind == parser.KindRename) {
			// already the way in (a file the application stored for the
			// client: shop-specsheet's PostScript named .pdf, which the
			// preview then ran): part of the opening, not its end
			continue
		}
		root := l.webRootOf(procOf(f))
		if root == nil || f.Event == nil || f.Event.Kind != parser.KindExec {
			break // the opening is over: something other than a command the server ran
		}
		unit, helper := root, false
		if !probeTree(root) {
			// a site script the server runs (a CGI program): the check is
			// one of its children, new to every earlier run of that script
			unit = scriptChild(root, procOf(f))
			if unit == nil {
				// an application helper the server runs (Ghostscript for
				// a preview, a converter): the check is its child, new to
				// every earlier run of that program (shop-specsheet: a
				// PostScript file's %pipe% ran sh -c 'id; uname -a; pwd')
				unit, helper = helperChild(root, procOf(f)), true
			}
		}
		ok, seen := judged[unit]
		if !seen {
			ok = unit != nil && (unit == root || probeTree(unit) && !l.ranBefore(root, progName(unit), !helper))
			judged[unit] = ok
		}
		if !ok {
			break
		}
		if f.Stage != detect.StageCommandExecution {
			continue // already placed as a probe, or by an effect
		}
		if out == nil {
			out = slices.Clone(fs)
		}
		d := *f
		d.Stage = detect.StageInitialAccess
		// the exploit of the application (T1190), and no web shell: the
		// check came through the application's own code
		d.Attack = slices.DeleteFunc(slices.Clone(d.Attack), func(t string) bool { return t == "T1505.003" })
		if !slices.Contains(d.Attack, "T1190") {
			d.Attack = append(d.Attack, "T1190")
		}
		what := label(root) + " only checks who and where it runs"
		switch {
		case unit != root && helper:
			what = fmt.Sprintf("%s, started by the server's helper %s, only checks who and where it runs, which no earlier run of that program did", label(unit), label(root))
		case unit != root:
			what = fmt.Sprintf("%s, started by the site script %s, only checks who and where it runs, which no earlier run of that script did", label(unit), siteScript(root))
		}
		d.Reason = fmt.Sprintf("%s; placed as initial access (inferred from the order of the chain's acts): %s, and nothing but such checks came before it in this chain, so the exploit is being tested (T1190), not used",
			f.Reason, what)
		repl[f] = &d
		out[i] = &d
	}
	if out == nil {
		return fs
	}
	return out
}

// maxScriptRuns bounds the earlier runs of a script looked at.
const maxScriptRuns = 256

// siteScript is the site script a script runner runs by its path ("" when
// none).
func siteScript(root *parser.Process) string {
	if len(root.Args) >= 2 && !strings.HasPrefix(root.Args[1], "-") && strings.HasPrefix(root.Args[1], "/") {
		return root.Args[1]
	}
	return ""
}

// scriptChild returns root's child that is p or p's ancestor, when root
// runs a site script by its path (sh /srv/cgi-bin/sync.cgi): nil when root
// runs no script or p is root itself.
func scriptChild(root, p *parser.Process) *parser.Process {
	if siteScript(root) == "" {
		return nil
	}
	return childOnPath(root, p)
}

// helperChild returns root's child that is p or p's ancestor when root
// is a program of its own (an exec that is no shell: an application's
// helper such as gs or convert), nil when root is a shell or p is root.
func helperChild(root, p *parser.Process) *parser.Process {
	if prog := progName(root); prog == "" || isShellName(prog) {
		return nil
	}
	return childOnPath(root, p)
}

// childOnPath returns root's child that is p or p's ancestor (up to 16
// levels), nil when there is none or p is root.
func childOnPath(root, p *parser.Process) *parser.Process {
	for n := 0; p != nil && n < 16; p, n = p.Parent, n+1 {
		if p.Parent == root {
			return p
		}
	}
	return nil
}

// progName is the program a process executed last (its base name).
func progName(p *parser.Process) string {
	for i := len(p.Execs) - 1; i >= 0; i-- {
		if !p.Execs[i].Inherited {
			return path.Base(p.Execs[i].Exe)
		}
	}
	return ""
}

// scriptRanBefore reports whether an earlier run of root's script (the
// same command line, on the same host, started before root) started the
// program name.
func (l *linker) scriptRanBefore(root *parser.Process, name string) bool {
	return l.ranBefore(root, name, true)
}

// ranBefore reports whether an earlier run like root's (the same command
// line when sameArgs, else the same program: a helper's arguments name
// each request's files) on the same host started the program name.
func (l *linker) ranBefore(root *parser.Process, name string, sameArgs bool) bool {
	n := 0
	prog := progName(root)
	for _, r := range l.roots {
		if r == root || r.Key.Host != root.Key.Host || !r.FirstSeen.Before(root.FirstSeen) {
			continue
		}
		if sameArgs && !slices.Equal(r.Args, root.Args) || !sameArgs && progName(r) != prog {
			continue
		}
		if n++; n > maxScriptRuns {
			return true // more runs than looked at: not taken as new
		}
		for _, c := range r.Children {
			if progName(c) == name {
				return true
			}
		}
	}
	return false
}

// webRootOf returns the ancestor of p (p itself included) that a web
// server started, or nil.
func (l *linker) webRootOf(p *parser.Process) *parser.Process {
	for n := 0; p != nil && n < 16; p, n = p.Parent, n+1 {
		if l.isWebRoot(p) {
			return p
		}
	}
	return nil
}

// probeTree reports whether root's command tested an exploit: a check
// the server ran with no shell (an argv exec of id: a gadget, an open of
// "|id"), a check appended to something else in a shell's code
// ("/srv/archive/x;id", "ping -c1 h;id": the application's command or
// data, then the injected check), or a shell whose whole code is checks
// ("sh -c id; uname -a"). The last is also how a web shell runs what it is
// typed; openingProbes takes it as the test only as the chain's opening,
// before the chain wrote or did anything else, when no web shell of the
// chain exists yet to type it into (cragboard-prefmerge, berthplan-rules,
// plotbook-noticepreview, cuspid-labelfmt: the injection's first command).
// Every program the tree executed is a check or the code's head.
func probeTree(root *parser.Process) bool {
	var head string
	checks := false // the shell's whole code is checks
	if len(root.Args) > 0 && isShellName(path.Base(root.Exe)) {
		code := dashC(root.Args)
		segs := strings.FieldsFunc(code, func(r rune) bool { return strings.ContainsRune(";&|\n", r) })
		if len(segs) == 0 {
			return false
		}
		first := strings.Fields(segs[0])
		if len(first) == 0 {
			return false
		}
		checks = slices.Contains(probePrograms, path.Base(first[0]))
		if !checks && len(segs) < 2 {
			return false
		}
		for _, sg := range segs[1:] {
			w := strings.Fields(sg)
			if len(w) == 0 || !slices.Contains(probePrograms, path.Base(w[0])) {
				return false
			}
		}
		if !checks {
			head = path.Base(first[0])
		}
	}
	stack := []*parser.Process{root}
	n, probes := 0, 0
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n++; n > maxProbeTree {
			return false
		}
		for _, ex := range p.Execs {
			if ex.Inherited {
				continue // its parent's image before its own exec
			}
			name := path.Base(ex.Exe)
			if ex.Exe == "" && len(ex.Args) > 0 {
				name = path.Base(ex.Args[0])
			}
			switch {
			case slices.Contains(probePrograms, name):
				probes++
			case p == root && (head != "" || checks) && isShellName(name):
			case p != root && head != "" && (name == head || len(ex.Args) > 0 && path.Base(ex.Args[0]) == head):
			default:
				return false
			}
		}
		stack = append(stack, p.Children...)
	}
	return probes > 0
}
