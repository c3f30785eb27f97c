package detect

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/auditchain/auditchain/internal/lazydfa"
	"github.com/auditchain/auditchain/parser"
)

//go:embed rules/*.yml
var builtinRules embed.FS

// Options configure an Engine.
type Options struct {
	// RuleDirs are folders of the user's own Sigma rules (*.yml, *.yaml,
	// searched recursively), added to the built-in rules.
	RuleDirs []string
	// RuleFiles are single rule files, added like RuleDirs.
	RuleFiles []string
	// NoBuiltin leaves the built-in rules out (for testing one rule file).
	NoBuiltin bool
	// Disabled are rule ids that do not run.
	Disabled []string
	// Allowlist is a YAML file of known-benign activity (allowlist.go).
	Allowlist string
	// RepeatsPerAct bounds the findings of one act (rule, host, command,
	// target) kept with their evidence, FindingsPerRule those of one rule
	// on one host (findingbound.go): 0 is the default
	// (DefaultRepeatsPerAct, DefaultFindingsPerRule), negative no bound.
	RepeatsPerAct, FindingsPerRule int
}

// FormatAllowlist names the allowlist among a report's inputs.
const FormatAllowlist parser.Format = "allowlist"

// AllowlistInput is the allowlist file as read (path, SHA-256, size), nil
// without one.
func (e *Engine) AllowlistInput() *parser.Input { return e.allowInput }

// Allowed returns the matches the allowlist suppressed.
func (e *Engine) Allowed() AllowedMatches { return e.allowed }

// Engine evaluates rules on events. It keeps a little state across events
// (reverse-shell channels, files written by the web server) and is not
// safe for concurrent use: feed it one event stream in time order.
type Engine struct {
	targetsCut int // matches past maxTargetsPerKind (acts.go)
	rules      []*Rule
	byKind     rulesByKind         // runnable, enabled rules per event kind
	byImage    map[string][]uint64 // image base name → bits (compiled.imageBit) of the rules requiring it
	ft         fieldTable
	ctx        evalCtx
	state      *state
	allow      *allowlist
	version    string

	// spilled is the tree's count of processes moved to its file when
	// the ancestry cache was last emptied (dropSpilled)
	spilled int

	allowInput *parser.Input  // the allowlist file as read, with its hash
	allowed    AllowedMatches // what the allowlist suppressed
	bound      findingBound   // findings kept per rule and host

	seen      map[seenKey]uint8 // (rule, process, kind, target) already reported for file and network events; countKey counts the targets (at most maxTargetsPerKind)
	seenOrder []seenKey         // the keys of seen, a ring of maxSeen: the oldest is at seenHead once full
	seenHead  int
	targets   actTargets                 // the targets seen's keys number
	seenRules map[*Rule]uint32           // a rule's number in seenKey
	seenProcs map[*parser.Process]uint32 // the numbers of processes no tree numbered (tests, never a scan's)
	classes   map[string]cmdClass        // classify's results, cleared when full
}

const maxClasses = 4096

// maxClassKey: a longer command is classified again each time rather than
// kept, so the cache holds at most 4096 × 4 KiB. The attacker writes the
// command lines: 4096 distinct ones of 1 MiB had the cache keep 4 GiB of
// copies, and classifying a long line once more is one pass per pattern
// (internal/lazydfa). Routine commands, which the cache is for, are short.
const maxClassKey = 4 << 10

// classify is the package's classify with a bounded cache.
func (e *Engine) classify(cmd string) cmdClass {
	if len(cmd) > maxClassKey {
		return classify(cmd)
	}
	if c, ok := e.classes[cmd]; ok {
		return c
	}
	c := classify(cmd)
	if len(e.classes) >= maxClasses {
		clear(e.classes)
	}
	e.classes[cmd] = c
	return c
}

// seenKey is one entry of the act table (firstOnTarget): 12 bytes, so
// that the table, full on a long archive (65 536 entries in a map of
// 131 072 slots), takes a slot of 16 bytes instead of 32, and the ring of
// its keys 12 bytes a key instead of 24. The target, the rule and the
// process are numbers, not strings or pointers: the target its number in
// the table's targets (actTargets: each string once, however many
// processes and rules act on it; the pid-repeating log's copies act on
// the same few hundred files and addresses), the rule its index in the
// table (seenRules), the process its Seq.
type seenKey struct {
	// target numbers actTarget's file or peer (actTargets); 0 is
	// countKey, the entry counting them
	target uint32
	// proc names the process by its number in the tree (Process.Seq),
	// not by pointer: a table of pointers kept every process it ever
	// named in memory after a spilling tree had moved it out (65 536 act
	// targets), and a process read back from the spill file is a new
	// *Process with the same Seq. A process no tree numbered (Seq 0) gets
	// a number of the table's own, counted down from the top (seenProc).
	proc uint32
	// ruleKind is the rule's index (seenRules) << 8 | the event's kind
	ruleKind uint32
}

const maxSeen = 1 << 16

// ruleSource is one rule file's name and bytes.
type ruleSource struct {
	name string
	data []byte
}

// New loads the built-in rules and the user's, and the allowlist. A user
// rule that cannot be read or run loads as a Rule with Runnable false and
// a disabled Problem saying why (file:line), and is skipped: one broken
// file among many never stops a scan. A --rules folder that cannot be
// read, a disabled id no rule has or a bad allowlist fail New.
func New(opts Options) (*Engine, error) {
	var srcs []ruleSource
	if !opts.NoBuiltin {
		names, err := fs.Glob(builtinRules, "rules/*.yml")
		if err != nil {
			return nil, fmt.Errorf("built-in rules: %w", err)
		}
		sort.Strings(names)
		for _, n := range names {
			b, err := builtinRules.ReadFile(n)
			if err != nil {
				return nil, fmt.Errorf("built-in rule %s: %w", n, err)
			}
			srcs = append(srcs, ruleSource{"builtin:" + n, b})
		}
	}
	var errs []error
	for _, d := range opts.RuleDirs {
		files, err := ruleFilesIn(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		opts.RuleFiles = append(opts.RuleFiles, files...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	e := &Engine{state: newState(), seen: map[seenKey]uint8{}, classes: map[string]cmdClass{}, bound: newFindingBound(opts.RepeatsPerAct, opts.FindingsPerRule)}
	e.ctx.eng = e
	ids := map[string]string{}
	add := func(file string, rs []*Rule) {
		for _, r := range rs {
			if prev, dup := ids[r.ID]; dup {
				// listed, never run: which of the two is meant is the user's call
				r.Runnable, r.det = false, nil
				r.Problems = append(r.Problems, Problem{RuleID: r.ID, File: file, Line: r.Line, Disabled: true,
					Msg: fmt.Sprintf("duplicate rule id %s (also in %s); rename or remove one", r.ID, prev)})
			} else {
				ids[r.ID] = file
			}
			e.rules = append(e.rules, r)
		}
	}
	for _, s := range srcs {
		add(s.name, parseRuleFile(s.name, s.data, &e.ft))
	}
	for _, f := range opts.RuleFiles {
		b, err := readRuleFile(f)
		if err != nil {
			add(f, []*Rule{unloadable(f, 0, 0, err.Error())})
			continue
		}
		srcs = append(srcs, ruleSource{f, b})
		add(f, parseRuleFile(f, b, &e.ft))
	}
	disabled := map[string]bool{}
	for _, id := range opts.Disabled {
		if _, ok := ids[id]; !ok {
			return nil, fmt.Errorf("disable %s: no rule has this id (see `auditchain rules`)", id)
		}
		disabled[id] = true
	}
	h := sha256.New()
	for _, s := range srcs {
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(s.name), len(s.data))
		h.Write(s.data)
	}
	for _, id := range slices.Sorted(maps.Keys(disabled)) {
		fmt.Fprintf(h, "disable\x00%s\x00", id)
	}
	if opts.Allowlist != "" {
		// read as evidence is: a regular file only, bounded, hashed for
		// the report's inputs (it decides what the report leaves out)
		b, in, err := parser.ContextFile(opts.Allowlist, FormatAllowlist)
		if err != nil {
			return nil, fmt.Errorf("allowlist %s: %w", opts.Allowlist, err)
		}
		e.allowInput = in
		al, err := parseAllowlist(opts.Allowlist, b, e)
		if err != nil {
			return nil, err
		}
		e.allow = al
		fmt.Fprintf(h, "allow\x00%d\x00", len(b))
		h.Write(b)
	}
	e.version = "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
	for _, r := range e.rules {
		if !r.Runnable || disabled[r.ID] {
			continue
		}
		kinds := r.cat.kinds()
		if r.cat == catAuditd && r.det.types != nil {
			if tk := typeKinds(r.det.types); tk != nil {
				kinds = tk
			}
		}
		for _, k := range kinds {
			if int(k) < len(e.byKind) {
				e.byKind[k] = append(e.byKind[k], r)
			}
		}
	}
	e.byImage = imageIndex(e.rules)
	e.indexNeeds()
	return e, nil
}

// imageIndex numbers the rules that require image names (compiled.images)
// and returns, per name, the bit set of the rules that accept it: one map
// lookup per event instead of one per such rule.
func imageIndex(rules []*Rule) map[string][]uint64 {
	var req []*compiled
	for _, r := range rules {
		if r.det != nil && r.det.images != nil {
			r.det.imageBit = len(req)
			req = append(req, r.det)
		}
	}
	idx := map[string][]uint64{}
	for _, d := range req {
		for name := range d.images {
			bits := idx[name]
			if bits == nil {
				bits = make([]uint64, (len(req)+63)/64)
				idx[name] = bits
			}
			bits[d.imageBit/64] |= 1 << (d.imageBit % 64)
		}
	}
	return idx
}

// hasBit reports whether bit i is set in bits (nil: none is).
func hasBit(bits []uint64, i int) bool {
	return i/64 < len(bits) && bits[i/64]&(1<<(i%64)) != 0
}

// LoadRuleFile returns an Engine that runs only the rules of one file (no
// built-in rules), for `auditchain rules test RULE.yml LOG…`.
// A rule of the file that cannot run is an error (*RuleError, joined, one
// per rule), since testing it would only ever print no match.
func LoadRuleFile(path string) (*Engine, error) {
	e, err := New(Options{RuleFiles: []string{path}, NoBuiltin: true})
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, r := range e.Skipped() {
		p := r.SkipProblem()
		errs = append(errs, &RuleError{p.File, p.Line, fmt.Errorf("rule %s cannot run: %s", r.ID, p.Msg)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// Skipped returns the rules that do not run because they cannot be read or
// run (SkipReason says why), in load order; rules the user disabled are not
// among them.
func (e *Engine) Skipped() []*Rule {
	var out []*Rule
	for _, r := range e.rules {
		if !r.Runnable {
			out = append(out, r)
		}
	}
	return out
}

// MaxRuleFileBytes bounds one rule file: SigmaHQ's largest is under 30 KB,
// and a rule file is read whole.
const MaxRuleFileBytes = 4 << 20

// readRuleFile reads one rule file, refusing what is not a regular file (a
// FIFO would block the scan) or is larger than MaxRuleFileBytes.
func readRuleFile(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxRuleFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRuleFileBytes {
		return nil, fmt.Errorf("larger than %d MiB: not read", MaxRuleFileBytes>>20)
	}
	return b, nil
}

func ruleFilesIn(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rule folder: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

// Rules returns every loaded rule, built-in first, in load order. The
// rules are shared: treat them as read-only.
func (e *Engine) Rules() []*Rule { return e.rules }

// Problems returns what the loaded rules use that auditchain does not
// support or interprets in its own way, rule by rule in load order.
func (e *Engine) Problems() []Problem {
	var out []Problem
	for _, r := range e.rules {
		out = append(out, r.Problems...)
	}
	return out
}

// Version is a digest of the rule set in force (rule files, disabled ids,
// allowlist), for the report's rules_version.
func (e *Engine) Version() string { return e.version }

// Servers is the set of web and application servers the engine learned
// from the events so far (and recognises by name): the timeline asks it
// the same "is a web server" question, the report lists it.
func (e *Engine) Servers() *ServerSet { return e.state.servers }

// Observe evaluates the rules on one event and returns its findings, in
// rule order. Events must come in time order with ev.Proc set by tree
// (parser.Reader does both). The findings reference ev and the tree's
// processes; they are not modified later.
func (e *Engine) Observe(ev *parser.Event, tree *parser.Tree) []*Finding {
	if ev == nil {
		return nil
	}
	if e.state.done {
		// Finish let the cross-event state go: a caller that goes on
		// gets a fresh one (what was learned of servers kept), never a
		// crash; what Finish dropped is not seen again
		servers := e.state.servers
		e.state = newState()
		e.state.servers = servers
		e.seen, e.targets, e.classes = map[seenKey]uint8{}, actTargets{}, map[string]cmdClass{}
	}
	if ev.Kind == parser.KindAlert {
		if f := alertFinding(ev); f != nil && e.bound.keep(f) {
			pinFinding(f)
			return []*Finding{f}
		}
		return nil
	}
	e.dropSpilled(tree)
	var out []*Finding
	var matched []*Rule
	e.state.observeServers(ev)
	e.state.adopt(ev)
	e.state.adoptPlantFork(ev)
	e.state.flagged.hooks.noteChild(ev)
	e.state.noteWorkerNet(ev)
	e.state.adoptViaService(ev)
	e.state.adoptViaRequest(ev)
	e.state.adoptHandoff(ev)
	e.state.adoptAtJob(ev)
	e.state.adoptPlantLauncher(ev)
	e.state.adoptPipelineMember(ev)
	e.state.forks.note(ev)
	if ev.Kind == parser.KindExec && len(e.state.implants.by) > 0 {
		e.state.relaunch(ev, e.info(ev))
	}
	e.state.workerShell(ev)                 // before the rules: its channel places this exec
	e.state.socketShell(ev)                 // before the rules: likewise
	e.state.swept = e.state.fanout.note(ev) // before the rules: PortFanout reads it
	e.state.guess.note(ev)                  // before the rules: WebLoginGuessed reads it
	rules := e.byKind.of(ev.Kind)
	c := &e.ctx
	if len(rules) > 0 {
		c.reset(ev, tree, len(e.ft.refs))
		imageRules := e.byImage[strings.ToLower(baseName(c.image()))]
		for _, r := range rules {
			if r.det.images != nil && !hasBit(imageRules, r.det.imageBit) {
				continue
			}
			if !r.cat.applies(ev) {
				continue
			}
			if r.det.types != nil && !c.hasType(r.det.types) {
				continue
			}
			c.cat = r.cat
			if !metAll(r.det.need, r.det.also, c) {
				continue
			}
			if !r.det.cond.eval(c) || c.webByAccountOnly(r) {
				continue
			}
			contentOnly := c.contentOnly(r)
			if e.allow != nil {
				if ent := e.allow.allows(r, c); ent != nil {
					e.allowed.add(r, ent, ev)
					continue
				}
			}
			if r.ID == RulePlantedFileRun && e.state.rewrapped(ev) {
				continue // its wrapper's exec was the act, and fired
			}
			if f := e.finding(r, ev, tree, contentOnly); f != nil {
				out = append(out, f)
				matched = append(matched, r)
			}
		}
	}
	e.remember(ev)
	f := mergeAct(out, matched)
	var in procInfo
	if f != nil {
		in = e.state.info(f.Process)
	}
	if !e.state.flagged.note(f, in.web, in.webSelf) {
		e.state.flagged.forget(ev)
	}
	e.state.flagged.noteRemoval(ev)
	if ev.Kind == parser.KindExec && path.Base(ev.Exe) == "chmod" {
		ci := e.state.info(ev.Proc)
		e.state.flagged.noteMadeRunnable(ev, ci.channel, ci.actsFor())
	}
	if f == nil {
		return nil
	}
	e.state.flagged.noteCommand(f, in.web, in.web != nil || in.channel != nil)
	e.state.flagged.cmds.note(f, in.web, in.web != nil || in.channel != nil)
	e.state.flagged.noteDropped(f, in.actsFor(), in.web != nil || in.channel != nil)
	e.state.noteAccountChange(f, in.web != nil || in.channel != nil)
	e.state.noteLoginReported(f)
	e.state.flagged.noteTimestomped(f, in.actsFor())
	e.state.noteLanding(f, in.web != nil || in.webSelf)
	e.state.noteAtQueue(f, in.web)
	e.state.notePlantRun(f)
	e.state.noteFetchLoop(f)
	e.state.notePlant(f)
	e.state.implants.noteFlagged(f, in)
	if !e.bound.keep(f) {
		return nil // counted, and said in the report (Engine.Dropped)
	}
	// the ancestry of the kept finding only: on a long archive most
	// findings repeat an act kept already and are let go above (nothing
	// between the rules and here moves a process in the tree)
	if f.Process != nil && tree != nil {
		f.Ancestors, f.AncestorsTruncated = tree.Ancestors(f.Process)
	}
	pinFinding(f)
	return []*Finding{f}
}

// Finish returns findings that can only be decided at the end of the
// input. The built-in rules decide everything per event, so it returns
// nil today; callers must still call it, and call Observe no more.
//
// It lets go of the cross-event state (ancestry cache, channels, acts
// already reported, port-sweep and guessing series): only Observe reads
// it, and a scan's peak comes after the input, when the chains are built
// with every kept event still live — 15–17 MB of the 179 MB live there on
// the pid-repeating log at 500 MB. What the report needs of it stays: the
// servers learned (Servers) and the counts of what was dropped (Dropped).
func (e *Engine) Finish() []*Finding {
	s := e.state
	if s == nil || s.done {
		return nil
	}
	e.state = &state{servers: s.servers, done: true}
	e.state.plants.dropped = s.plants.dropped
	e.state.flagged.dropped = s.flagged.dropped
	e.state.flagged.cmds.dropped = s.flagged.cmds.dropped
	e.state.guess.dropped = s.guess.dropped
	e.state.fanout.dropped = s.fanout.dropped
	e.seen, e.seenOrder, e.seenHead, e.targets, e.classes = nil, nil, 0, actTargets{}, nil
	return nil
}

// pinFinding pins the processes a finding points to, and keeps the text of
// its events: the caller keeps findings to the end, a spilling tree must
// keep those processes (see parser.Process.Pin), and the report quotes the
// events (see parser.Event.Compact).
func pinFinding(f *Finding) {
	f.Process.Pin()
	if f.Event != nil {
		f.Event.Retain(parser.KeepText) // the report quotes it
	}
	for _, r := range f.Related {
		r.Retain(parser.KeepText)
	}
}

// noteAppCommand remembers a command the web server ran itself (a shell's
// command, or an argv array) that no rule matched: the application's own
// commands are what an injection is told from (an option after mail()'s
// sender is found against the sender-only commands that every rule lets
// pass). A command a rule matched was remembered by its placement; one
// that extends a remembered command is an injection and is not kept.
func (e *Engine) noteAppCommand(ev *parser.Event, web *parser.Process) {
	if cmd, _, ok := shellCommandAt(ev.Exe, ev.Args); ok {
		e.state.injected(web, strings.Clone(cmd))
	} else if !isShell(ev.Exe) && len(ev.Args) > 0 {
		e.state.injected(web, placementCommand(ev.Args, strings.Join(ev.Args, " ")))
	}
}

// remember updates the cross-event state after the rules have seen ev.
func (e *Engine) remember(ev *parser.Event) {
	e.state.debug.note(ev)
	switch ev.Kind {
	case parser.KindExec:
		if ev.Proc != nil {
			e.state.implants.noteRun(ev, e.info(ev))
		}
		if ev.Proc != nil && ev.UID.Set && ev.UID.N != 0 {
			in := e.info(ev)
			e.state.noteExec(ev, in)
			if in.web == nil && in.channel == nil && !in.webSelf {
				// a service account's own work (viaservice.go); what was
				// adopted for a client is not
				e.state.svcRoutine.note(ev, e.state.adoptedAs[ev.Proc] == adoptForClient)
			}
		}
		if ev.Proc != nil {
			if in := e.info(ev); in.web != nil || in.channel != nil {
				e.state.ran.note(ev.Host, ev.Exe, ev.Args)
				if in.web != nil && ev.Proc.Parent == in.web && ev.ExecSucceeded() {
					e.noteAppCommand(ev, in.web)
				}
				if ev.ExecSucceeded() {
					e.state.noteHandoff(ev, in.web)
				}
			}
		}
		if ev.Proc != nil && (detachers[path.Base(ev.Exe)] || isShell(ev.Exe)) {
			e.state.noteLaunch(ev, e.info(ev)) // a detacher, or a shell backgrounding a command
		}
		if isShell(ev.Exe) {
			e.state.noteLauncher(ev) // a shell that starts a planted program (launcher.go)
		}
		e.state.noteLogFeed(ev)
		e.state.noteServed(ev)
	case parser.KindConnect:
		if ev.Proc == nil {
			return
		}
		in := e.info(ev)
		if e.state.opensChannel(ev, in) || e.state.opensCallbackChannel(ev, in) {
			e.state.addChannel(ev)
		}
		e.state.channelAfterExec(ev)
		e.state.noteSocketConn(ev)
		e.state.noteTaskLoop(ev)
		e.state.noteSSHOut(ev, in)
		e.state.noteSvcConnect(ev, in)
		e.state.noteDebugConnect(ev, in)
		e.state.noteWorkerLoopback(ev, in)
	case parser.KindAccept:
		e.state.noteSSHAccept(ev)
		e.state.noteWorkerRequest(ev)
		if ev.Proc != nil && len(e.state.svcConns) > 0 {
			// (every request's accept comes here: its ancestry is asked
			// only once the intrusion's client has connected somewhere)
			e.state.noteSvcAccept(ev, e.info(ev))
		}
		if len(e.state.workerLoop) > 0 || len(e.state.workerReqs) > 0 {
			if web, record := e.state.reqAcceptFrom(ev); record {
				var in *procInfo
				if web != nil {
					in = e.info(ev)
				}
				e.state.noteReqAccept(ev, web, in)
			}
		}
		if ev.Proc != nil && ev.Success && e.state.opensBindShell(ev, e.info(ev)) {
			e.state.addChannel(ev) // a bind shell: its accepted client is the channel's peer
		}
	case parser.KindLogin:
		e.state.noteLogin(ev)
	case parser.KindFileWrite, parser.KindRename:
		if ev.Proc == nil || ev.Failed() {
			return
		}
		e.state.selfMade.note(ev)
		e.state.noteWrite(ev, e.info(ev))
	}
}

// info returns the context's process info when it is for ev, else computes it.
func (e *Engine) info(ev *parser.Event) *procInfo {
	if e.ctx.ev == ev {
		return e.ctx.info()
	}
	in := e.state.info(ev.Proc)
	return &in
}

// injectionProbe is what attackers append to test an injection: print a
// marker, compute something, or wait.
var injectionProbe = lazydfa.MustCompile(`^(echo|printf|expr|sleep|true|false)(\s|$)`)

// optionProbe reports whether options injected into an argv array only
// test the door: options with no command in their values (--version,
// -T), or a command value that is itself a probe (--unzip-command=echo
// z-$((6*7))). An injected option that runs a real command is the exploit
// itself, placed by what it runs.
func optionProbe(rest string) bool {
	for _, w := range strings.Fields(rest) {
		t := strings.TrimLeft(w, `'"`) // a shell's words keep their quotes
		if i := strings.IndexByte(t, '='); i > 0 && strings.HasPrefix(t, "-") {
			v := strings.Trim(rest[strings.Index(rest, w)+len(w)-len(t)+i+1:], `'" `)
			return injectionProbe.MatchString(v) || wholeProbe.MatchString(v) || identityProbe.MatchString(v)
		}
	}
	return true
}

// identityProbe: the command an injected option is first tried with that
// only prints who runs it (id, whoami): a marker of a kind, the door
// tested. Through a web shell the same id is a command run (stage 3); as
// an option's value slipped into the application's own command it is the
// injection being confirmed.
var identityProbe = lazydfa.MustCompile(`^(id|whoami)$`)

// wholeProbe is a web server's whole shell command that only tests that
// commands run: echo or printf of one literal marker (arithmetic allowed,
// "echo x-$((6*7))"), arithmetic, or a sleep. An application has no use
// for a shell that prints a constant; an attacker confirming code or
// command injection does exactly this.
var wholeProbe = lazydfa.MustCompile(`^\s*((echo|printf)\s+[\w.:@-]*(\$\(\([0-9 +*/-]+\)\))?[\w.:@-]*|expr\s+[0-9 +*/-]+|sleep\s+[0-9.]+)\s*(2>&1)?\s*$`)

// placementCommand is the command line placement classifies, with an
// argv[0] in a system binary folder reduced to its base name. Sources
// differ in argv[0]: auditd has it as typed ("crontab -"), Tetragon
// reports the binary path in its place ("/usr/bin/crontab -"), which the
// patterns anchored on a word start would not see as crontab. A system
// folder says nothing the name does not; any other folder (/tmp/.x) is
// evidence and stays.
func placementCommand(args []string, cmdline string) string {
	if len(args) == 0 || !strings.HasPrefix(cmdline, args[0]) {
		return cmdline
	}
	switch path.Dir(args[0]) {
	case "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin":
		return path.Base(args[0]) + cmdline[len(args[0]):]
	}
	return cmdline
}

// scanTitle and scanWhy name a built-in rule's match whose command scans
// ports or probes services (placement's classScan).
const (
	scanTitle = "Port Scan Or Service Probe Run For The Web Server"
	scanWhy   = "The command connects to one port after another of a host (nc -z, /dev/tcp in a loop, a scanner): discovery of internal services before lateral movement."
)

// finding builds the Finding of a match, placing it on the chain.
func (e *Engine) finding(r *Rule, ev *parser.Event, tree *parser.Tree, contentOnly bool) *Finding {
	p := ev.Proc
	if p != nil && ev.Kind != parser.KindExec {
		if !e.firstOnTarget(r, p, ev) {
			return nil
		}
	}
	c := &e.ctx
	in := c.info()
	cmd, at, ok := shellCommandAt(c.image(), c.args())
	if !ok {
		// the command line is built in the context's buffer, reused by
		// the next event; cmd outlives it (classify's cache)
		cmd = placementCommand(c.args(), strings.Clone(c.commandLine()))
	} else if code := codeOperands(cmd, c.args()[at+1:]); len(code) > 0 {
		// what the script evals is the command placed (ShellCommand)
		cmd += "\n" + strings.Join(code, "\n")
	}
	if ev.Kind == parser.KindExec && stdinDriven[path.Base(c.image())] {
		if sc, ok := parentShellCommand(p); ok {
			cmd = sc // what it is fed is in its shell's command (printf 'u:p' | chpasswd)
		}
	}
	if ev.Kind == parser.KindConnect {
		if sc, fed := feedingShell(p); fed {
			cmd = sc
		} else if sc, poll := pollingShell(p); poll {
			cmd += "\n" + sc // the loop around the fetch says it polls
		}
	}
	if o := e.state.flagged.origOf(ev); o != "" && len(ev.Args) > 0 {
		// a system program the intrusion copied under another name is
		// placed as that program (a renamed curl posting the loot)
		cmd = o + " " + strings.Join(ev.Args[1:], " ")
	}
	// the probe tests below read the command as written: the shell's
	// reading (quotes removed) would hide the broken quote of a probe
	written := cmd
	// with contentOnly: placed by what it runs, not by the file's content
	// (runForms)
	if forms := e.ctx.memoForms(cmd, contentOnly); len(forms) > 0 {
		cmd += "\n" + strings.Join(forms, "\n") // placed by what the shell reads too
	}
	def := r.Stage
	if contentOnly {
		// a file written with what would run: a tool staged, whatever
		// the rule would say of the run (placed by what the act runs)
		def = StageSuspiciousSpawn
	}
	pi := PlaceInput{
		Default: def,
		// a planted program run again is the tool in use: placed by what
		// it does (its first run was the plant firing)
		Fixed:     (r.FixedStage || r.Tampering) && !(r.ID == RulePlantedFileRun && e.state.toolInUse(ev)) && !contentOnly,
		Kind:      ev.Kind,
		Command:   cmd,
		WebServer: in.web != nil,
		Adopted:   in.webAdopted,
		WebUser:   e.state.servers.IsWebAccount(ev.Host, c.user(), c.uid()),
		InChannel: in.channel != nil && !in.channel.session,
		// an implant's channel: its opener connected out itself and hands
		// no shell the socket (a task loop's children connect instead)
		ProgramChannel: in.channel.program(),
		ChannelOpener:  in.channel != nil && in.channel.opener == p,
		TaskLoop:       in.channel != nil && (in.channel.poll || in.channel.feed != ""),
		LoopShell:      in.channel != nil && in.channel.poll && e.state.loops[in.channel.opener.Key],
		TaskFeed:       feedOf(in.channel),
		// root in a channel a web account opened: the rights were gained
		// on the way (a setuid helper's PATH, sudo, an exploit)
		Elevated: in.channel != nil && !in.channel.session && ev.EUID.Set && ev.EUID.N == 0 &&
			in.channel.opener != nil && in.channel.opener.EUID.Set && in.channel.opener.EUID.N != 0,
		InSession: in.channel != nil && in.channel.session,
		// neither its uid nor its euid is root's
		Unprivileged: ev.UID.Set && ev.UID.N != 0 && (!ev.EUID.Set || ev.EUID.N != 0),
		Scheduled:    in.sched,
		Shellless:    ev.Kind == parser.KindExec && !isShell(c.image()),
		Archiver:     ev.Kind == parser.KindFileRead && archivers[path.Base(c.image())],
	}
	switch e.state.adoptedAbove(p) {
	case adoptPlantFork:
		pi.PlantFork, pi.PlantRun = true, true
	case adoptPlantWhole:
		pi.PlantRun = true
	case adoptHook:
		pi.PlantRun, pi.Hook = true, true
	case adoptForClient:
		pi.ViaService = true
	case adoptForRequest:
		pi.ForRequest = true
		// as another account than the web server's, not root: that
		// account's rights reached through its service. Not when the
		// worker is a front server: its connect to a loopback port is
		// how it hands a request to its upstream (ledger-receipt's nginx
		// to ledgerd before ledgerd was learned), not a request forged
		pi.OtherAccount = in.web != nil && in.web.UID.Set && ev.UID.Set && ev.UID.N != 0 && ev.UID.N != in.web.UID.N && !isFrontServer(in.web)
	case adoptAtJob:
		pi.PlantRun, pi.AtJob = true, true
	case adoptHandoff:
		pi.Handoff = true
		pi.OtherAccount = in.web != nil && in.web.UID.Set && ev.UID.Set && ev.UID.N != 0 && ev.UID.N != in.web.UID.N
	}
	// a shell the server runs, or a program it execs itself (no shell
	// between: proc_open with an argv array, Runtime.exec)
	if ev.Kind == parser.KindExec && in.web != nil && p != nil && p.Parent == in.web {
		traversal := e.state.traversalProbe(in.web, written)
		if !isShell(c.image()) {
			if rest, inj := e.state.argvOptionInjected(in.web, ev.Args); inj {
				pi.OptionProbe = optionProbe(rest)
			}
			// the server itself calls out, keeping nothing, with nothing
			// planted before it: a gadget or an injected argv testing the
			// way out (callback_probe.go); once a web shell landed, its
			// call-out is its use
			pi.Callback = callbackProbe(ev.Args) && !e.state.landedBefore(ev)
		}
		if rest, ins := e.state.insertedOption(in.web, written); ins && isShell(c.image()) {
			pi.OptionProbe = optionProbe(rest)
		}
		if rest, inj := e.state.injected(in.web, written); inj {
			pi.Probe = injectionProbe.MatchString(rest)
		} else if landed, _ := e.state.landedPath(ev); landed != "" && (wholeProbe.MatchString(written) || triesLanded(written, landed)) {
			// a marker echoed just after a script was planted in the
			// served tree, alone or with a look at what landed: the
			// planted code being tried (landing.go)
			pi.ShellTest = true
		} else if unbalancedQuote(written) || traversal || wholeProbe.MatchString(written) || e.state.optionInjected(in.web, written) {
			// "mklabel 7 pdf'": a quote that breaks the app's command; a
			// traversal in a parameter; a shell that only echoes a marker
			// (`sh -c 'echo ev-42'`); an option where the application
			// puts a word: code or argument injection being confirmed.
			// Not one that decodes data into a file: that plants what it
			// decodes, whatever quote it leaves broken (tidegauge-plot's
			// `'x';echo …|base64 -d>…/calib.lua #'`)
			pi.Probe = c.decodedFile() == ""
		}
	}
	if ev.Kind == parser.KindExec || ev.Kind == parser.KindConnect {
		pi.Polls = pollsPeer(p)
	}
	if r.ID == RulePlantedFileRun && e.state.toolInUse(ev) {
		// the intrusion's own tool run again: it acts for the intrusion,
		// and no stage is its by default (its first run was the firing)
		pi.Default, pi.PlantRun = StageCommandExecution, true
		if _, loop := pollingShell(p); loop && urlRE.MatchString(cmd) {
			pi.Polls = true // a fetch its parent's loop repeats: the beacon's poll
		}
	}
	if ev.Kind == parser.KindConnect {
		pi.OpensChannel = e.state.opensChannel(ev, in)
		if pi.OpensChannel {
			pi.ProgramChannel = !shellOnSocket(p)
		}
		pi.Port, pi.PeerIP = ev.Peer.Port, ev.Peer.IP
		pi.InChannel = in.channel != nil && in.channel.opener != p && !in.channel.session
	}
	class := e.classify(cmd)
	stage, why := place(pi, class)
	if r.ID == RulePlantedFileRun && stage == StagePersistence && e.state.escalates(ev) {
		stage, why = StageSuspiciousSpawn, "the first run, with another account's rights, of a file the web side wrote or changed: the web account's code running as that account is the privilege gained (TA0004); its later runs by that account are the access kept (5)"
	}
	if stage == StagePersistence && (ev.Kind == parser.KindFileWrite || ev.Kind == parser.KindRename) && sedAlters(cmd) {
		// the write of a persistence place by sed -i that only deletes,
		// comments out or substitutes: nothing added runs (sededit.go)
		stage, why = StageExfiltrationImpact, "written by an in-place edit that only deletes, comments out or substitutes: nothing added runs, so it removes or alters what was there (clean-up, or a job disabled: T1070, T1490), not persistence"
	}
	unprivileged := r.unprivileged != nil && pi.Fixed && ev.EUID.Set && ev.EUID.N != 0
	if unprivileged {
		stage, why = r.unprivileged.stage, r.unprivileged.why
	}
	restored, aside := false, false
	if r.ID == RuleProgramPlanted {
		if src, ok := e.state.flagged.savesAside(ev); ok {
			aside = true
			why = "copies " + src + ", a file already in that folder, to a name beside it (observed: the command's operands): the new file holds what was already in place, no program of its own; the original saved aside, as before a replacement, in a folder the system's programs are run or loaded from (medium)"
		}
		if saved, dst, at, ok := e.state.flagged.restores(ev); ok {
			// not a plant: the intrusion's own change undone so that the
			// file looks untouched
			restored = true
			stage, why = StageExfiltrationImpact, "puts back "+dst+" from "+saved+", the copy of it the intrusion saved aside at "+at.UTC().Format("15:04:05.000")+" (observed: both commands): the original restored, the change it had made there undone and hidden (T1070), a clean-up, not a plant"
		}
	}
	if !pi.Fixed && sendingCopy(p) {
		stage, why = StageExfiltrationImpact, "the ssh transport of a copy sending local files out (scp, rsync): data leaving, not a session"
	}
	if r.Tampering {
		// the evidence section always shows it; an act of a web server's
		// process or of a remote channel is also the intruder covering
		// tracks, which the chain must not lose (anti-forensics, stage 8)
		stage, why = StageNone, "tampering with the evidence is shown apart from the chain"
		if in.web != nil || in.channel != nil {
			stage, why = StageExfiltrationImpact, "anti-forensics: the intruder's own process removes evidence (T1070); also shown apart as tampering with the evidence"
		}
	}
	m := r.meaningOf(c, stage, in.sched && in.web == nil)
	if m.weak == "" && m.level >= SeverityHigh && stage == StagePersistence {
		// an application's scheduling page or release job: high when its
		// chain shows an intrusion (timeline/corroborate.go)
		m.weak = e.state.appCrontab(ev, p, in)
	}
	if (r.ID == "crontab-by-web-user" || r.ID == "web-persistence-file-write") && stage == StagePersistence && m.level > SeverityLow {
		if job, ok := queuedJobText(ev, p); ok && e.state.ordinaryJob(ev.Host, job) {
			m.level = SeverityLow
			why += appSchedulingWhy(job.text)
		}
	}
	if (in.web != nil || in.channel != nil) && !pi.WebUser {
		m.title = accountTitle(m.title) // another account below the server
	}
	if aside && !restored && m.level > SeverityMedium {
		m.level = SeverityMedium
	}
	if restored {
		m.title, m.attack = "Saved Original Put Back", []string{"T1070"}
	} else if unprivileged {
		for _, a := range r.unprivileged.attack {
			if !slices.Contains(m.attack, a) {
				m.attack = append(slices.Clone(m.attack), a)
			}
		}
	}
	if class == classScan && stage == StageLateralMovement && r.perMatch && !r.Tampering {
		// what the command does decides what the act is: a scan run with
		// nc or /dev/tcp is no reverse shell (T1095) however the rule
		// matched it
		m.title, m.why, m.attack = scanTitle, scanWhy, []string{"T1046"}
	}
	if stage == StageLateralMovement && pi.ForRequest && pi.OtherAccount && !slices.Contains(m.attack, "T1210") {
		// the placement says what the act is: another account's rights
		// used through its service (the reason names T1210)
		m.attack = append(slices.Clone(m.attack), "T1210")
	}
	if stage == StageSuspiciousSpawn && ev.Kind == parser.KindExec && (r.ID == RuleSudoEscapeService || r.ID == "privilege-search-web" && strings.HasPrefix(m.title, "Shell Escape Through sudo")) {
		if at, again := e.state.sudoEscapeAgain(ev); again {
			// the account was root through the same program before: this
			// escape keeps an access gained, the persistence firing
			// (shop-wishlist: the ~/.forward pipe re-running opsmon's sudo
			// tcpdump -z), as a planted script's later runs are (escalates)
			stage = StagePersistence
			why += "; the same account escaped through sudo's " + path.Base(sudoProgram(ev.Args)) + " before, at " + at.UTC().Format("15:04:05.000") + ": the access kept, not gained"
		}
	}
	decoded := ""
	if contentOnly {
		// what the rule matched is text the command decodes into a file:
		// intent, but not this act's (deobfuscate.go, runForms)
		decoded = fmt.Sprintf("matched by the text the command decodes into %s, not by what it runs: the file's content, read as intent; run, it would be %q", c.decodedFile(), m.title)
		if len(m.attack) > 0 {
			decoded += " (" + strings.Join(m.attack, ", ") + ")"
		}
		why += "; " + decoded
		decoded = m.title + " " + decoded
		m.title, m.attack = "Decoded Into A File: "+m.title, nil
		if m.level > SeverityHigh {
			m.level = SeverityHigh // nothing of it ran yet
		}
	}
	f := &Finding{
		RuleID:    r.ID,
		RuleIDs:   []string{r.ID},
		Title:     m.title,
		Why:       m.why,
		Severity:  m.level,
		Attack:    m.attack,
		Stage:     stage,
		Reason:    why,
		Time:      ev.Time,
		Host:      ev.Host,
		Event:     ev,
		Process:   p,
		Tampering: r.Tampering,
		Source:    "rule",
		// a command that runs what it fetched shows more than staging
		NeedsCorroboration: m.weak != "" && !runsFetched(cmd),
		decoded:            decoded,
	}
	if f.NeedsCorroboration {
		f.Shows = m.weak
	}
	if ch := in.channel; ch != nil && ch.ev != ev && stage == StageCommandAndControl {
		f.Related = append(f.Related, ch.ev)
		if ch.feed == "" {
			f.Reason += " (channel to " + ch.peer + ")"
		} else if pi.TaskFeed == "" {
			f.Reason += " (the channel: " + ch.peer + ", followed by a planted process)"
		}
	}
	if pi.ShellTest && stage == StageWebshellUpload {
		f.TriedScript, f.TriedAt = e.state.landedPath(ev)
	}
	if r.ID == RulePlantedFileRun {
		if h, ok := e.state.flagged.hooks.fired(ev); ok {
			f.Reason += "; " + h.reason(ev)
			f.FiredHook = h.hook.path
		} else if pc, ok := e.state.flagged.cmds.fired(ev); ok {
			f.Reason += "; " + pc.reason()
			f.Related = append(f.Related, pc.event)
		}
		if l, orphaned := e.state.launchedBy(ev); l != nil && l != ev {
			f.Related = append(f.Related, l)
			if orphaned {
				f.Reason += fmt.Sprintf("; inferred: started by pid %d (%s), whose command puts this one in the background %s before it runs under init (no fork record ties them)",
					l.PID, path.Base(l.Exe), ev.Time.Sub(l.Time).Round(time.Millisecond))
			} else {
				f.Reason += fmt.Sprintf("; started by pid %d (%s), whose command names it", l.PID, path.Base(l.Exe))
			}
		}
	}
	if ch := in.channel; ch != nil && ch.worker && ch.ev != ev && pi.InChannel {
		// the worker's own socket, read as a shell's by how its request
		// went on: said, as every inference is, wherever it placed the act
		f.Reason += "; inferred channel: the web worker connected to " + ch.peer + ", a peer no other request of the site used, and kept running different commands for seconds in the same request without going back to accept (its socket is the shell's)"
	}
	if ch := in.channel; ch != nil && ch.socketShell && ch.ev != ev && pi.InChannel {
		f.Reason += fmt.Sprintf("; inferred channel: pid %d (%s) connected to %s and then an interactive shell (-i) started with no terminal, its input the socket's (the hand-over of a descriptor is not audited)",
			ch.opener.Key.PID, path.Base(ch.opener.Exe), ch.peer)
	}
	var series *guessState
	switch r.ID {
	case "web-login-guessed":
		series = e.state.guess.won
	case "web-login-guessing":
		series = e.state.guess.attempted
	}
	if series != nil {
		f.Related = append(f.Related, series.evidence...)
		f.Reason += guessReason(series, ev)
	}
	if e.state.swept && r.ID == "port-scan-fanout" {
		ports, took := e.state.fanout.ports(ev)
		in := "in " + took.Round(time.Millisecond).String()
		if took < time.Millisecond {
			in = "within a millisecond"
		}
		// "tried": a sweep's connects are attempts (refused, or non-blocking
		// with no result in the log); each connect's finding says its outcome
		f.Reason += fmt.Sprintf("; it tried ports %s of %s %s, each once", intList(ports), ev.Peer.IP, in)
	}
	if conn, acc, why, ok := e.state.viaServiceReason(ev); ok {
		f.Related = append(f.Related, conn)
		if acc != nil {
			f.Related = append(f.Related, acc)
		}
		f.Reason += why
	}
	if im, ok := e.state.relaunched(ev); ok && r.ID == RuleImplantRelaunched {
		f.Related = append(f.Related, im.ev)
		f.Reason += relaunchReason(im, programOf(ev.Exe, ev.Cwd, ev.Args))
	}
	if w, ok := e.state.watchdogged(ev); ok && r.ID == RuleImplantWatchdog {
		f.Related = append(f.Related, w.im.ev)
		f.Reason += watchdogReason(w, programOf(ev.Exe, ev.Cwd, ev.Args))
	}
	f.Reason += e.state.pipeReason(p)
	if r.ID == RulePlantedFileRun {
		f.Reason += droppedReason(e.state, ev)
	}
	if r.ID == RuleLoginChangedAccount {
		if ch, ok := e.state.loginIntoChanged(c); ok {
			f.Related = append(f.Related, ch.ev)
			f.Reason += loginReason(ch, c.user())
		}
	}
	if pl := e.state.plantedFor(ev); pl != nil {
		f.Related = append(f.Related, pl.ev)
		f.Reason += "; " + ev.Peer.String() + " is named in the command of the persistence act at " +
			pl.ev.Time.UTC().Format("15:04:05") + " (" + pl.text() + ")"
	}
	return f
}
