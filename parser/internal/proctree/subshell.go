package proctree

import (
	"path"
	"strings"
	"time"
)

// A shell runs a loop or a pipeline's last part in a forked subshell (`od
// … | while read h; do ping -p $h …; done`). The fork is not audited and
// the subshell never execs, so the programs it runs name a parent pid the
// log never shows: their ancestry ends at an unknown pid, cut off from the
// shell, and from everything above it (the intruder's channel). The
// shell's other forks of that command (the pipeline's other parts) took
// the pids just below, and its command names what the subshell runs.
//
// inferSubshellParent links such a placeholder to the shell when all of
// these hold: a shell running a -c command started at most
// subshellWindow before; it, or a child of it (a sibling in the
// pipeline), holds one of the subshellPIDWindow pids just below; its
// command names the placeholder's child's program as a command word —
// or, for a shell running a script file (its text is not in the log),
// it or its child holds the nearest logged pid below, taken within a
// second; and the child runs as the shell's own user (a fork changes no user: a
// guess never draws a root process under another account's shell). The
// node says the link is inferred.

const (
	subshellPIDWindow = 8
	subshellWindow    = 5 * time.Second
)

var shellImages = map[string]bool{"sh": true, "dash": true, "bash": true, "zsh": true, "ksh": true, "mksh": true, "ash": true, "busybox": true}

func (t *Tree) inferSubshellParent(q *Process, image string, childUID ID) {
	prog := path.Base(image)
	if prog == "" || prog == "." || prog == "/" || !childUID.Set {
		return
	}
	nearest := true
	for pid := q.Key.PID - 1; pid > 0 && pid >= q.Key.PID-subshellPIDWindow; pid-- {
		hk := hostPID{q.Key.Host, pid}
		if skip, logged := t.coldSpilled(hk, q.FirstSeen.Add(-subshellWindow)); skip {
			// on disk and too old to be the shell (or its parent): no
			// read-back, but a logged pid all the same
			if logged {
				nearest = false
			}
			continue
		}
		l := t.current(hk)
		if l == nil || l.Placeholder {
			continue
		}
		first := nearest
		nearest = false
		for _, s := range []*Process{l, l.Parent} {
			if s == nil || s.Placeholder || s.FirstSeen.After(q.FirstSeen) || q.FirstSeen.Sub(s.FirstSeen) > subshellWindow {
				continue
			}
			if !s.UID.Set || s.UID.N != childUID.N {
				continue
			}
			if !shellImages[path.Base(s.Exe)] {
				continue
			}
			cmd, dashC := shellDashC(s.Args)
			// a shell running a script file: its text is not in the log,
			// so only the nearest pid below, taken within a second by the
			// shell or one of its children, ties the subshell to it
			script := !dashC && first && scriptShell(s.Args) && q.FirstSeen.Sub(l.FirstSeen) <= time.Second
			if dashC && namesCommand(cmd, prog) || script {
				q.Exe, q.Comm = s.Exe, s.Comm
				q.UID, q.User = s.UID, s.User
				q.ParentGuess = GuessSubshell
				t.link(q, s)
				return
			}
		}
	}
}

// A program that runs a command it is given as one argument — socat's
// SYSTEM:cmd, nc/ncat -c cmd, script -c cmd — forks a child that hands the
// command to /bin/sh -c (system(3)); that fork never execs either, so the
// shell names a parent pid the log never shows (desk-attachname: alice's
// ~/.ssh/rc starts `socat UDP4:… SYSTEM:'echo ready; exec sh'`, and the
// shell's commands were cut off from the socket that fed them). The
// program holds the pid just below, as its own user, and its argv holds
// the shell's whole -c string: relays links the two.

// inferRelayParent links placeholder q to the relay holding the pid just
// below it when that relay's argv holds the whole -c command q's child
// runs, as its own user, started at most subshellWindow before. It is
// tried before the daemon and subshell guesses: a command handed over
// word for word is stronger evidence than an image or a nearby pid.
func (t *Tree) inferRelayParent(q *Process, childArgs []string, childUID ID) {
	if !childUID.Set {
		return
	}
	for pid := q.Key.PID - 1; pid > 0 && pid >= q.Key.PID-subshellPIDWindow; pid-- {
		hk := hostPID{q.Key.Host, pid}
		if skip, logged := t.coldSpilled(hk, q.FirstSeen.Add(-subshellWindow)); skip {
			if !logged {
				continue
			}
			return // the nearest logged pid, on disk and too old to relay
		}
		s := t.current(hk)
		if s == nil || s.Placeholder {
			continue
		}
		if !s.FirstSeen.After(q.FirstSeen) && q.FirstSeen.Sub(s.FirstSeen) <= subshellWindow &&
			s.UID.Set && s.UID.N == childUID.N && relays(s.Args, childArgs) {
			q.Exe, q.Comm = s.Exe, s.Comm
			q.UID, q.User = s.UID, s.User
			q.ParentGuess = GuessRelay
			t.link(q, s)
		}
		return // only the nearest logged pid below
	}
}

// minRelayCommand: a -c string shorter than this could be any program's
// word by chance.
const minRelayCommand = 6

// relays reports whether a relay's argv hands the child's -c command to
// the shell: one of its arguments is that command, or ends with it after
// a "SYSTEM:"/"EXEC:" address type.
func relays(relay, child []string) bool {
	cmd, ok := shellDashC(child)
	if !ok || len(cmd) < minRelayCommand || len(relay) < 2 {
		return false
	}
	for _, a := range relay[1:] {
		if a == cmd || strings.HasSuffix(a, ":"+cmd) && len(a) <= len(cmd)+16 {
			return true
		}
	}
	return false
}

// scriptShell reports whether a shell's argv runs a script file (sh
// /path/x …), not a -c string or an interactive shell.
func scriptShell(args []string) bool {
	return len(args) >= 2 && args[1] != "" && args[1][0] != '-'
}

// shellDashC returns the command a shell's argv runs with -c.
func shellDashC(args []string) (string, bool) {
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			return "", false
		}
		if strings.IndexByte(a, 'c') > 0 {
			if i+1 < len(args) {
				return args[i+1], true
			}
			return "", false
		}
	}
	return "", false
}

// namesCommand reports whether a shell command has prog as a command word:
// at its start or after a separator, a keyword (do, then, else) or a path.
func namesCommand(cmd, prog string) bool {
	// bounded: the command line is the intruder's to make long, and each
	// occurrence looks back over its word
	if len(cmd) > maxNamesScan {
		cmd = cmd[:maxNamesScan]
	}
	for i, n := 0, 0; n < maxNamesHits; n++ {
		j := strings.Index(cmd[i:], prog)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(prog)
		i = end
		if end < len(cmd) && !strings.ContainsRune(" \t\n;|&)", rune(cmd[end])) {
			continue
		}
		k := at
		if k > 0 && cmd[k-1] == '/' { // /usr/bin/ping
			for stop := max(0, k-256); k > stop && !strings.ContainsRune(" \t\n;|&(", rune(cmd[k-1])); {
				k--
			}
		}
		before := strings.TrimRight(cmd[:k], " \t")
		if before == "" || strings.ContainsRune(";|&(\n", rune(before[len(before)-1])) {
			return true
		}
		for _, kw := range []string{"do", "then", "else", "nohup", "exec", "time", "timeout", "!"} {
			if strings.HasSuffix(before, kw) && (len(before) == len(kw) || strings.ContainsRune(" \t;|&(\n", rune(before[len(before)-len(kw)-1]))) {
				return true
			}
		}
	}
	return false
}

// Bounds of namesCommand: the bytes of a command read, and the
// occurrences of the program's name judged.
const (
	maxNamesScan = 16 << 10
	maxNamesHits = 64
)
