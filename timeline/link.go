package timeline

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Chains are the connected components of a graph whose nodes are findings
// and the things that tie them (an ancestry root, a login session, a file,
// a script URL, a network peer) and whose edges are the linking rules
// below. Every edge is evidence, never time alone, except two bounded-gap
// rules that say so in their link text; low and informational findings
// never join by a time rule, so one noisy finding cannot swallow unrelated
// activity.

// Node keys of the link graph.
type (
	findingKey int                         // index into linker.findings
	procKey    struct{ p *parser.Process } // an ancestry root (anchor)
	sessKey    struct {
		host      string
		auid, ses uint32
	} // an audit login session
	fileKey   struct{ host, path string }                // a file uploaded or dropped into a web root
	scriptKey struct{ host, path, client, agent string } // a URL path that spawned shells, per HTTP client
	peerKey   struct{ host, addr string }                // a network peer of a C2 or exfil finding
	clientKey struct{ host, client, agent string }       // an HTTP client that drove high findings
)

type linkNote struct {
	node int
	at   time.Time
	text string
}

// linker builds the link graph with a union-find. Node ids are given in a
// deterministic order (everything is visited in sorted order), and a union
// keeps the smaller id as the root, so components never depend on map
// order.
type linker struct {
	b        *Builder
	o        *Options
	tree     *parser.Tree
	findings []*detect.Finding
	cz       causality
	// evidenceOnly leaves out the time-only rules (routine.go asks which
	// findings evidence alone ties together)
	evidenceOnly bool
	// evComp: each finding's component in the evidence-only linking of
	// the same findings, made when corroboration first asks
	// (corroborate.go); the linking itself is not kept
	evComp map[*detect.Finding]int
	// ev: the evidence-only components, kept while link runs (nil for an
	// evidence-only linker, and before link)
	ev      *evidenceLinks
	routine []*Routine // demoted templates: each one chain of its own (routine.go)

	parent []int
	ids    map[any]int
	keys   []any
	notes  []linkNote

	anchorOf map[*parser.Process]*parser.Process // memo of anchor()
	// anchorNotes: memo of ancestryNote per anchor (link's first rule)
	anchorNotes map[*parser.Process]string
	// plantRuns are processes that ran a file the intrusion planted
	// (planted-file-run): each is the root of its own unit of work, cut
	// from whatever ran it (a deploy's git, a login, cron: the victim's
	// routine that triggered the plant, not the intruder's act)
	plantRuns map[*parser.Process]bool
	anchorSev map[*parser.Process]detect.Severity // worst finding below each anchor
	tmpl      templateCache                       // command templates of the routine pass
	anchors   []*parser.Process                   // anchors of findings, sorted
	roots     []*parser.Process                   // web-shell roots (children of a web server), sorted
	uploads   []*parser.Event                     // see uploadWrites; nil until asked
	highIDs   map[identity]bool                   // see highClients; nil until asked
	uploadIdx map[uploadKey][]*parser.Event       // see uploadsAt; nil until asked
	demoted   map[*detect.Finding]*detect.Finding // copies made by corroborate
	reqSorted []*parser.Event                     // see requestsByTime; nil until asked
	byEvent   map[*parser.Event][]int             // see findingsOf; nil until asked
	// sshOpened: the sessions an ssh client of the log opened, by the
	// client (linkSSH): a login the intrusion's own client made
	sshOpened map[sessKey]*parser.Process
}

func newLinker(b *Builder, tree *parser.Tree, fs []*detect.Finding, cz causality) *linker {
	return &linker{
		b: b, o: &b.opts, tree: tree, findings: fs, cz: cz,
		ids: map[any]int{}, anchorOf: map[*parser.Process]*parser.Process{},
		anchorNotes: map[*parser.Process]string{},
		anchorSev:   map[*parser.Process]detect.Severity{},
		tmpl:        templateCache{},
		demoted:     map[*detect.Finding]*detect.Finding{},
	}
}

func (l *linker) id(k any) int {
	if i, ok := l.ids[k]; ok {
		return i
	}
	i := len(l.parent)
	l.ids[k] = i
	l.keys = append(l.keys, k)
	l.parent = append(l.parent, i)
	if l.ev != nil {
		l.ev.parent = append(l.ev.parent, i)
	}
	return i
}

func (l *linker) find(x int) int {
	for l.parent[x] != x {
		l.parent[x] = l.parent[l.parent[x]]
		x = l.parent[x]
	}
	return x
}

// union joins the components of a and b and keeps text as the reason.
func (l *linker) union(a, b any, at time.Time, text string) {
	ia, ib := l.id(a), l.id(b)
	x, y := l.find(ia), l.find(ib)
	if x != y {
		if y < x {
			x, y = y, x
		}
		l.parent[y] = x
	}
	if l.ev != nil && !l.ev.off {
		l.ev.union(ia, ib)
	}
	if text != "" {
		l.notes = append(l.notes, linkNote{l.id(a), at, text})
	}
}

// evidenceLinks are the components of the evidence-only linking of a
// linker's own findings, kept beside its linking as it links.
// Corroboration asks which findings evidence alone ties (tiedByEvidence):
// that is the same findings linked again without the time-only rules
// (linkRootGap, linkLoadedModules, linkContainers) and without the
// routine templates' nodes (an evidence-only linker has none). No rule
// reads the components while linking, so the components are those of
// every other rule's unions, whatever their order: a third linking of the
// whole graph (a third of Build on the pid-repeating log) is not run.
type evidenceLinks struct {
	parent []int // by the linker's node ids
	off    bool  // a time-only rule, or linkRoutine, is linking
}

func (e *evidenceLinks) find(x int) int {
	for e.parent[x] != x {
		e.parent[x] = e.parent[e.parent[x]]
		x = e.parent[x]
	}
	return x
}

func (e *evidenceLinks) union(a, b int) {
	x, y := e.find(a), e.find(b)
	if y < x {
		x, y = y, x
	}
	e.parent[y] = x
}

// procOf is the acting process of a finding.
func procOf(f *detect.Finding) *parser.Process {
	if f.Process != nil {
		return f.Process
	}
	if f.Event != nil {
		return f.Event.Proc
	}
	return nil
}

// anchor returns the root of p's unit of work: walking up from p, the
// last process before a service (a web server, sshd, cron, init, a
// container shim …). Below a web server that is the shell the server
// spawned for a request; below cron one job; below sshd one login. A web
// server or service itself has no anchor (nil): its worker serves benign
// and hostile requests alike, so sharing it is no link. Parent pointers
// survive re-parenting (Process.Reparented), so an orphan still finds the
// shell that started it.
func (l *linker) anchor(p *parser.Process) *parser.Process {
	if p == nil {
		return nil
	}
	if a, ok := l.anchorOf[p]; ok {
		return a
	}
	var a *parser.Process
	if !l.o.isService(p) {
		a = p
		for i := 0; i < 4096 && a.Parent != nil && !l.o.isService(a.Parent) && !l.plantRuns[a]; i++ {
			a = a.Parent
		}
	}
	l.anchorOf[p] = a
	return a
}

// shareAnchors lets the linkers of one Build share their memos of
// anchor() and of the ancestry notes. A Build links the same findings'
// processes up to three times (routine's evidence-only pass, the chains,
// corroboration's evidence-only pass); an anchor depends on the process,
// its ancestors and the planted runs that cut them, and these are the
// same each time, so each linker walked the same ancestries again. Shared
// only for the same planted runs, and only by a linker that has asked
// nothing yet; Build lets the memos go when it returns.
func (l *linker) shareAnchors() {
	if len(l.anchorOf) > 0 || len(l.anchorNotes) > 0 {
		return
	}
	if m := l.b.anchorMemo; m != nil && maps.Equal(m.plantRuns, l.plantRuns) {
		l.anchorOf, l.anchorNotes = m.of, m.notes
		return
	}
	l.b.anchorMemo = &anchorMemo{plantRuns: maps.Clone(l.plantRuns), of: l.anchorOf, notes: l.anchorNotes}
}

// anchorMemo is the anchors and ancestry notes one Build's linkers share
// (shareAnchors).
type anchorMemo struct {
	plantRuns map[*parser.Process]bool
	of        map[*parser.Process]*parser.Process
	notes     map[*parser.Process]string
}

func (l *linker) isWebRoot(a *parser.Process) bool {
	return a != nil && a.Parent != nil && l.o.isWebServer(a.Parent)
}

// master is the topmost web-server process above a web-shell root (the
// php-fpm or nginx master), which all its workers share.
// A parent known only as a pid (a placeholder: the master started before
// the log) counts as the server too, since workers do not outlive it.
func (l *linker) master(a *parser.Process) *parser.Process {
	m := a.Parent
	for m != nil && m.Parent != nil && (l.o.isWebServer(m.Parent) || m.Parent.Placeholder && m.Parent.Exe == "" && m.Parent.Comm == "") {
		m = m.Parent
	}
	return m
}

func label(p *parser.Process) string {
	if p == nil {
		return "?"
	}
	return fmt.Sprintf("pid %d (%s)", p.Key.PID, p.Name())
}

func when(t time.Time) string { return t.UTC().Format("15:04:05.000") }

// link applies every rule. A linker that is not evidence-only also keeps
// the evidence-only components of its findings (evidenceLinks), from an
// empty graph on.
func (l *linker) link() {
	if !l.evidenceOnly && len(l.parent) == 0 {
		l.ev = &evidenceLinks{}
	}
	for _, f := range l.findings {
		if p := procOf(f); p != nil && slices.Contains(f.RuleIDs, detect.RulePlantedFileRun) {
			if l.plantRuns == nil {
				l.plantRuns = map[*parser.Process]bool{}
			}
			l.plantRuns[p] = true
		}
	}
	l.shareAnchors()
	for i, f := range l.findings {
		l.id(findingKey(i))
		p := procOf(f)
		if p == nil {
			continue
		}
		if a := l.anchor(p); a != nil {
			if s, ok := l.anchorSev[a]; !ok || f.Severity > s {
				l.anchorSev[a] = f.Severity
			}
			l.union(findingKey(i), procKey{a}, f.Time, l.ancestryNote(a))
			if p.Reparented && p != a {
				l.union(findingKey(i), procKey{a}, f.Time, fmt.Sprintf("ancestry: %s was re-parented after its parent died; its original parent pid %d descends from %s",
					label(p), p.PPID, label(a)))
			}
		}
		if p.AUID.Set && p.SES.Set && !l.belowWebServer(p) {
			l.union(findingKey(i), sessKey{p.Key.Host, p.AUID.N, p.SES.N}, f.Time,
				fmt.Sprintf("session: auid %s ses %d on %s", userOf(p.AUID, p), p.SES.N, hostOr(p.Key.Host)))
		}
	}
	for a := range l.anchorSev {
		l.anchors = append(l.anchors, a)
	}
	parser.SortProcesses(l.anchors)
	seen := map[*parser.Process]bool{}
	for _, ex := range l.b.webExecs {
		if ex.Proc != nil && !seen[ex.Proc] {
			seen[ex.Proc] = true
			l.roots = append(l.roots, ex.Proc)
		}
	}
	for _, a := range l.anchors {
		if l.isWebRoot(a) && !seen[a] {
			seen[a] = true
			l.roots = append(l.roots, a)
		}
	}
	parser.SortProcesses(l.roots)

	l.linkScripts()
	l.linkReentries()
	l.linkSoleEntry()
	l.timeOnly(l.linkRootGap)
	l.linkWebFiles()
	l.linkBursts()
	l.linkDroppedFiles()
	l.timeOnly(l.linkLoadedModules)
	l.linkDetached()
	l.linkPlantForks()
	l.linkScriptFamilies()
	l.linkCallbacks()
	l.linkChangedAccountLogins()
	l.linkServiceClients()
	l.linkCron()
	l.linkPeers()
	l.linkSSH()
	l.linkServerSSH()
	l.linkServerActs()
	l.linkPlantedKeys()
	l.timeOnly(l.linkContainers)
	l.linkHTTPClients()
	l.timeOnly(l.linkRoutine)
	if l.ev != nil {
		l.ev.off = true // what links after link (none today) is not the evidence-only linking's
	}
}

// timeOnly runs a rule the evidence-only linking leaves out (a time-only
// rule, which returns at once in an evidence-only linker; linkRoutine,
// whose templates an evidence-only linker has none of): its unions are
// not evidence links. TestEvidenceLinksAsLinkedAgain checks the two agree.
func (l *linker) timeOnly(rule func()) {
	if l.ev != nil {
		l.ev.off = true
		defer func() { l.ev.off = false }()
	}
	rule()
}

// belowWebServer reports whether a web server process is among p's
// ancestors. Such a process acts for the server's clients, whatever login
// session it inherited: an administrator who restarts the application
// from her ssh login (sudo cuspidctl restart) leaves her auid and session
// on every worker and on all they spawn, the attacker's shells and the
// customers' delivery notes alike, and the session would join them all
// (cuspid-labelfmt, benign-cuspid). Ancestry, requests and the web
// account tie what is below a server.
func (l *linker) belowWebServer(p *parser.Process) bool {
	for a, i := p.Parent, 0; a != nil && i < 4096; a, i = a.Parent, i+1 {
		if l.o.isWebServer(a) {
			return true
		}
	}
	return false
}

// ancestryNote is ancestryNote of a, made once per anchor: an anchor's
// findings are many (the same web shell's commands), and the note is the
// same text for each.
func (l *linker) ancestryNote(a *parser.Process) string {
	if n, ok := l.anchorNotes[a]; ok {
		return n
	}
	n := ancestryNote(a)
	l.anchorNotes[a] = n
	return n
}

func ancestryNote(a *parser.Process) string {
	if a.Parent != nil {
		return fmt.Sprintf("ancestry: %s spawned by %s pid %d", label(a), a.Parent.Name(), a.Parent.Key.PID)
	}
	return fmt.Sprintf("ancestry: %s and its descendants", label(a))
}

func userOf(id parser.ID, p *parser.Process) string {
	if p != nil && p.User != "" && p.UID == id {
		return p.User
	}
	return id.String()
}

func hostOr(h string) string {
	if h == "" {
		return "the host"
	}
	return h
}
