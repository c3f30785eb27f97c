package detect

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// The intrusion's program started again. An implant the intrusion ran (a
// script or program outside the system's folders whose own process a rule
// flagged at high: it opened a command channel, ran the intruder's tasks)
// is later started again by a process outside the intrusion — cron, a
// service, a login. Whatever started it was made to: a persistence
// mechanism fired, even where the log never shows it being put in place
// (cragboard-prefmerge: NODE_OPTIONS appended to /etc/environment, an
// unwatched file, made root's cron job preload a script that started the
// agent again; its first run was the intrusion's). The relaunch is adopted
// for the intrusion's web server, as a planted program's run is, and is
// reported as persistence fired, citing the earlier run. Only a program
// the log first shows in the intrusion's hands counts: one a process
// outside the intrusion ran before (the application's own CLI the web
// shell also called) is nobody's implant.

// maxImplants bounds the implants and the programs remembered.
const (
	maxImplants     = 64
	maxProgramsSeen = 4096
	maxProgramPath  = 4096 // PATH_MAX: the longest name a program is run by
	implantMinFlag  = SeverityHigh
)

// implant is a program the intrusion ran whose process a rule flagged.
type implant struct {
	web   *parser.Process
	ev    *parser.Event // the flagged act of its run (retained)
	title string        // that act's finding's title
	at    time.Time
}

// implants remembers the intrusion's programs, and which programs ran
// outside the intrusion before (so that those are never taken for one).
type implants struct {
	by     map[hostPath]implant
	before map[hostPath]bool // programs run outside the intrusion (bounded: cleared when full)
	runs   map[*parser.Process]implant
	halves map[parser.ProcKey]implantHalf // bounded: cleared when full
	// watched: the intrusion's own execs that start an implant again
	// from a launcher of its own (watchdog, below)
	watched map[*parser.Process]watchdogRun
}

type hostPath struct{ host, path string }

// programOf returns the program an exec's argv runs, past its wrappers:
// the script an interpreter is given, or the executable; "" for a
// program of the system's folders, inline code, or none.
func programOf(exe, cwd string, args []string) string {
	prog := exe
	if i := commandStart(args); i < len(args) {
		w := strings.Trim(args[i], `"'`)
		if isScriptRunner(w) || isScriptRunner(exe) && i == 0 {
			prog = scriptOperand(args[i+1:])
		} else if path.IsAbs(w) || i > 0 && strings.Contains(w, "/") {
			// past a wrapper (nohup ./miner) the operand names the
			// program; a bare name is a PATH lookup the log does not
			// resolve
			prog = w
		}
	}
	if prog == "" || len(prog) > maxProgramPath {
		return "" // no file has such a name: a hostile argv kept nowhere
	}
	if !path.IsAbs(prog) {
		if !path.IsAbs(cwd) {
			return ""
		}
		prog = path.Join(cwd, prog)
	}
	prog = path.Clean(prog)
	if systemProgramDir(path.Dir(prog)) {
		return ""
	}
	return prog
}

// noteRun remembers a program run outside the intrusion.
func (m *implants) noteRun(ev *parser.Event, in *procInfo) {
	if ev.Kind != parser.KindExec || ev.Failed() || in.web != nil || in.channel != nil || in.webSelf {
		return
	}
	prog := programOf(ev.Exe, ev.Cwd, ev.Args)
	if prog == "" {
		return
	}
	k := hostPath{ev.Host, prog}
	if _, ok := m.by[k]; ok {
		return // the implant itself: relaunch decides
	}
	if m.before == nil || len(m.before) >= maxProgramsSeen {
		m.before = map[hostPath]bool{}
	}
	if !m.before[k] {
		m.before[hostPath{ev.Host, strings.Clone(prog)}] = true
	}
}

// noteFlagged remembers the program of a flagged act's process, when the
// process runs for the intrusion and the program is not one that ran
// outside it before.
func (m *implants) noteFlagged(f *Finding, in procInfo) {
	p := f.Process
	if p == nil || f.Event == nil || f.Event.Proc != p || in.web == nil && in.channel == nil || in.webSelf {
		return
	}
	// An implant talks to its operator itself and is flagged at high for
	// what it does: a network act flagged at high says both; so does a
	// high act of a process whose own network act was flagged too (a
	// miner: its run is resource hijacking, its pool connect an outbound
	// one). Any other flagged act (a root login's shell set-up the
	// intruder's session ran first: shop-miner's pyenv init) is no
	// implant of its own.
	net := false
	switch f.Event.Kind {
	case parser.KindConnect, parser.KindAccept, parser.KindBind:
		net = true
	}
	high := f.Severity >= implantMinFlag
	if !high && !net {
		return
	}
	var last parser.Exec
	found := false
	for i := len(p.Execs) - 1; i >= 0; i-- {
		if !p.Execs[i].Inherited {
			last, found = p.Execs[i], true
			break
		}
	}
	if !found {
		return
	}
	prog := programOf(last.Exe, last.Cwd, last.Args)
	if prog == "" || shellNames[path.Base(prog)] {
		return
	}
	title := f.Title
	if !high || !net {
		// one half: remembered by the process's key (no pointer, no
		// pin), bounded; the citation is the act that completes it
		if m.halves == nil || len(m.halves) >= maxProgramsSeen {
			m.halves = map[parser.ProcKey]implantHalf{}
		}
		h := m.halves[p.Key]
		if high && h.title == "" {
			h.title = strings.Clone(f.Title)
		}
		h.net = h.net || net
		if h.title == "" || !h.net {
			m.halves[p.Key] = h
			return
		}
		delete(m.halves, p.Key)
		title = h.title
	}
	k := hostPath{f.Host, prog}
	if _, ok := m.by[k]; ok || m.before[k] {
		return
	}
	web := in.web
	if web == nil {
		web = in.channel.opener
	}
	if web == nil {
		return
	}
	if m.by == nil {
		m.by = map[hostPath]implant{}
	}
	if len(m.by) >= maxImplants {
		return // the first ones stay: a log of many implants is told by them
	}
	f.Event.Retain(parser.KeepText)
	k.path = strings.Clone(k.path)
	m.by[k] = implant{web: web, ev: f.Event, title: strings.Clone(title), at: f.Event.Time}
}

// implantHalf is what a process of the intrusion showed of an implant so
// far: a high act (its finding's title) or a flagged network act (net),
// not both.
type implantHalf struct {
	title string
	net   bool
}

// relaunch adopts an exec outside the intrusion that starts one of its
// programs again, and tells one inside it that its own launcher starts
// (watchdog).
func (s *state) relaunch(ev *parser.Event, in *procInfo) {
	m := &s.implants
	if len(m.by) == 0 || ev.Kind != parser.KindExec || ev.Failed() || ev.Proc == nil || in.webSelf {
		return
	}
	prog := programOf(ev.Exe, ev.Cwd, ev.Args)
	if prog == "" {
		return
	}
	im, ok := m.by[hostPath{ev.Host, prog}]
	if !ok || !ev.Time.After(im.at) {
		return
	}
	if in.web != nil || in.channel != nil {
		m.watchdog(ev, im, prog)
		return
	}
	if _, _, planted := s.flagged.ranFile(ev); planted {
		return // a planted file's run: planted-file-run says more (which write put it there)
	}
	s.adoptFor(ev.Proc, im.web)
	s.markAdopted(ev.Proc, adoptPlantWhole)
	if m.runs == nil || len(m.runs) >= maxImplants {
		m.runs = map[*parser.Process]implant{}
	}
	m.runs[ev.Proc] = im
}

// Inside the intrusion, the implant started again by a program of the
// intrusion's own — a script or binary outside the system's folders, not
// the implant itself — is kept running by it: a watchdog (shop-miner's
// .wd.sh, a loop that starts the miner whenever it is gone) or a
// launcher. That is persistence, though no place of the system's was
// changed. The intruder starting it again by hand (a web shell's sh -c)
// runs no program of its own, and is not told so.

// watchdogRun is an implant started again by a launcher of the
// intrusion's.
type watchdogRun struct {
	im       implant
	launcher *parser.Process
	prog     string // the launcher's program
}

// watchdog remembers an exec of the intrusion that starts its implant
// prog again from a launcher program of its own.
func (m *implants) watchdog(ev *parser.Event, im implant, prog string) {
	l := ev.Proc.Parent
	if l == nil || im.ev.Proc == ev.Proc {
		return
	}
	lp := ""
	for i := len(l.Execs) - 1; i >= 0; i-- {
		if x := l.Execs[i]; !x.Inherited {
			lp = programOf(x.Exe, x.Cwd, x.Args)
			break
		}
	}
	if lp == "" || lp == prog {
		return // inline code (the intruder's own command), or the implant forking itself
	}
	if m.watched == nil || len(m.watched) >= maxImplants {
		m.watched = map[*parser.Process]watchdogRun{}
	}
	m.watched[ev.Proc] = watchdogRun{im: im, launcher: l, prog: strings.Clone(lp)}
}

// watchdogged returns the launcher run that started an implant again.
func (s *state) watchdogged(ev *parser.Event) (watchdogRun, bool) {
	if ev.Kind != parser.KindExec || len(s.implants.watched) == 0 {
		return watchdogRun{}, false
	}
	w, ok := s.implants.watched[ev.Proc]
	return w, ok
}

// watchdogReason says which earlier run was the implant's and what
// started it again.
func watchdogReason(w watchdogRun, prog string) string {
	return fmt.Sprintf("; %s ran for the intrusion before: pid %d at %s (%s); started again here by pid %d running %s, a program of the intrusion's own that starts it again (a watchdog or launcher keeping it running: inferred from the two runs)",
		prog, w.im.ev.PID, w.im.at.UTC().Format("15:04:05.000"), w.im.title, w.launcher.Key.PID, w.prog)
}

// RuleImplantWatchdog is the rule whose finding is such a start; its
// Related event is the earlier run's flagged act.
const RuleImplantWatchdog = "implant-watchdog"

// relaunched returns the implant an exec started again, if it did.
func (s *state) relaunched(ev *parser.Event) (implant, bool) {
	if ev.Kind != parser.KindExec || len(s.implants.runs) == 0 {
		return implant{}, false
	}
	im, ok := s.implants.runs[ev.Proc]
	return im, ok
}

// relaunchReason says which earlier run of the program was the
// intrusion's.
func relaunchReason(im implant, prog string) string {
	return fmt.Sprintf("; %s ran for the intrusion before: pid %d at %s (%s); started again here by a process outside it, so something made to start it did (a persistence mechanism fired, inferred: the log may not show it put in place)",
		prog, im.ev.PID, im.at.UTC().Format("15:04:05.000"), im.title)
}

// RuleImplantRelaunched is the rule whose finding is such a relaunch; its
// Related event is the earlier run's flagged act.
const RuleImplantRelaunched = "implant-relaunched"
