package timeline

import (
	"path"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// shellIndex remembers, per host, account and working folder, the shells
// started there (pid and time): what linkScriptFamilies asks to tell
// whether a family under an unseen parent could have been forked by
// another shell than the intrusion's script. Memory is bounded by design:
// at most maxShellFolders folders of maxShellsPerFolder shells each; a
// folder that saw more, or one that came after the table was full, is
// marked overflowed and answers "maybe", which leaves the family alone.
type shellIndex struct {
	m    map[shellFolder]*shellList
	full bool // a folder was refused: any folder not listed may have had shells
}

type shellFolder struct {
	host, cwd string
	uid       uint32
}

type shellList struct {
	runs     []shellRun
	overflow bool
}

type shellRun struct {
	pid, ppid int
	at        time.Time
	// unseenParent: its parent was known only by its pid when it
	// started (not init): a family of the kind whose forker is sought
	unseenParent bool
}

const (
	maxShellFolders    = 256
	maxShellsPerFolder = 256
)

// note records a shell's exec (a shell's program, a known folder other
// than /, an account).
func (x *shellIndex) note(ev *parser.Event) {
	if ev.Failed() || ev.Proc == nil || !ev.UID.Set || ev.Cwd == "" || ev.Cwd == "/" || !isShellName(path.Base(ev.Exe)) {
		return
	}
	k := shellFolder{ev.Host, ev.Cwd, ev.UID.N}
	l := x.m[k]
	if l == nil {
		if len(x.m) >= maxShellFolders {
			x.full = true
			return
		}
		if x.m == nil {
			x.m = map[shellFolder]*shellList{}
		}
		k.cwd = string([]byte(k.cwd)) // not a view of the record's text
		l = &shellList{}
		x.m[k] = l
	}
	if len(l.runs) >= maxShellsPerFolder {
		l.overflow = true
		return
	}
	par := ev.Proc.Parent
	unseen := par != nil && par.Key.PID != 1 && (par.Placeholder || unnamed(par))
	l.runs = append(l.runs, shellRun{ev.PID, ev.PPID, ev.Time, unseen})
}

// other reports whether a shell of uid in cwd on host started with a pid
// between script and hi (exclusive) at or before t, that is neither the
// script's child nor itself under an unseen parent (another family whose
// forker is the question) — or whether the index cannot tell.
func (x *shellIndex) other(host, cwd string, uid uint32, script, hi int, t time.Time) bool {
	l := x.m[shellFolder{host, cwd, uid}]
	if l == nil {
		return x.full
	}
	if l.overflow {
		return true
	}
	for _, r := range l.runs {
		if r.pid > script && r.pid < hi && !r.at.After(t) && r.ppid != script && !r.unseenParent {
			return true
		}
	}
	return false
}
