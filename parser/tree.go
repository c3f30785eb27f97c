package parser

import "github.com/auditchain/auditchain/parser/internal/proctree"

// The process tree and its disk spill live in parser/internal/proctree;
// these aliases keep parser's API as it was. Documentation is on the
// originals.

type (
	Tree       = proctree.Tree
	SpillStats = proctree.SpillStats
)

// Bounds of the tree; see proctree.
const (
	DefaultSpillLimit = proctree.DefaultSpillLimit
	DefaultMaxHosts   = proctree.DefaultMaxHosts
	MaxAncestry       = proctree.MaxAncestry
)

// Named bounds of the tree's process identity rules; see proctree.
const (
	BootGap    = proctree.BootGap
	BootSettle = proctree.BootSettle
	ReexecGap  = proctree.ReexecGap
)

// NewTree returns an empty Tree.
func NewTree() *Tree { return proctree.NewTree() }

// SortProcesses orders processes by host, first seen, pid: a total order for
// deterministic output.
func SortProcesses(ps []*Process) { proctree.SortProcesses(ps) }

// Descendants returns every process below p, depth first, children in order.
// The walk keeps its own stack: the depth of a tree is attacker-controlled.
func Descendants(p *Process) []*Process { return proctree.Descendants(p) }
