package detect

import (
	"path"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// The command that started a planted program is part of the evidence of
// its firing. A service or hook runs it through a shell (`sh -c
// '/usr/bin/python3 /usr/local/lib/sysstat/sa-collect'`, the attach-daemon
// line of plotbook-noticepreview's planted vassal): the shell's exec names
// the program and says what launched it, the program's own exec is the
// plant running. The planted-file-run finding stays on the program's exec
// and quotes its parent shell's exec beside it, so that the line that
// holds the persistence is in the report, not only its effect.

// maxLaunchers bounds the shells remembered (a ring).
const maxLaunchers = 64

// launcher is a shell exec whose command names a flagged file.
type launcher struct {
	proc *parser.Process
	ev   *parser.Event // retained while the entry is kept
}

// noteLauncher remembers a shell exec whose -c command names a file the
// intrusion planted.
func (s *state) noteLauncher(ev *parser.Event) {
	if ev.Proc == nil || ev.Failed() || len(s.flagged.m) == 0 {
		return
	}
	sc, ok := shellCommand(ev.Exe, ev.Args)
	if !ok {
		return
	}
	named := false
	for _, p := range pathTokenRE.FindAllString(sc, 16) {
		// a program the intrusion put in place whole: the shell that runs
		// a site's own script a line was appended to (root's cron running
		// its maintenance job) is the victim's routine, not the plant's
		if fw, ok := s.flagged.m[writeKey{ev.Host, path.Clean(strings.TrimRight(p, `.,'"`))}]; ok && (fw.rule == RuleProgramPlanted || fw.rule == RuleDroppedByCommand) {
			named = true
			break
		}
	}
	if !named {
		return
	}
	if len(s.launchers) >= maxLaunchers {
		s.launchers[0].proc.Unpin() // its Retain
		s.launchers = s.launchers[1:]
	}
	ev.Retain(parser.KeepText) // a finding of its child quotes it
	s.launchers = append(s.launchers, launcher{ev.Proc, ev})
}

// launchedBy returns the exec of the shell that started ev's process,
// when that shell's command named a planted file; nil otherwise. A shell
// that puts the command in the background and exits leaves its child to
// init, and no fork record may show the tie (shop-giftcard: root's PHP
// job ran `sh -c 'setsid /usr/bin/tclsh …/.zend-compat.tcl &'`; tclsh
// execs with ppid 1): then the launcher is the shell whose backgrounded
// command is this exec's, run within adoptWindow before it (orphaned says
// so, for the reason: an inference from the text and the time).
func (s *state) launchedBy(ev *parser.Event) (l *parser.Event, orphaned bool) {
	p := ev.Proc
	if p == nil {
		return nil, false
	}
	for i := len(s.launchers) - 1; i >= 0; i-- {
		if p.Parent != nil && s.launchers[i].proc == p.Parent {
			return s.launchers[i].ev, false
		}
	}
	if p.Parent != nil && !p.Parent.Placeholder && p.Parent.Key.PID != 1 {
		return nil, false
	}
	sum := argvSum(ev.Args)
	for i := len(s.launchers) - 1; i >= 0; i-- {
		l := s.launchers[i].ev
		if l.Host != ev.Host || l.Time.After(ev.Time) || ev.Time.Sub(l.Time) > adoptWindow {
			continue
		}
		sc, ok := shellCommand(l.Exe, l.Args)
		if !ok {
			continue
		}
		for _, argv := range backgrounded(sc) {
			if argvSum(argv) == sum {
				return l, true
			}
		}
	}
	return nil, false
}
