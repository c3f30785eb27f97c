package detect

import (
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/auditchain/auditchain/parser"
)

// A planted script that starts its payload in the background — `(echo …
// | base64 -d | python3 - &)` appended to a script root's cron runs — runs
// it in a subshell that never execs: a fork makes no audited record, so
// the payload's processes name a parent pid the log never shows, and
// nothing ties them to the plant (news-deser: the beacon and every task it
// ran as root, judged as root's own activity). An exec whose parent was
// never seen, as the same account, in the same working directory, at most
// plantForkWindow after a planted file ran, is adopted for the web server
// the plant's writer acted for: its unseen parent is taken as the plant's
// fork (inferred, as adoption always is). The plant's own process is not
// adopted: the script's routine lines run beside what was appended, and
// only the forked part is the intruder's alone. timeline/link_plant.go
// joins the same families to the chain.

// plantForkWindow bounds the time from a plant's run to its fork's first
// child: a fork, a fork and an exec.
const plantForkWindow = 2 * time.Second

// maxPlantRuns bounds the plant runs remembered.
const maxPlantRuns = 64

type plantRun struct {
	at   time.Time
	host string
	uid  uint32
	cwd  string
	web  *parser.Process
}

// notePlantRun remembers a planted-file-run finding's exec.
func (s *state) notePlantRun(f *Finding) {
	if f == nil || f.Event == nil || !f.Event.UID.Set || !slices.Contains(f.RuleIDs, RulePlantedFileRun) {
		return
	}
	fw, ok := s.plantedRan(f.Event)
	if !ok || fw.web == nil {
		return
	}
	if len(s.plantRuns) >= maxPlantRuns {
		s.plantRuns = s.plantRuns[1:]
	}
	s.plantRuns = append(s.plantRuns, plantRun{f.Event.Time, f.Event.Host, f.Event.UID.N, f.Event.Cwd, fw.web})
	if f.FiredHook == "" {
		s.flagged.hooks.noteObserved(f.Event.Host, f.Event.UID.N, f.Event.Time)
	}
	// a program the intrusion put in place whole (copied into the
	// system's folders, or the script its persistence command names) is
	// the intruder's from its first line: the process running it acts for
	// the intrusion's web server, whoever started it (apt's hook, cron),
	// and so does what it starts. A line appended to the site's own script
	// is not: only its fork is adopted (above).
	if file, pfw, ok := s.flagged.ranFile(f.Event); ok && file != "" && pfw.rule == RuleProgramPlanted {
		// its first run is the plant firing; later runs are the tool in
		// use. Counted by the planted file, not the exe: a planted script
		// runs as /bin/sh, and every later shell is not its run
		// (hivelog-rpcsend: sshd's second call of the keys command was
		// taken for the tool in use)
		k := writeKey{f.Event.Host, file}
		if _, ok := s.toolRuns[k]; !ok {
			if s.toolRuns == nil || len(s.toolRuns) >= maxToolRuns {
				s.toolRuns = map[writeKey]toolRun{}
			}
			k.path = strings.Clone(k.path)
			s.toolRuns[k] = toolRun{argvSum(f.Event.Args), runnerOf(f.Event)}
		}
	}
	p := f.Event.Proc
	if p != nil && p.Seq != 0 && commandStart(f.Event.Args) > 0 {
		s.wrapper = wrapperRun{p.Seq, argvSum(f.Event.Args)}
	}
	switch {
	case p == nil || s.isWebServer(p):
	case f.FiredHook != "":
		// a start-up hook's child is the hook's payload, whole: the
		// interpreter's own script is not adopted, only what the hook
		// started (startuphook.go)
		s.adoptFor(p, fw.web)
		s.markAdopted(p, adoptHook)
		s.flagged.hooks.notePayload(p.Key)
		// what it detaches (setsid -f sh -c …) is the payload too: the
		// exec was judged before its adoption (Engine.remember)
		s.noteLaunch(f.Event, &procInfo{web: fw.web})
	case fw.rule == RuleProgramPlanted || fw.rule == RulePersistenceCommand || fw.rule == RuleDroppedByCommand ||
		fw.rule == RuleWrittenForWeb && fw.whole:
		// (a script the intrusion's command wrote whole is its own from
		// its first line, as a planted program is; so is a file the web
		// side made, run by another account: plotbook-noticepreview's
		// hook script, written into the static folder by the web shell
		// and run as root by the vassal's master, installed and started
		// the root agent — judged as root's own until its run was
		// adopted whole)
		s.adoptFor(p, fw.web)
		s.markAdopted(p, adoptPlantWhole)
	}
}

// wrapperRun is the last planted-file-run exec of a wrapper (setsid,
// nohup, env …): the process and its command's digest.
type wrapperRun struct {
	seq uint32
	sum uint64
}

// rewrapped reports whether an exec is the command a wrapper's planted-
// file-run exec just launched, in the same process: setsid execs java in
// its own pid, one launch in two records, one act (stillroom-savedview's
// agent JVM was two findings).
func (s *state) rewrapped(ev *parser.Event) bool {
	p := ev.Proc
	return p != nil && p.Seq != 0 && s.wrapper.seq == p.Seq && s.wrapper.sum == argvSum(ev.Args)
}

// maxToolRuns bounds the planted programs whose runs are counted.
const maxToolRuns = 1024

// toolRun is a planted program's first run: its argv's digest and the
// process that ran it.
type toolRun struct {
	sum    uint64
	runner parser.ProcKey
}

// runnerOf is the daemon that ran an exec's program: its parent, when
// that is no shell (zero otherwise, or when unknown). A shell running the
// program twice is a script using it; a daemon doing so is its hook.
func runnerOf(ev *parser.Event) parser.ProcKey {
	if ev.Proc == nil || ev.Proc.Parent == nil {
		return parser.ProcKey{}
	}
	par := ev.Proc.Parent
	if n := len(par.Execs); n > 0 && isShell(par.Execs[n-1].Exe) {
		return parser.ProcKey{}
	}
	return par.Key
}

// toolInUse reports whether an exec runs a program the intrusion planted
// that has run before with other arguments: its first run was the plant
// firing (stage 5), a later one is the tool in use (a renamed curl posting
// the loot), placed by what it does. The same arguments again are the hook
// firing again: what hooks a program calls it the way it was configured
// to (sshd calls its keys command once to look a key up and again to check
// the signature; cron runs its line every minute). So is a run by the same
// daemon as the first, whatever the arguments: one that hands each event
// to its hook (incrond's $#, the file that changed) calls it with other
// arguments every time, where a shell doing so is a script using it
// (shop-compare: incrond's second run of the planted launcher, for the
// next customer's save, was taken for the tool in use).
func (s *state) toolInUse(ev *parser.Event) bool {
	if len(s.toolRuns) == 0 || ev.Kind != parser.KindExec {
		return false
	}
	file, _, ok := s.flagged.ranFile(ev)
	if !ok || file == "" {
		return false
	}
	first, ran := s.toolRuns[writeKey{ev.Host, file}]
	if !ran || first.sum == argvSum(ev.Args) {
		return false
	}
	r := runnerOf(ev)
	return r == (parser.ProcKey{}) || r != first.runner
}

// argvSum is a digest of an argv past its wrappers (setsid, nohup, env:
// the wrapper then execs the same command in the same process, one launch
// in two records), for telling a run with the same arguments from one with
// others without keeping them.
func argvSum(args []string) uint64 {
	h := fnv.New64a()
	for _, a := range args[commandStart(args):] {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// adoptKind is why a process was adopted for the intrusion when it was
// not by time alone (state.adopt): a plant started it, or a service ran it
// for the intrusion's client. Placement and the rules read it.
type adoptKind uint8

const (
	adoptPlain      adoptKind = iota
	adoptPlantFork            // the background fork of a line a plant appended
	adoptPlantWhole           // the run of a program the intrusion planted whole
	adoptForClient            // a command a service ran for the intrusion's client (viaservice.go)
	adoptHook                 // what a start-up hook the intrusion wrote started (startuphook.go)
	adoptForRequest           // what a local service ran for a web worker's connection (viarequest.go)
	adoptAtJob                // the shell atd ran for a job the intrusion queued (atjob.go)
	adoptHandoff              // a shell whose command holds text a command for the web server passed on (handoff.go)
)

// planted reports whether a plant started the process.
func (k adoptKind) planted() bool {
	return k == adoptPlantFork || k == adoptPlantWhole || k == adoptHook || k == adoptAtJob
}

// markAdopted records why an adopted process was adopted.
func (s *state) markAdopted(p *parser.Process, k adoptKind) {
	if s.adopted[p] == nil {
		return // not adopted (no web server known): nothing to forget it with
	}
	if s.adoptedAs == nil {
		s.adoptedAs = map[*parser.Process]adoptKind{}
	}
	s.adoptedAs[p] = k
}

// adoptPlantFork adopts an exec's unseen parent for the web server of a
// plant that ran just before, as the same account in the same cwd.
func (s *state) adoptPlantFork(ev *parser.Event) {
	if len(s.plantRuns) == 0 || ev.Kind != parser.KindExec || ev.Proc == nil || !ev.UID.Set {
		return
	}
	par := ev.Proc.Parent
	target := par
	switch {
	case ev.PPID == 1 || par != nil && par.Key.PID == 1:
		// the subshell exited before its payload exec'd, and the kernel
		// gave the payload to init, the parent every orphan shares:
		// adopting init would take every later daemon's child for the
		// intruder's, so the payload itself is adopted
		target = ev.Proc
	case par == nil || !par.Placeholder || par.Parent != nil && !par.ParentInferred():
		// (a subshell the tree hung under the plant's shell by inference,
		// parser's inferSubshellParent, is still the plant's fork)
		return
	}
	if s.adopted[target] != nil && s.adoptedAs[target] != adoptPlain {
		return
	}
	for i := len(s.plantRuns) - 1; i >= 0; i-- {
		r := s.plantRuns[i]
		d := ev.Time.Sub(r.at)
		if d <= 0 || d > plantForkWindow || r.host != ev.Host || r.uid != ev.UID.N || r.cwd != ev.Cwd {
			continue
		}
		if target == par && par.FirstSeen.Before(r.at) {
			continue // named as a parent before the plant ran: not its fork
		}
		if s.adopted[target] == nil {
			s.adoptFor(target, r.web)
		}
		// adopted already by its launcher's argv (the plant's setsid -f
		// loop, shop-specsheet's pam_exec hook): still the plant's fork,
		// so that its polls make it the plant's channel (taskloop.go)
		s.markAdopted(target, adoptPlantFork)
		return
	}
}

// adoptedAbove returns why the nearest process at or above p, up to
// maxAncestry ancestors, that was adopted for a reason was adopted
// (adoptPlain when none was).
func (s *state) adoptedAbove(p *parser.Process) adoptKind {
	if len(s.adoptedAs) == 0 {
		return adoptPlain
	}
	for n := 0; p != nil && n <= maxAncestry; p, n = p.Parent, n+1 {
		if k := s.adoptedAs[p]; k != adoptPlain {
			return k
		}
	}
	return adoptPlain
}

// adoptPlantLauncher adopts a shell whose command runs a program the
// intrusion planted (a setsid beacon loop around a renamed curl, started
// by a queued job and left under init): no administrator runs the
// intruder's tool, so the shell is the intrusion's, and what it runs acts
// for it. Naming the program otherwise (ls, rm, sha256sum of it) is not
// running it: only a word that starts a simple command counts.
func (s *state) adoptPlantLauncher(ev *parser.Event) {
	p := ev.Proc
	if ev.Kind != parser.KindExec || p == nil || ev.Failed() || s.adopted[p] != nil || len(s.flagged.m) == 0 {
		return
	}
	sc, ok := shellCommand(ev.Exe, ev.Args)
	if !ok {
		return
	}
	for _, k := range s.flagged.order { // in the order flagged: the same answer every run
		fw, ok := s.flagged.m[k]
		if !ok || fw.rule != RuleProgramPlanted || fw.web == nil || k.host != ev.Host || !strings.Contains(sc, k.path) {
			continue
		}
		if runsPath(sc, k.path) && !s.isWebServer(p) {
			s.adoptFor(p, fw.web)
			s.markAdopted(p, adoptPlantWhole)
			return
		}
	}
}

// runsPath reports whether a shell command runs the program at path: the
// path starts a simple command (after the start, ;, |, &, (, `, $( or
// a do, then, else).
func runsPath(sc, path string) bool {
	for i := 0; ; {
		j := strings.Index(sc[i:], path)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(path)
		if end == len(sc) || strings.IndexByte(" \t\n;|&)", sc[end]) >= 0 {
			before := strings.TrimRight(sc[:at], " \t")
			switch {
			case before == "", strings.HasSuffix(before, "$("):
				return true
			case strings.IndexByte(";|&(`\n", before[len(before)-1]) >= 0:
				return true
			default:
				for _, kw := range []string{"do", "then", "else", "exec", "nohup", "setsid"} {
					if before == kw || strings.HasSuffix(before, " "+kw) || strings.HasSuffix(before, ";"+kw) {
						return true
					}
				}
			}
		}
		i = at + 1
	}
}
