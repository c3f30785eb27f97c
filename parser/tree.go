package parser

import (
	"github.com/auditchain/auditchain/parser/internal/event"
	"github.com/auditchain/auditchain/parser/internal/proctree"
)

// The process tree and its disk spill live in parser/internal/proctree;
// these aliases keep parser's API as it was. The methods of Tree are
// documented there (go doc ./parser/internal/proctree Tree).

// Tree holds the process trees of every host seen. It is built by feeding it
// events in input order (Observe) and is not safe for concurrent use.
type Tree = proctree.Tree

// SpillStats counts what a spilling tree moved.
type SpillStats = proctree.SpillStats

// Held counts what keeps a tree's processes in memory (Tree.Held).
type Held = proctree.Held

// HeldBy counts the processes one consumer's pins hold (Held.Sites).
type HeldBy = proctree.HeldBy

// TracePins makes Held say which consumers' pins hold the processes
// (Held.Sites) and how many processes the trees moved out are still
// referenced (Held.MovedAlive), at the cost of a map entry per pinned
// process and a weak pointer per process moved; for profiles only (scan
// --memprofile --pinsites). Call it before the first event is read.
func TracePins() { event.TracePins() }

// DefaultSpillLimit is the number of processes a spilling tree keeps in
// memory before it moves cold subtrees out: about 80 MB.
const DefaultSpillLimit = proctree.DefaultSpillLimit

// DefaultMaxHosts bounds the distinct host names the tree lists
// (Tree.Hosts). Each record's node= name is the attacker's to choose; with
// processes spilled to disk the list would otherwise be the one thing that
// grows with every new name. A million is far past any real fleet.
const DefaultMaxHosts = proctree.DefaultMaxHosts

// MaxAncestry bounds the ancestry walks that consumers make per process
// (Ancestors, the cycle check of a late link): the depth of a chain is
// attacker-controlled, and past this many levels a chain is reported
// truncated. Root walks the whole chain, once per caller.
const MaxAncestry = proctree.MaxAncestry

// Named bounds of the identity rules.
const (
	// BootGap is the silence before a DAEMON_START (with no earlier one to
	// compare) that makes it a new boot rather than an auditd restart.
	BootGap = proctree.BootGap
	// BootSettle is how long after a boot boundary further signals (the
	// DAEMON_START and SYSTEM_BOOT of the same boot) are taken as the same.
	BootSettle = proctree.BootSettle
	// ReexecGap is the silence after which a re-exec needs no other sign
	// against it to be taken for a new process that got the pid.
	ReexecGap = proctree.ReexecGap
)

// NewTree returns an empty Tree.
func NewTree() *Tree { return proctree.NewTree() }

// SortProcesses orders processes by host, first seen, pid: a total order for
// deterministic output.
func SortProcesses(ps []*Process) { proctree.SortProcesses(ps) }

// Descendants returns every process below p, depth first, children in order.
// The walk keeps its own stack: the depth of a tree is attacker-controlled.
func Descendants(p *Process) []*Process { return proctree.Descendants(p) }

// UnionTrees returns one tree over the trees of host partitions read apart
// (one tree per host, each fed its host's events): it answers as the tree
// of their events read one partition after another would. The parts must
// not be fed further; closing the union closes them.
func UnionTrees(parts []*Tree) *Tree { return proctree.Union(parts) }
