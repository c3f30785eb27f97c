package report

import (
	"slices"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// tree selects the process tree around a chain and flattens it depth first.
//
// What is kept, in priority order until the node limit: the findings'
// processes and their ancestors (the story), the chain's other processes and
// their ancestors, then whatever the chain's roots spawned (the attacker's
// shell's children, suspicious or not). A web server's other workers are not
// kept; their parent counts them as hidden children instead.
func (b *builder) tree(ch *timeline.Chain) ([]DocNode, bool) {
	limit := b.opts.treeLimit()
	keep := map[*parser.Process]bool{}
	inChain := map[*parser.Process]bool{}
	found := map[*parser.Process][]*detect.Finding{}
	truncated := false
	addWithAncestors := func(p *parser.Process) {
		var path []*parser.Process
		for a, n := p, 0; a != nil && n <= maxAncestors; a, n = a.Parent, n+1 {
			if keep[a] {
				break
			}
			path = append(path, a)
		}
		if len(keep)+len(path) > limit {
			truncated = true
			return
		}
		for _, a := range path {
			keep[a] = true
		}
	}
	for _, f := range ch.Findings {
		if p := actor(f); p != nil {
			found[p] = append(found[p], f)
			inChain[p] = true
			addWithAncestors(p)
		}
	}
	for _, p := range slices.Concat(ch.Roots, ch.Processes) {
		if p != nil {
			inChain[p] = true
			addWithAncestors(p)
		}
	}
	for _, r := range ch.Roots {
		if r == nil || !keep[r] {
			continue
		}
		for _, p := range b.c.Tree.Descendants(r) {
			inChain[p] = true
			if !keep[p] {
				if len(keep) >= limit {
					truncated = true
					break
				}
				keep[p] = true
			}
		}
	}

	var roots []*parser.Process
	for p := range keep {
		if p.Parent == nil || !keep[p.Parent] {
			roots = append(roots, p)
		}
	}
	parser.SortProcesses(roots)
	out := []DocNode{}
	var walk func(p *parser.Process, depth int)
	walk = func(p *parser.Process, depth int) {
		b.c.Tree.LoadChildren(p) // the hidden children are counted
		kids := make([]*parser.Process, 0, len(p.Children))
		for _, c := range p.Children {
			if keep[c] {
				kids = append(kids, c)
			}
		}
		parser.SortProcesses(kids)
		out = append(out, b.node(p, depth, inChain[p], found[p], len(p.Children)-len(kids)))
		for _, c := range kids {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out, truncated
}

func (b *builder) node(p *parser.Process, depth int, inChain bool, fs []*detect.Finding, hidden int) DocNode {
	exe, exeHex := lossless(p.Exe)
	args, argsHex := losslessArgs(p.Args)
	name := valid(p.Name())
	inf, why := inferredProcess(p)
	return DocNode{
		Inferred: inf, Reason: why,
		Depth: depth, PID: p.Key.PID, PPID: p.PPID, Name: name, Exe: exe, ExeHex: exeHex,
		Args: args, ArgsHex: argsHex, User: valid(p.User), UID: p.UID.Value(),
		FirstSeen: utc(p.FirstSeen), LastSeen: utc(p.LastSeen), Exited: p.Exited,
		Placeholder: p.Placeholder, InChain: inChain, Suspicious: len(fs) > 0,
		FindingIDs: b.idsOf(fs), HiddenChildren: hidden,
	}
}

// actor is the acting process of a finding.
func actor(f *detect.Finding) *parser.Process {
	if f == nil {
		return nil
	}
	if f.Process != nil {
		return f.Process
	}
	if f.Event != nil {
		return f.Event.Proc
	}
	return nil
}
