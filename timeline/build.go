package timeline

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Result is what Build returns: the chains worst first, what the inputs
// could show, and the findings about the evidence itself, which no chain
// holds (reports show them first).
type Result struct {
	Chains    []*Chain
	Coverage  Coverage
	Tampering []*detect.Finding // in time order
	// Findings are all findings given to Build, tampering included, in
	// report order: time, then a total order (host, serial, position, rule).
	// A routine finding is a copy with its severity lowered (routine.go).
	Findings []*detect.Finding
	// Routine lists the templates of routine activity whose findings were
	// demoted, by host and first sighting.
	Routine []*Routine
}

// Build groups findings into chains, one per intrusion, places each on the
// eight stages, and ranks them worst first: by severity, then by the
// number of stages reached, then by first sighting, then by a total order
// on their first finding. Chain IDs are C01, C02 … in that order. tree is
// the parser's process tree (nil is allowed: no container links then).
// Build does not modify the findings; it may be called again after more
// events were observed.
func (b *Builder) Build(findings []*detect.Finding, tree *parser.Tree) *Result {
	b.unpackLists()
	b.detached, b.drops, b.anchorMemo = nil, nil, nil
	cov, caps := b.coverage()
	all := make([]*detect.Finding, 0, len(findings))
	for _, f := range findings {
		if f != nil {
			all = append(all, f)
		}
	}
	sortFindings(all)
	if derived := b.correlations(all); len(derived) > 0 {
		all = append(all, derived...)
		sortFindings(all)
	}
	all = b.markLocalServices(all, tree)
	chainable, tampering := tamperingFindings(all)
	cz := b.matchRequests()
	chainable = b.placeTunneled(all, chainable, cz)
	chainable = b.placeInclusions(all, chainable)
	chainable = b.placePolls(all, chainable, tree)
	chainable = b.placeBeaconTasks(all, chainable)
	chainable = b.placeFedPipes(all, chainable, tree)
	chainable = b.demoteServerLaunch(all, chainable)
	chainable = b.demoteUnused(all, chainable)
	chainable = b.demoteOwnJobs(all, chainable, caps)
	chainable = b.markRefused(all, chainable, tree)
	chainable = b.markReentries(all, chainable, cz)
	chainable = b.markCommandWrites(all, chainable, cz)
	chainable = b.markServedUploads(all, chainable, cz)
	all, chainable = b.dropReplaced(all, chainable)
	chainable, routine := b.demoteRoutine(all, chainable, tree, cz, caps.persWatch || caps.fileWrite)
	l := newLinker(b, tree, chainable, cz)
	l.routine = routine
	l.link()
	chains := l.assemble(caps)
	replaced(all, nil, l.demoted) // the chains hold the demoted copies
	rank(chains)
	b.detached, b.drops, b.anchorMemo = nil, nil, nil
	return &Result{Chains: chains, Coverage: cov, Tampering: tampering, Findings: all, Routine: routine}
}

// sortFindings orders findings by time, then host, serial, position, rule
// and stage: a total order for deterministic chains.
func sortFindings(fs []*detect.Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return findingLess(fs[i], fs[j]) })
}

func findingLess(a, b *detect.Finding) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	if a.Host != b.Host {
		return a.Host < b.Host
	}
	ea, eb := evidenceOf(a), evidenceOf(b)
	if ea.Serial != eb.Serial {
		return ea.Serial < eb.Serial
	}
	if ea.Pos.File != eb.Pos.File {
		return ea.Pos.File < eb.Pos.File
	}
	if ea.Pos.Line != eb.Pos.Line {
		return ea.Pos.Line < eb.Pos.Line
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	if a.Stage != b.Stage {
		return a.Stage < b.Stage
	}
	return a.Title < b.Title
}

func evidenceOf(f *detect.Finding) parser.Evidence {
	if f.Event == nil {
		return parser.Evidence{}
	}
	return f.Event.FirstEvidence()
}

// assemble turns the components that hold findings into chains.
func (l *linker) assemble(caps capabilities) []*Chain {
	byRoot := map[int]*Chain{}
	members := map[int][]any{} // component → its node keys, in id order
	var chains []*Chain
	for i, f := range l.findings {
		r := l.find(l.ids[findingKey(i)])
		c := byRoot[r]
		if c == nil {
			c = &Chain{}
			byRoot[r] = c
			chains = append(chains, c)
		}
		c.Findings = append(c.Findings, f)
	}
	for i, k := range l.keys {
		r := l.find(i)
		if byRoot[r] != nil {
			members[r] = append(members[r], k)
		}
	}
	notes := map[int][]linkNote{}
	for _, n := range l.notes {
		r := l.find(n.node)
		notes[r] = append(notes[r], n)
	}
	for r, c := range byRoot {
		c.Findings = l.corroborate(c.Findings, members[r], l.demoted)
		c.Findings = l.spareShells(c.Findings, l.demoted)
		c.Findings = l.openingProbes(c.Findings, l.demoted)
		c.Findings = l.movedLogins(c.Findings, l.demoted)
		c.Findings = l.transientPlants(c.Findings, l.demoted)
		c.Findings = l.otherApps(c.Findings, l.demoted)
		l.fill(c, members[r], notes[r], caps)
	}
	return chains
}

// fill completes one chain from its findings and graph nodes.
func (l *linker) fill(c *Chain, nodes []any, notes []linkNote, caps capabilities) {
	inChain := map[any]bool{}
	procs := map[*parser.Process]bool{}
	for _, k := range nodes {
		inChain[k] = true
		if pk, ok := k.(procKey); ok {
			c.Roots = append(c.Roots, pk.p)
		}
	}
	parser.SortProcesses(c.Roots)
	addProc := func(p *parser.Process) {
		if p != nil && !procs[p] {
			procs[p] = true
			c.Processes = append(c.Processes, p)
		}
	}
	for _, r := range c.Roots {
		if procs[r] {
			continue // below an earlier root: its subtree is in already
		}
		addProc(r)
		for _, d := range l.tree.Descendants(r) {
			addProc(d)
		}
	}
	hosts := map[string]bool{}
	for _, f := range c.Findings {
		addProc(procOf(f))
		hosts[f.Host] = true
		if f.Severity > c.Severity {
			c.Severity = f.Severity
		}
	}
	for _, p := range c.Processes {
		hosts[p.Key.Host] = true
	}
	parser.SortProcesses(c.Processes)
	c.Hosts = sortedKeys(hosts)
	first := c.Findings[0]
	c.Host = first.Host
	if l.tree != nil {
		for _, f := range c.Findings {
			if p := procOf(f); p != nil {
				if ct := l.tree.ContainerOf(p); !ct.IsZero() {
					c.Container = ct
					break
				}
			}
		}
	}

	// requests: the shells they spawned, the uploads they stored; a link
	// that names no request and offers no candidate (one request, one
	// worker, ruled them out) shows none
	for _, r := range c.Roots {
		if rl, ok := l.cz.execs[r]; ok && rl.names() {
			c.Requests = append(c.Requests, rl)
		}
	}
	findingEvents := map[*parser.Event]bool{}
	for _, f := range c.Findings {
		findingEvents[f.Event] = true
	}
	seenUp := map[*parser.Event]bool{}
	for _, w := range l.uploadWrites() {
		rl := l.cz.uploads[w]
		if !rl.names() {
			continue
		}
		key := rl.Request
		if key == nil && len(rl.Candidates) > 0 {
			key = rl.Candidates[0] // an ambiguous link: once per candidate set
		}
		if seenUp[key] {
			continue
		}
		if inChain[fileKey{w.Host, path.Clean(w.Path)}] || findingEvents[w] {
			seenUp[key] = true
			c.Requests = append(c.Requests, rl)
		}
	}
	sort.SliceStable(c.Requests, func(i, j int) bool {
		a, b := c.Requests[i], c.Requests[j]
		if ta, tb := a.sortTime(), b.sortTime(); !ta.Equal(tb) {
			return ta.Before(tb)
		}
		if !a.Event.Time.Equal(b.Event.Time) {
			return a.Event.Time.Before(b.Event.Time)
		}
		return a.Process.Key.PID < b.Process.Key.PID
	})

	// links, each once, in time order
	sort.SliceStable(notes, func(i, j int) bool {
		if !notes[i].at.Equal(notes[j].at) {
			return notes[i].at.Before(notes[j].at)
		}
		return notes[i].text < notes[j].text
	})
	seenText := map[string]bool{}
	for _, n := range notes {
		if !seenText[n.text] {
			seenText[n.text] = true
			c.Links = append(c.Links, n.text)
		}
	}

	l.place(c, caps)
}

// place fills the eight slots of a chain.
func (l *linker) place(c *Chain, caps capabilities) {
	for i := range c.Stages {
		c.Stages[i].Stage = detect.Stage(i + 1)
	}
	for _, f := range c.Findings {
		if f.Stage.Valid() {
			s := &c.Stages[f.Stage-1]
			s.Findings = append(s.Findings, f)
			widen(s, f.Time)
		}
	}
	st1, st2 := l.httpEvidence(c)
	c.Stages[0].Requests = st1
	c.Stages[1].Requests = st2
	for _, r := range st1 {
		widen(&c.Stages[0], r.Time)
	}
	for _, r := range st2 {
		widen(&c.Stages[1], r.Time)
	}
	web := l.webChain(c)
	for i := range c.Stages {
		s := &c.Stages[i]
		if len(s.Findings) > 0 || len(s.Requests) > 0 {
			s.Observed = true
			s.Visibility = Observed
			s.Confidence = ConfidenceObserved
			s.Reason = observedReason(s)
			if why, ok := requestStageReason(c, s); ok {
				s.Confidence, s.Reason = ConfidenceInferred, why
			}
		}
	}
	// stage 1 inferred from a later web stage: the server was exploited
	// somehow, even when the request that did it is not in the logs. Only
	// a high finding says so: a chain of medium shell spawns (a health
	// check running `sh -c date` all day) is not an exploitation.
	if s := &c.Stages[0]; !s.Observed && web && c.Severity >= detect.SeverityHigh {
		for _, later := range []detect.Stage{detect.StageWebshellUpload, detect.StageCommandExecution, detect.StageSuspiciousSpawn} {
			ls := c.Stages[later-1]
			if !ls.Observed {
				continue
			}
			s.Observed = true
			s.Visibility = Observed
			s.Confidence = ConfidenceInferred
			s.FirstSeen, s.LastSeen = ls.FirstSeen, ls.FirstSeen
			why := stage1Why(c, caps)
			s.Reason = fmt.Sprintf("inferred from stage %d (%s) at %s: the web server was exploited by then; the exploit request itself is not in the evidence (%s)",
				int(later), later.ID(), stamp(ls.FirstSeen), why)
			break
		}
	}
	for i := range c.Stages {
		s := &c.Stages[i]
		if !s.Observed {
			s.Visibility, s.Reason = visibility(s.Stage, caps)
		}
	}
	c.FirstSeen, c.LastSeen = time.Time{}, time.Time{}
	for _, f := range c.Findings {
		stretch(&c.FirstSeen, &c.LastSeen, f.Time)
	}
	for _, s := range c.Stages {
		if s.Confidence == ConfidenceObserved {
			stretch(&c.FirstSeen, &c.LastSeen, s.FirstSeen)
			stretch(&c.FirstSeen, &c.LastSeen, s.LastSeen)
		}
	}
	reached, inferred := 0, 0
	for _, s := range c.Stages {
		if s.Observed {
			reached++
			if s.Confidence == ConfidenceInferred {
				inferred++
			}
		}
	}
	n := len(c.Findings)
	if n > 9 {
		n = 9
	}
	// Score orders chains the way rank does, as one number for the report:
	// severity first, then stages reached (an inferred stage counts half),
	// then how much evidence.
	c.Score = int(c.Severity)*100 + (reached-inferred)*10 + inferred*5 + n
}

func widen(s *Slot, t time.Time) { stretch(&s.FirstSeen, &s.LastSeen, t) }

func stretch(first, last *time.Time, t time.Time) {
	if t.IsZero() {
		return
	}
	if first.IsZero() || t.Before(*first) {
		*first = t
	}
	if last.IsZero() || t.After(*last) {
		*last = t
	}
}

// webChain reports whether a chain went through a web server: a web-shell
// root, a finding on a web-server process, or a request tied to it.
func (l *linker) webChain(c *Chain) bool {
	if len(c.Requests) > 0 {
		return true
	}
	for _, r := range c.Roots {
		if l.isWebRoot(r) {
			return true
		}
	}
	for _, f := range c.Findings {
		if l.o.isWebServer(procOf(f)) {
			return true
		}
	}
	return false
}

// stage1Why says why an inferred stage 1 has no request of its own, in
// terms that agree with the chain's request table: requests tied only by
// time (inferred or ambiguous) are listed there, so "no request is tied"
// would contradict it.
func stage1Why(c *Chain, caps capabilities) string {
	if !caps.accessLog {
		return "no access log among the inputs"
	}
	weak, uploads := 0, 0
	for _, rl := range c.Requests {
		if !strong(rl) {
			weak++
		}
		if rl.File != "" {
			uploads++
		}
	}
	switch {
	case len(c.Requests) == 0:
		return "no request of the access log is tied to the chain"
	case weak == len(c.Requests):
		return fmt.Sprintf("the chain's %d request(s) are tied to it by time only (inferred or ambiguous), none as the way in", weak)
	case uploads == len(c.Requests):
		// the upload is stage 2's own act: what let it through (a login,
		// an exploit) is what stage 1 would be
		return fmt.Sprintf("the chain's %d request(s) are the upload(s) of its files, not what let them through", uploads)
	}
	return fmt.Sprintf("the chain's %d request(s) show what the intruder did once in, not the way in", len(c.Requests))
}

// httpEvidence picks the requests that are stage 1 and stage 2 evidence of
// a chain on their own. Stage 2: an upload POST that stored a script.
// Stage 1: an upload of something else (the probe that tests the form),
// the error burst of the same client (address and user agent) in the Gap
// before its first tied request (three errors or more: path guessing), and
// the first request that spawned a shell when no upload explains it (the
// exploit request itself).
func (l *linker) httpEvidence(c *Chain) (st1, st2 []*parser.Event) {
	ids := map[identity]bool{}
	var t0 time.Time
	var firstExec *parser.Event
	for _, rl := range c.Requests {
		if !strong(rl) {
			continue
		}
		ids[identityOf(rl.Request)] = true
		if t0.IsZero() || rl.Request.Time.Before(t0) {
			t0 = rl.Request.Time
		}
		switch {
		case rl.File != "" && isScript(rl.File) && !detect.TargetExisted(rl.Event):
			// a script of the site changed is no upload (persistence, or
			// the exploit's own write): its request counts as stage 1's
			st2 = append(st2, rl.Request)
		case rl.File != "":
			st1 = append(st1, rl.Request)
		case firstExec == nil:
			firstExec = rl.Request
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if len(st2) == 0 && firstExec != nil && !startedAfterChain(l.b.spanOf(firstExec), c) {
		st1 = append(st1, firstExec)
	}
	var burst []*parser.Event
	reqs := l.requestsByTime()
	from := sort.Search(len(reqs), func(i int) bool { return !reqs[i].Time.Before(t0.Add(-l.o.Gap)) })
	for _, r := range reqs[from:] {
		if !r.Time.Before(t0) {
			break
		}
		// a client is its address and its user agent: an address alone
		// (a log without the agent) is shared by everyone behind a proxy,
		// a NAT or the loopback, and would give a scanner's 404s to the
		// intruder (berthplan-rules' uvicorn log)
		if id := identityOf(r); id.agent == "" || !ids[id] {
			continue
		}
		if r.HTTP.Status >= 400 && r.HTTP.Status < 500 {
			burst = append(burst, r)
		}
	}
	if len(burst) >= 3 {
		st1 = append(st1, burst...)
	}
	sortEvents(st1)
	sortEvents(st2)
	return dedupe(st1), dedupe(st2)
}

// startedAfterChain reports whether a request began, at the earliest its
// log allows, after the chain's first act: it cannot be the way in
// (kiln-photourl: the attacker truncated the access log, and the first
// line left that is tied to the chain is the web shell's, a minute and a
// half after the intrusion began).
func startedAfterChain(span reqSpan, c *Chain) bool {
	for _, f := range c.Findings {
		if !f.Time.IsZero() {
			return span.start.After(f.Time) // the findings are in time order
		}
	}
	return false
}

func sortEvents(es []*parser.Event) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Time.Before(es[j].Time) })
}

func dedupe(es []*parser.Event) []*parser.Event {
	out := es[:0]
	seen := map[*parser.Event]bool{}
	for _, e := range es {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// observedReason summarises a slot's evidence in a sentence.
func observedReason(s *Slot) string {
	var parts []string
	if n := len(s.Findings); n > 0 {
		f := s.Findings[0]
		who := ""
		if p := procOf(f); p != nil {
			who = " by " + label(p)
		}
		parts = append(parts, fmt.Sprintf("%d finding(s); first: %s%s at %s", n, f.Title, who, stamp(f.Time)))
	}
	if n := len(s.Requests); n > 0 {
		r := s.Requests[0]
		parts = append(parts, fmt.Sprintf("%d request(s) in the access log; first: %s (status %d) at %s",
			n, describeRequest(r), r.HTTP.Status, stamp(r.Time)))
	}
	return strings.Join(parts, "; ")
}

// visibility says why an unobserved stage is not observed: the inputs
// could have shown it (NotObserved) or could not (NotVisible). A stage the
// inputs show only in part (no file watches: a cron file written by a
// shell builtin leaves no record, though a crontab exec would) is marked
// NotVisible with "partly" in its reason, since "not observed" would
// claim more than the logs can back.
func visibility(st detect.Stage, caps capabilities) (Visibility, string) {
	if !caps.known && st >= detect.StageCommandExecution {
		return NotVisible, "no audit records of processes in the inputs"
	}
	v, ok := stageVisibility[st]
	if !ok {
		return NotObserved, ""
	}
	suffix := ""
	if caps.fromEvents && v.audit {
		suffix = " (no audit rules known; judged from the records present)"
	}
	switch {
	case v.sees(caps):
		return NotObserved, v.notObserved
	case v.partly != nil && v.partly(caps):
		return NotVisible, v.partlyWhy + suffix
	}
	return NotVisible, v.blind + suffix
}

// stageVis says, for one stage, what the inputs must hold to show it.
type stageVis struct {
	sees        func(capabilities) bool // the stage would show if it happened
	partly      func(capabilities) bool // some of its forms would show (nil: none)
	audit       bool                    // judged from the audit rules (else from the inputs)
	notObserved string                  // why "not observed" is a finding of its own
	partlyWhy   string
	blind       string
}

var stageVisibility = map[detect.Stage]stageVis{
	detect.StageInitialAccess: {
		sees:        func(c capabilities) bool { return c.accessLog },
		notObserved: "no request in the access log is tied to this chain",
		blind:       "no access log among the inputs: the exploit request cannot be seen",
	},
	detect.StageWebshellUpload: {
		sees:        func(c capabilities) bool { return c.webWatch || c.fileWrite },
		partly:      func(c capabilities) bool { return c.accessLog },
		audit:       true,
		notObserved: "web-root writes are audited and no script landing there is tied to this chain",
		partlyWhy:   "partly visible: no watch on a web root and no audited write syscalls, so a file landing there leaves no audit record (an upload POST would still show in the access log)",
		blind:       "no access log, no watch on a web root and no audited write syscalls: an upload leaves no record",
	},
	detect.StageCommandExecution: execVisibility,
	detect.StageSuspiciousSpawn:  execVisibility,
	detect.StagePersistence: {
		sees:        func(c capabilities) bool { return c.persWatch || c.fileWrite },
		partly:      func(c capabilities) bool { return c.exec },
		audit:       true,
		notObserved: "persistence locations are audited and none was changed by this chain",
		partlyWhy:   "partly visible: no watches on cron, unit or key files and no audited write syscalls; only tools such as crontab or systemctl would show (execve)",
		blind:       "no watches on cron, unit or key files, no audited writes and no execve",
	},
	detect.StageLateralMovement: {
		sees:        func(c capabilities) bool { return c.connect || c.accept },
		partly:      func(c capabilities) bool { return c.exec },
		audit:       true,
		notObserved: "connections are audited and none from this chain reached another account or host",
		partlyWhy:   "partly visible: connect and accept are not audited; an ssh or scp exec would show, the connection and the login it opened would not be linked",
		blind:       "neither connect, accept nor execve is audited",
	},
	detect.StageCommandAndControl: {
		sees:        func(c capabilities) bool { return c.connect },
		partly:      func(c capabilities) bool { return c.exec },
		audit:       true,
		notObserved: "connect is audited and no control channel of this chain is in the logs",
		partlyWhy:   "partly visible: connect is not audited; a /dev/tcp or nc command line would show, the channel itself would not",
		blind:       "neither connect nor execve is audited",
	},
	detect.StageExfiltrationImpact: {
		sees:        func(c capabilities) bool { return c.connect || c.exec },
		audit:       true,
		notObserved: "execve or connect is audited and no exfiltration or damage by this chain is in the logs",
		blind:       "neither connect nor execve is audited",
	},
}

var execVisibility = stageVis{
	sees:        func(c capabilities) bool { return c.exec },
	audit:       true,
	notObserved: "execve is audited and no such command is in this chain",
	blind:       "execve is not audited: commands leave no record",
}

// rank sorts chains worst first and numbers them.
func rank(cs []*Chain) {
	reached := func(c *Chain) int {
		n := 0
		for _, s := range c.Stages {
			if s.Observed {
				n++
			}
		}
		return n
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if ra, rb := reached(a), reached(b); ra != rb {
			return ra > rb
		}
		if !a.FirstSeen.Equal(b.FirstSeen) {
			return a.FirstSeen.Before(b.FirstSeen)
		}
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if len(a.Findings) != len(b.Findings) {
			return len(a.Findings) > len(b.Findings)
		}
		return findingLess(a.Findings[0], b.Findings[0])
	})
	for i, c := range cs {
		c.ID = ChainID(i)
	}
}

// ChainID returns the id of the i-th chain (0-based), worst first: C01 …
// The timeline numbers the chains; the report only falls back on it for a
// chain built elsewhere without an id.
func ChainID(i int) string {
	return fmt.Sprintf("C%02d", i+1)
}

// uploadWrites returns the file writes that stored an upload, in the order
// of the kept file operations. Found once: every chain asks, and walking
// every write of a busy server for each chain was chains × writes.
func (l *linker) uploadWrites() []*parser.Event {
	if l.uploads == nil {
		l.uploads = []*parser.Event{}
		for _, w := range l.b.fileOps {
			if _, ok := l.cz.uploads[w]; ok {
				l.uploads = append(l.uploads, w)
			}
		}
	}
	return l.uploads
}

// uploadKey names the uploads one process stored under one file name.
type uploadKey struct {
	proc *parser.Process
	path string // cleaned
}

// uploadsAt returns the upload writes of proc to the cleaned path, in the
// order of the kept file operations. Indexed once: a finding asked by
// walking every write was findings × writes, quadratic on a long archive.
func (l *linker) uploadsAt(proc *parser.Process, clean string) []*parser.Event {
	if l.uploadIdx == nil {
		l.uploadIdx = map[uploadKey][]*parser.Event{}
		for _, w := range l.uploadWrites() {
			k := uploadKey{w.Proc, path.Clean(w.Path)}
			l.uploadIdx[k] = append(l.uploadIdx[k], w)
		}
	}
	return l.uploadIdx[uploadKey{proc, clean}]
}

// requestsByTime returns the kept requests sorted by time (stably: equal
// times keep their input order), sorted once for every chain's search of
// the Gap before its first request.
func (l *linker) requestsByTime() []*parser.Event {
	if l.reqSorted == nil {
		l.reqSorted = append([]*parser.Event{}, l.b.requests...)
		sortEvents(l.reqSorted)
	}
	return l.reqSorted
}

// replaced returns chainable with the findings of repl replaced by their
// copies, and replaces them in all too. The passes that judge a finding
// again (demote it, place it again, say more of it) copy it, since Build
// does not modify its input.
func replaced(all, chainable []*detect.Finding, repl map[*detect.Finding]*detect.Finding) []*detect.Finding {
	if len(repl) == 0 {
		return chainable
	}
	for i, f := range all {
		all[i] = latest(f, repl)
	}
	out := make([]*detect.Finding, len(chainable))
	for i, f := range chainable {
		out[i] = latest(f, repl)
	}
	return out
}

// latest follows a finding's copies to the last: a pass may copy a copy
// (corroboration demotes a command, then the opening probes place the
// demoted copy on stage 1), and the report's list must hold what the
// chain holds (hivelog-rpcsend: the probe's id was on stage 1 in its
// chain and on 3, in no chain, in the findings).
func latest(f *detect.Finding, repl map[*detect.Finding]*detect.Finding) *detect.Finding {
	for n := 0; n < 16; n++ { // a handful of passes copy: never a cycle, but bounded all the same
		d := repl[f]
		if d == nil || d == f {
			break
		}
		f = d
	}
	return f
}
