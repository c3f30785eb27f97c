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

// launchedBy returns the exec of the shell that started p, when that
// shell's command named a planted file; nil otherwise.
func (s *state) launchedBy(p *parser.Process) *parser.Event {
	if p == nil || p.Parent == nil {
		return nil
	}
	for i := len(s.launchers) - 1; i >= 0; i-- {
		if s.launchers[i].proc == p.Parent {
			return s.launchers[i].ev
		}
	}
	return nil
}
