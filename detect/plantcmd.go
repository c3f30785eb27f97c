package detect

import (
	"cmp"
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// A command an intrusion writes into a configuration runs later in a shell
// of whatever reads that configuration: git runs core.fsmonitor,
// core.pager, core.sshCommand and "!" aliases as `sh -c 'CMD "$@"' 'CMD' …`,
// ssh a ProxyCommand, apt a DPkg::Post-Invoke, tar a --to-command, each
// with sh -c CMD. No file of the intrusion is executed, so PlantedFile
// cannot see it (tallyhall-xslt: the web account's `git -C <deploy tree>
// config core.fsmonitor 'sh /var/tmp/.tally/t.sh; false'`; a minute later
// root's drift check ran `git status` there, and git ran the hook as
// root). But the text is in the log twice: as an argument of the
// configuring command, and as the shell's code (or its $0) when it fires.
// That identity is the evidence, observed and not inferred: the shell runs
// what the intrusion configured, whoever started it.
//
// Only the arguments of a persistence act of the intrusion (acting for a
// web server, or in its channel) are kept, and only those that read as
// shell code (a blank or a shell operator in them): a value the intruder
// typed, not the command's own options. The shell's -c code itself is not
// kept: running the same line again is the intruder repeating a command,
// not a plant firing. At most maxPlantedCmds are kept, the oldest
// forgotten first (counted in Engine.Dropped).

// maxPlantedCmds bounds the command texts remembered.
const maxPlantedCmds = 256

// plantedCmdLen bounds the length of a remembered command text.
const plantedCmdLen = 4096

type cmdKey struct{ host, text string }

// plantedCmd is a command text an intrusion configured: who set it, when,
// and the act's event (the write of the configuration, or the command).
type plantedCmd struct {
	fw    flaggedWrite
	text  string
	by    string // "git[15396]"
	event *parser.Event
	// setter is the configuring process: a shell it starts running the
	// text at once (its own `sh -c "…"`) is the command in use, not a plant
	// firing later for what reads the configuration
	setter parser.ProcKey
}

type plantedCmds struct {
	m       map[cmdKey]plantedCmd
	order   []cmdKey
	dropped int
}

// note remembers the command texts among the arguments of a persistence
// act of the intrusion.
func (c *plantedCmds) note(f *Finding, web *parser.Process, intruder bool) {
	if f == nil || !intruder || f.Stage != StagePersistence || f.Event == nil || f.Event.Failed() || f.Process == nil {
		return
	}
	args := f.Event.Args
	if f.Event.Kind != parser.KindExec {
		args = f.Process.Args // a write: the writer's command says what it wrote
	}
	if len(args) < 2 {
		return
	}
	var texts []string
	prog := cmp.Or(f.Process.Exe, args[0])
	if isShell(prog) {
		// the script itself is the intruder's command, not a plant; a
		// command quoted inside a line it writes to a file is text for
		// what reads that file (`printf 'Match … exec "setsid -f
		// …/ca-sync.py; exit 1"' >> ~/.ssh/config`)
		texts = writtenQuotes(args[1:])
	} else {
		for _, a := range args[1:] {
			if commandText(a) {
				texts = append(texts, a)
				if t := strings.TrimPrefix(a, "!"); t != a && commandText(t) {
					texts = append(texts, t) // a git alias runs what follows its "!"
				}
			}
		}
		if lineWriters[path.Base(prog)] {
			for _, a := range args[1:] {
				texts = append(texts, quotedCommands(a)...)
			}
		}
	}
	for _, a := range texts {
		k := cmdKey{f.Host, a}
		if _, ok := c.m[k]; ok {
			continue // the first setting stands
		}
		if c.m == nil {
			c.m = map[cmdKey]plantedCmd{}
		}
		if len(c.order) >= maxPlantedCmds {
			c.m[c.order[0]].fw.web.Unpin()
			delete(c.m, c.order[0])
			c.order = c.order[1:]
			c.dropped++
		}
		web.Pin()                       // kept past the act, until the entry goes
		f.Event.Retain(parser.KeepText) // quoted as the firing's evidence
		k.text = strings.Clone(a)
		c.m[k] = plantedCmd{
			fw:     flaggedWrite{rule: RulePersistenceCommand, uid: f.Event.UID, web: web, at: f.Event.Time},
			text:   k.text,
			by:     procLabel(f.Process),
			event:  f.Event,
			setter: f.Process.Key,
		}
		c.order = append(c.order, k)
	}
}

// fired returns the configured command a shell's exec runs: its -c code
// (without the `"$@"` git appends to pass its own arguments on) or an
// operand after the code, equal to a remembered text and run after it was
// set.
func (c *plantedCmds) fired(ev *parser.Event) (plantedCmd, bool) {
	if len(c.m) == 0 || ev.Kind != parser.KindExec || ev.Failed() {
		return plantedCmd{}, false
	}
	code, i, ok := shellCommandAt(ev.Exe, ev.Args)
	if !ok {
		return plantedCmd{}, false
	}
	look := func(t string) (plantedCmd, bool) {
		pc, ok := c.m[cmdKey{ev.Host, t}]
		return pc, ok && !ev.Time.Before(pc.fw.at) && !descendsFrom(ev.Proc, pc.setter)
	}
	if pc, ok := look(strings.TrimSpace(strings.TrimSuffix(code, ` "$@"`))); ok {
		return pc, true
	}
	for _, a := range ev.Args[i+1:] {
		if pc, ok := look(a); ok {
			return pc, true
		}
	}
	return plantedCmd{}, false
}

// descendsFrom reports whether p is the process k or below it.
func descendsFrom(p *parser.Process, k parser.ProcKey) bool {
	for i := 0; p != nil && i < 4096; p, i = p.Parent, i+1 {
		if p.Key == k {
			return true
		}
	}
	return false
}

// reason says what fired, from whom.
func (pc plantedCmd) reason() string {
	t := pc.text
	if len(t) > 120 {
		t = strings.ToValidUTF8(t[:117], "") + "…"
	}
	return "the shell runs `" + t + "`, the command " + pc.by + " configured at " +
		pc.fw.at.UTC().Format("15:04:05") + " (the same text is an argument of its command line): observed"
}

// lineWriters print the text they are given, for a redirection or tee to
// write into a file.
var lineWriters = map[string]bool{"printf": true, "echo": true}

// writtenQuotes returns the quoted command texts in the printf and echo
// commands of a shell's scripts that write a file (a redirection or tee).
// A command quoted for a program that runs it at once (ssh host 'id;
// hostname', su -c '…', an inner sh -c "…") is the intruder's command in
// use, run by that program now: only text written to a file waits there
// for its reader (stillroom-savedview's ssh to deploy ran its quoted
// command through deploy's login shell within the second).
func writtenQuotes(scripts []string) []string {
	var out []string
	for _, sc := range scripts {
		if !strings.Contains(sc, ">") && !strings.Contains(sc, "tee") {
			continue
		}
		simpleCommands(sc, func(words []string, _ bool) bool {
			if lineWriters[path.Base(words[0])] {
				for _, w := range words[1:] {
					out = append(out, quotedCommands(w)...)
				}
			}
			return len(out) < maxQuotedCommands
		})
	}
	return out
}

// maxQuotedCommands bounds the quoted command texts one argument gives.
const maxQuotedCommands = 8

// quotedCommands returns the texts between a pair of the same quotes in a
// that read as command lines (commandText): what a configuration line an
// intruder writes gives its reader to run (ssh's `Match exec "…"`, a
// ProxyCommand in quotes, a unit's ExecStart='…'). Each quote is paired
// with the next of its kind, inner quotes of the other kind included in
// the text, at most maxQuotedCommands.
func quotedCommands(a string) []string {
	var out []string
	for i := 0; i < len(a) && len(out) < maxQuotedCommands; i++ {
		q := a[i]
		if q != '"' && q != '\'' {
			continue
		}
		j := strings.IndexByte(a[i+1:], q)
		if j < 0 {
			continue
		}
		if t := strings.TrimSpace(a[i+1 : i+1+j]); commandText(t) {
			out = append(out, t)
		}
	}
	return out
}

// commandText reports whether an argument reads as a shell command line: a
// blank or a shell operator between words, not an option, a path alone,
// or a sentence (a commit message) that starts with no program.
func commandText(a string) bool {
	if len(a) < 6 || len(a) > plantedCmdLen || strings.HasPrefix(a, "-") || !strings.ContainsAny(a, " \t;|&") {
		return false
	}
	// the first word is a program: a path or a lower-case command name
	w := strings.TrimLeft(a, " \t(")
	if w == "" {
		return false
	}
	if w[0] == '/' || w[0] == '.' || w[0] == '!' {
		return true
	}
	end := strings.IndexAny(w, " \t;|&")
	if end <= 0 {
		return false
	}
	for _, r := range w[:end] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
