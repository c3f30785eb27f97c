package report

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Observed vs inferred (issue 14): a process the logs show is observed; one
// known only as someone's ppid, or placed in the tree by a guess, is
// inferred, and the report says so and why, in the JSON (inferred, reason)
// and in the text and HTML ("(inferred: …)").

// inferredProcess says whether what the report shows of p is inferred
// rather than read from its own records, and why.
func inferredProcess(p *parser.Process) (bool, string) {
	switch {
	case p == nil:
		return false, ""
	case p.ParentGuess == parser.GuessSubshell && p.Parent != nil:
		// parser's inferSubshellParent: a shell's forked subshell (a loop,
		// a pipeline's part) that never exec'd
		l := p.Parent
		why := "its command names what this one ran"
		if !slices.ContainsFunc(l.Args, func(a string) bool { return len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a, 'c') }) {
			why = "it runs a script, and it or its child holds the nearest logged pid below, within a second"
		}
		return true, "not in the logs; taken to be a subshell that " + procLabel(baseName(l.Exe), l.Key.PID) +
			" forked (" + pidsAbove(p.Key.PID-l.Key.PID) + " above it, " + why + ", the same user): its parent is inferred"
	case p.ParentGuess == parser.GuessRelay && p.Parent != nil:
		// parser's inferSubshellParent: the fork of a program that hands a
		// command from its own argv to the shell (socat SYSTEM:…)
		l := p.Parent
		return true, "not in the logs; taken to be the fork of " + procLabel(baseName(l.Exe), l.Key.PID) +
			" that runs the command its argv holds (" + pidsAbove(p.Key.PID-l.Key.PID) + " above it, its child's shell runs that very command, the same user): its parent is inferred"
	case p.ParentInferred() && p.Parent != nil && !p.Placeholder:
		// parser's orphanLauncher: its own records name init as its
		// parent while it still runs the image it was forked with
		l := p.Parent
		r := "its records name init as its parent (the one that forked it had exited) while it still ran " + baseName(l.Exe) +
			" before any exec of its own; taken to be the background fork of " + procLabel(baseName(l.Exe), l.Key.PID) +
			" (" + pidsAbove(p.Key.PID-l.Key.PID) + " above it"
		if n := len(l.Execs); n > 0 && !l.Execs[n-1].Inherited {
			if d := p.FirstSeen.Sub(l.Execs[n-1].Time); d >= 0 {
				r += ", the latest to exec that program before this one was first traced, " + d.Round(time.Millisecond).String() + " before"
			}
		}
		return true, r + "): its parent is inferred"
	case p.ParentInferred() && p.Parent != nil:
		// parser.inferDaemonParent: the latest process to exec the same
		// program before this one was first traced, at a lower pid,
		// privilege not inverted
		l := p.Parent
		r := "not in the logs; taken to be the daemon " + procLabel(baseName(l.Exe), l.Key.PID) +
			" forked into the background (the same program, " + pidsAbove(p.Key.PID-l.Key.PID) + " above it"
		if n := len(l.Execs); n > 0 && !l.Execs[n-1].Inherited {
			if d := p.FirstSeen.Sub(l.Execs[n-1].Time); d >= 0 {
				r += ", the latest to exec it before this one was first traced, " + d.Round(time.Millisecond).String() + " before"
			}
		}
		return true, r + "): its name and parent are inferred"
	case p.Placeholder && p.ImageInferred:
		// parser's inferMasterImage: two forks of it that never exec'd
		return true, "not in the logs; its program is taken from its forks, which run " + baseName(p.Exe) +
			" without an exec of their own (a fork keeps its parent's image, as a server's workers keep their master's); its command line is unknown"
	case p.Placeholder && p.Key.PID == 1:
		return true, "not in the logs: pid 1, init"
	case p.Placeholder:
		return true, "not in the logs: known only as the parent pid of a logged process, so its name and command are unknown"
	}
	return false, ""
}

// inferredMark is the text shown after an inferred process's label.
func inferredMark(inferred bool, reason string) string {
	if !inferred {
		return ""
	}
	return " (inferred: " + reason + ")"
}

// pidsAbove says how many pids separate a process from its parent.
func pidsAbove(n int) string {
	if n == 1 {
		return "1 pid"
	}
	return strconv.Itoa(n) + " pids"
}
