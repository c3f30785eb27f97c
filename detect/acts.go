package detect

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/auditchain/auditchain/parser"
)

// One finding per act (issue 14): the rules that match one event describe
// one thing the attacker did, so they make one finding that names every
// rule; and a process's repeated file and network events are one act per
// target (file or peer), not one per rule and kind, so a second
// persistence mechanism or a second peer is never folded into the first.

// primaryFirst orders the matches of one event: the strongest severity
// first (tampering with the evidence before all); among equals a rule that fixes its stage (it is about this very
// act: persistence, destruction) before one placed by context; then the
// higher risk score; then rule order (stable).
func primaryFirst(fs []*Finding, rules []*Rule) {
	idx := make(map[*Finding]int, len(fs))
	for i, f := range fs {
		idx[f] = i
	}
	slices.SortStableFunc(fs, func(a, b *Finding) int {
		ra, rb := rules[idx[a]], rules[idx[b]]
		switch {
		case a.Tampering != b.Tampering: // a claim about the evidence itself says most
			if a.Tampering {
				return -1
			}
			return 1
		case a.Severity != b.Severity:
			return int(b.Severity) - int(a.Severity)
		case (a.decoded == "") != (b.decoded == ""): // what the act runs says what it is
			if b.decoded != "" {
				return -1
			}
			return 1
		case ra.FixedStage != rb.FixedStage:
			if ra.FixedStage {
				return -1
			}
			return 1
		}
		return rb.Risk - ra.Risk
	})
}

// mergeAct folds the findings of one event into one: the primary's title,
// severity, stage and reason (the stage of the first other rule that placed
// the act, when the primary placed it on none), every rule id (primary
// first), the union of the techniques and of the related events. fs and
// rules are parallel.
func mergeAct(fs []*Finding, rules []*Rule) *Finding {
	if len(fs) == 0 {
		return nil
	}
	if len(fs) > 1 {
		primaryFirst(fs, rules)
	}
	f := fs[0]
	f.Attack = slices.Clone(f.Attack) // the rule's slice: never append to it
	f.RuleIDs = make([]string, 0, len(fs))
	for _, g := range fs {
		if g.Severity >= SeverityHigh && !g.NeedsCorroboration {
			// another rule sees intent in the same act
			f.NeedsCorroboration, f.Shows = false, ""
		}
		if f.NeedsCorroboration && g.NeedsCorroboration && g.Shows != f.Shows {
			f.Shows = ShowsStaging // two weak kinds: said in the general words
		}
		f.RuleIDs = append(f.RuleIDs, g.RuleID)
		if g != f && g.decoded != "" {
			f.Reason += "; " + g.decoded // what the file's content would be is said, not lost
		}
		if f.FiredHook == "" {
			f.FiredHook = g.FiredHook // what the timeline links the act by
		}
		for _, t := range g.Attack {
			if !slices.Contains(f.Attack, t) {
				f.Attack = append(f.Attack, t)
			}
		}
		for _, r := range g.Related {
			if !slices.Contains(f.Related, r) {
				f.Related = append(f.Related, r)
			}
		}
	}
	if !f.Stage.Valid() {
		// tampering sorts first and is on no stage; the act may still be
		// one of the chain's (a log wipe that is also its cleanup)
		for _, g := range fs[1:] {
			if g.Stage.Valid() {
				f.Stage = g.Stage
				f.Reason += "; stage " + g.Stage.Name() + " from rule " + g.RuleID + ": " + g.Reason
				break
			}
		}
	}
	return f
}

// maxTargetsPerKind bounds the distinct targets one rule reports for one
// process and kind of event: a scanner sweeping a subnet or a wiper
// touching every file is one act of many targets, and the first few are
// the evidence.
const maxTargetsPerKind = 16

// countKey is the seen entry counting a rule's targets for a process and
// kind; no path or address is a NUL.
const countKey = "\x00count"

// actTarget names the target of a file or network event, the unit of one
// act: the path written, read or chmod-ed; the folder of a rename or
// delete (shred renames one file a dozen times in its folder, rm -r
// deletes a tree: one act); the peer's address without the port (a
// scan of one host's ports is one act).
func actTarget(ev *parser.Event) string {
	switch ev.Kind {
	case parser.KindRename, parser.KindUnlink:
		return path.Dir(ev.Path)
	case parser.KindConnect, parser.KindAccept:
		if ev.Peer.IP != "" {
			return ev.Peer.IP
		}
		return ev.Peer.String()
	}
	return ev.Path
}

// firstOnTarget reports whether the match of r on ev is a new act of p:
// the first on its target, and within maxTargetsPerKind targets. File and
// network events repeat (shred renames a file thirteen times, a scanner
// connects a thousand times), and one finding per target is enough
// evidence.
func (e *Engine) firstOnTarget(r *Rule, p *parser.Process, ev *parser.Event) bool {
	return e.firstAct(actTarget(ev), e.seenProc(p), e.seenRule(r)<<8|uint32(ev.Kind))
}

// firstAct is firstOnTarget on the act's target and numbers.
func (e *Engine) firstAct(target string, proc, ruleKind uint32) bool {
	if id, known := e.targets.lookup(target); known {
		if _, dup := e.seen[seenKey{id, proc, ruleKind}]; dup {
			return false
		}
	}
	n := seenKey{0, proc, ruleKind} // countKey
	if e.seen[n] >= maxTargetsPerKind {
		e.targetsCut++ // said in the report (TargetsCut): never a silent cut
		return false
	}
	// the new key's reference to its target, taken before the ring lets
	// an old key of the same target go
	k := seenKey{e.targets.ref(target), proc, ruleKind}
	for _, key := range [...]seenKey{k, n} {
		if _, ok := e.seen[key]; ok {
			continue
		}
		if len(e.seenOrder) < maxSeen {
			e.seenOrder = append(e.seenOrder, key)
			continue
		}
		// full: the oldest key goes, the new one takes its place
		old := e.seenOrder[e.seenHead]
		if _, ok := e.seen[old]; ok {
			delete(e.seen, old)
			e.targets.unref(old.target)
		}
		e.seenOrder[e.seenHead] = key
		e.seenHead = (e.seenHead + 1) % maxSeen
	}
	e.seen[k] = 1
	e.seen[n]++
	return true
}

// actTargets numbers the targets of the act table's keys: each string is
// kept once, as its own copy (a view of the event's record text would keep
// all of it), for as long as a key of the table names it. Number 0 is
// countKey. A number is given again only once no key holds it: the keys
// that hold it are counted (a key is counted when it enters the table and
// let go when the ring deletes it from the table).
type actTargets struct {
	ids   map[string]uint32
	names []string // by number; names[0] is unused
	refs  []int32
	free  []uint32
}

// lookup returns target's number, when a key of the table names it.
func (t *actTargets) lookup(target string) (uint32, bool) {
	if target == countKey {
		return 0, true
	}
	id, ok := t.ids[target]
	return id, ok
}

// ref returns target's number for a new key of the table, counting it.
func (t *actTargets) ref(target string) uint32 {
	if target == countKey {
		return 0
	}
	if id, ok := t.ids[target]; ok {
		t.refs[id]++
		return id
	}
	if t.ids == nil {
		t.ids = map[string]uint32{}
		t.names, t.refs = []string{""}, []int32{0}
	}
	target = strings.Clone(target)
	var id uint32
	if n := len(t.free); n > 0 {
		id, t.free = t.free[n-1], t.free[:n-1]
		t.names[id], t.refs[id] = target, 1
	} else {
		id = uint32(len(t.names))
		t.names, t.refs = append(t.names, target), append(t.refs, 1)
	}
	t.ids[target] = id
	return id
}

// unref lets go of one key's reference to the target numbered id.
func (t *actTargets) unref(id uint32) {
	if id == 0 {
		return
	}
	if t.refs[id]--; t.refs[id] == 0 {
		delete(t.ids, t.names[id])
		t.names[id] = ""
		t.free = append(t.free, id)
	}
}

// seenRule returns r's number in the act table.
func (e *Engine) seenRule(r *Rule) uint32 {
	n, ok := e.seenRules[r]
	if !ok {
		if e.seenRules == nil {
			e.seenRules = map[*Rule]uint32{}
		}
		n = uint32(len(e.seenRules))
		e.seenRules[r] = n
	}
	return n
}

// seenProc returns p's number in the act table: its Seq, or, for a process
// no tree numbered, one of the table's own from the top down (a tree would
// have to number four billion processes to meet them); 0 for none.
func (e *Engine) seenProc(p *parser.Process) uint32 {
	if p == nil || p.Seq != 0 {
		if p == nil {
			return 0
		}
		return p.Seq
	}
	n, ok := e.seenProcs[p]
	if !ok {
		if e.seenProcs == nil {
			e.seenProcs = map[*parser.Process]uint32{}
		}
		n = ^uint32(len(e.seenProcs))
		e.seenProcs[p] = n
	}
	return n
}

// TargetsCut counts the matches not reported as findings because their
// rule had already reported maxTargetsPerKind targets for that process and
// kind of event.
func (e *Engine) TargetsCut() (matches, bound int) { return e.targetsCut, maxTargetsPerKind }

// Dropped says what the engine's bounded memories let go, for the report:
// addresses named by persistence acts (a later callback to them is not
// tied), processes followed for port sweeps, and findings past the bound
// per rule and host (findingbound.go). Nil when nothing was.
func (e *Engine) Dropped() []string {
	var out []string
	if n := e.state.plants.dropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d addresses named by persistence acts were forgotten (at most %d are remembered, oldest first): a later connection to them is not tied to its plant", n, plantedPeers))
	}
	if n := e.state.flagged.dropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d files whose writing was a finding were forgotten (at most %d remembered, oldest first): their later removal is not reported as cleanup", n, maxFlagged))
	}
	if n := e.state.flagged.cmds.dropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d commands the intrusion configured were forgotten (at most %d remembered, oldest first): a shell that runs one later is not tied to it", n, maxPlantedCmds))
	}
	if n := e.state.guess.dropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d client-and-area series of failed web logins stopped being followed (at most %d at once, oldest first): password guessing spread over them may be missed", n, guessKept))
	}
	if n := e.state.changedDropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d accounts the intrusion changed were forgotten (at most %d remembered, oldest first): a later login into them is not reported", n, maxChangedAccounts))
	}
	if n := e.state.fanout.dropped; n > 0 {
		out = append(out, fmt.Sprintf("detection: %d process-and-address pairs stopped being followed for port sweeps (at most %d at once, oldest first): a sweep spread over them may be missed", n, fanoutKept))
	}
	return append(out, e.bound.notes()...)
}
