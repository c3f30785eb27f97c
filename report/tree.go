package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/auditchain/auditchain/parser"
)

// TreeSchema is the schema id of the process-tree JSON.
const TreeSchema = "auditchain.tree/v1"

// TreeOptions select which processes a tree shows and how.
type TreeOptions struct {
	PID       int    // the tree around every process that had this pid; 0 for all
	Host      string // only this host
	Container string // only processes of the container with this id prefix or name
	Since     time.Time
	Until     time.Time
	TZ        *time.Location // text only; JSON is UTC
	// Marked processes are drawn with a marker and the reason (scan's
	// suspicious nodes).
	Marked map[*parser.Process]string
}

// TreeNode is one process in a selected tree.
type TreeNode struct {
	Proc     *parser.Process
	Focus    bool // the process asked for with --pid
	Children []*TreeNode
	// Depth is the node's depth in the whole tree (0 for a root). A tree
	// deeper than MaxDrawDepth is drawn in pieces: the children of a node
	// at that depth are roots of their own further down the forest, with
	// Continued set, and the node says how many processes continue there.
	Depth     int
	Continued bool
	Below     int // processes that continue in a piece further down
}

// MaxDrawDepth is how deep one drawn tree goes before its subtrees are
// drawn as trees of their own: a fork chain is as deep as an attacker
// likes, and a nested JSON document or an indented line that deep helps
// nobody (and a JSON reader may refuse it).
const MaxDrawDepth = 64

// SelectTree returns the forest to draw: with PID, each process that had it
// with its ancestry and descendants; otherwise every process passing the
// filters, with the ancestors that connect it to its root. Every walk is
// iterative and visits a process once, however deep the trees.
func SelectTree(t *parser.Tree, o TreeOptions) []*TreeNode {
	include := map[*parser.Process]bool{}
	focus := map[*parser.Process]bool{}
	keep := func(p *parser.Process) {
		// up to the first process already kept: its ancestors are
		for a := p; a != nil && !include[a]; a = a.Parent {
			include[a] = true
		}
	}
	if o.PID > 0 {
		for _, p := range t.ByPID(o.Host, o.PID) {
			if !passes(t, p, o) {
				continue
			}
			focus[p] = true
			keep(p)
			for _, d := range t.Descendants(p) {
				include[d] = true
			}
		}
	} else {
		for _, p := range t.Processes() {
			if passes(t, p, o) {
				keep(p)
			}
		}
	}
	var out []*TreeNode
	for _, r := range roots(t, o, focus) {
		if include[r] {
			out = append(out, buildTree(r, include, focus)...)
		}
	}
	return out
}

// buildTree builds the drawn tree of root and, after it, the pieces of it
// deeper than MaxDrawDepth, each a root of its own.
func buildTree(root *parser.Process, include, focus map[*parser.Process]bool) []*TreeNode {
	type item struct {
		n     *TreeNode
		depth int // in the drawn piece
	}
	top := &TreeNode{Proc: root, Focus: focus[root]}
	out := []*TreeNode{top}
	cutFrom := map[*TreeNode]*TreeNode{} // a piece's root → the node it hangs from
	stack := []item{{top, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		kids := append([]*parser.Process(nil), it.n.Proc.Children...)
		parser.SortProcesses(kids)
		for _, c := range kids {
			if !include[c] {
				continue
			}
			cn := &TreeNode{Proc: c, Focus: focus[c], Depth: it.n.Depth + 1}
			if it.depth+1 >= MaxDrawDepth {
				cn.Continued = true
				cutFrom[cn] = it.n
				out = append(out, cn)
				stack = append(stack, item{cn, 0})
				continue
			}
			it.n.Children = append(it.n.Children, cn)
			stack = append(stack, item{cn, it.depth + 1})
		}
	}
	// A piece comes after the piece it hangs from, so from the last one
	// back every piece's own cuts are counted before its size is.
	for i := len(out) - 1; i >= 1; i-- {
		cutFrom[out[i]].Below += pieceSize(out[i])
	}
	return out
}

// pieceSize counts the processes of a drawn piece and of the pieces that
// continue it.
func pieceSize(n *TreeNode) int {
	total := 0
	stack := []*TreeNode{n}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		total += 1 + q.Below
		stack = append(stack, q.Children...)
	}
	return total
}

// roots returns the roots to draw from: with PID, those of the processes
// asked for, which leaves the rest of a spilled tree on disk.
func roots(t *parser.Tree, o TreeOptions, focus map[*parser.Process]bool) []*parser.Process {
	if o.PID == 0 {
		return t.Roots()
	}
	seen := map[*parser.Process]bool{}
	var out []*parser.Process
	for p := range focus {
		if r, _ := t.Root(p); !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	parser.SortProcesses(out)
	return out
}

func passes(t *parser.Tree, p *parser.Process, o TreeOptions) bool {
	if o.Host != "" && p.Key.Host != o.Host {
		return false
	}
	if !o.Since.IsZero() && p.LastSeen.Before(o.Since) {
		return false
	}
	if !o.Until.IsZero() && p.FirstSeen.After(o.Until) {
		return false
	}
	if o.Container != "" {
		c := t.ContainerOf(p)
		if c.ID == "" || !(strings.HasPrefix(c.ID, o.Container) || c.Name == o.Container) {
			return false
		}
	}
	return true
}

// WriteTreeText draws the forest: one line per process with time, pid,
// user, exe and argv (quoted safely), container; a process that exec'd more
// than once lists its earlier images below it.
func WriteTreeText(w io.Writer, t *parser.Tree, forest []*TreeNode, o TreeOptions) error {
	tz := o.TZ
	if tz == nil {
		tz = time.UTC
	}
	bw := &errWriter{w: w}
	// A zone other than UTC writes "-05:00" where UTC writes "Z", and a
	// zone at offset 0 writes either by season: the column is as wide as
	// the longer form, so the PID column never moves.
	tw := len(timeLayout) - len("Z07:00") + len("Z")
	if tz != time.UTC {
		tw = len(timeLayout) - len("Z07:00") + len("-07:00")
	}
	fmt.Fprintf(bw, "%-*s %7s  %-10s %s\n", tw, "FIRST SEEN", "PID", "USER", "PROCESS")
	// The walk keeps its own stack: no recursion on the depth of a tree.
	type item struct {
		n            *TreeNode
		prefix       string
		last, isRoot bool
	}
	var stack []item
	for i := len(forest) - 1; i >= 0; i-- {
		stack = append(stack, item{forest[i], "", true, true})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, p := it.n, it.n.Proc
		branch, childPrefix := "", it.prefix
		if !it.isRoot {
			if it.last {
				branch, childPrefix = it.prefix+"└─ ", it.prefix+"   "
			} else {
				branch, childPrefix = it.prefix+"├─ ", it.prefix+"│  "
			}
		}
		// Deep chains stay readable: past a depth, the indentation is
		// folded into a depth count instead of running off the screen.
		if w := utf8.RuneCountInString(branch); w > 60 {
			depth := w / 3
			branch = fmt.Sprintf("┄[%d]─ ", depth)
			childPrefix = fmt.Sprintf("┄[%d]  ", depth)
		}
		if n.Continued {
			fmt.Fprintf(bw, "%-*s %7s  %-10s ┄ continued: %d levels below its root, a child of pid %d\n", tw, "", "", "", n.Depth, p.Parent.Key.PID)
		}
		fmt.Fprintf(bw, "%-*s %7d  %-10s %s%s\n", tw, fmtTime(p.FirstSeen, tz), p.Key.PID,
			clip(sanitize(userOf(p)), 10), branch, describe(t, p, n.Focus, o.Marked[p]))
		if len(p.Execs) > 1 {
			for _, x := range p.Execs[:len(p.Execs)-1] {
				what := "(earlier image)"
				if x.Inherited {
					what = "(forked as)"
				}
				fmt.Fprintf(bw, "%-*s %7s  %-10s %s   %s %s\n", tw, fmtTime(x.Time, tz), "", "", childPrefix, what, commandText(x.Exe, x.Args))
			}
		}
		if n.Below > 0 {
			fmt.Fprintf(bw, "%-*s %7s  %-10s %s┄ %d processes below, deeper than %d levels: drawn as trees of their own further down\n", tw, "", "", "", childPrefix, n.Below, MaxDrawDepth)
		}
		for i := len(n.Children) - 1; i >= 0; i-- {
			stack = append(stack, item{n.Children[i], childPrefix, i == len(n.Children)-1, false})
		}
	}
	return bw.err
}

func describe(t *parser.Tree, p *parser.Process, focus bool, mark string) string {
	var b strings.Builder
	if inf, why := inferredProcess(p); inf && (p.ParentInferred() || p.ImageInferred) {
		b.WriteString(commandText(p.Exe, p.Args))
		b.WriteString(sanitize(inferredMark(inf, why)))
	} else if p.Placeholder {
		b.WriteString(sanitize(p.Name()))
		b.WriteString(" (seen only as a parent)")
	} else {
		b.WriteString(commandText(p.Exe, p.Args))
	}
	if c := t.ContainerOf(p); c.ID != "" || c.Name != "" {
		b.WriteString("  [container ")
		b.WriteString(sanitize(shortID(c.ID)))
		if c.Name != "" {
			b.WriteString(" " + sanitize(c.Name))
		}
		b.WriteString("]")
	}
	for _, a := range p.Peers {
		b.WriteString("  → " + sanitize(a.String()))
	}
	if p.Reparented {
		b.WriteString("  (re-parented)")
	}
	if focus {
		b.WriteString("  ◀")
	}
	if mark != "" {
		b.WriteString("  ◆ " + sanitize(mark))
	}
	return b.String()
}

// commandText shows the exe and, when argv[0] does not already name it, the
// argv; each argument is quoted when it needs to be.
func commandText(exe string, args []string) string {
	if len(args) == 0 {
		if exe == "" {
			return "?"
		}
		return QuoteArg(exe)
	}
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = QuoteArg(a)
	}
	cmd := strings.Join(q, " ")
	if exe == "" || args[0] == exe {
		return cmd
	}
	return QuoteArg(exe) + "  " + cmd
}

// QuoteArg returns an argument as is when it is plain, else double-quoted
// with quotes and backslashes escaped and everything else that a terminal
// could interpret escaped by sanitize: argv is attacker-controlled.
func QuoteArg(s string) string {
	if s != "" && isClean(s) && !strings.ContainsAny(s, " \"'\\$`") {
		return s
	}
	return `"` + sanitize(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)) + `"`
}

func userOf(p *parser.Process) string {
	switch {
	case p.User != "":
		return p.User
	case p.UID.Set:
		return strconv.FormatUint(uint64(p.UID.N), 10)
	}
	return "?"
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// ---- JSON (auditchain.tree/v1) ----

// TreeDocument is the JSON form of process trees.
type TreeDocument struct {
	Schema    string        `json:"schema"`
	Hosts     []string      `json:"hosts"`
	Processes []TreeProcess `json:"processes"`
}

// TreeProcess is one process with its children nested.
type TreeProcess struct {
	Host        string   `json:"host"`
	PID         int      `json:"pid"`
	PPID        int      `json:"ppid"`
	Start       string   `json:"start"`
	FirstSeen   string   `json:"first_seen"`
	LastSeen    string   `json:"last_seen"`
	Exe         string   `json:"exe,omitempty"`
	Comm        string   `json:"comm,omitempty"`
	Args        []string `json:"args,omitempty"`
	ArgsHex     []string `json:"args_hex,omitempty"`
	Cwd         string   `json:"cwd,omitempty"`
	User        string   `json:"user,omitempty"`
	UID         *uint32  `json:"uid,omitempty"`
	AUID        uint32   `json:"auid"`
	SES         uint32   `json:"ses"`
	TTY         string   `json:"tty,omitempty"`
	ContainerID string   `json:"container_id,omitempty"`
	Container   string   `json:"container_name,omitempty"`
	Placeholder bool     `json:"placeholder,omitempty"`
	Inferred    bool     `json:"inferred"`         // not read from its own records
	Reason      string   `json:"reason,omitempty"` // why it is inferred
	Reparented  bool     `json:"reparented,omitempty"`
	Exited      bool     `json:"exited,omitempty"`
	Focus       bool     `json:"focus,omitempty"`
	// Continued: the process is drawn as a root because its tree is deeper
	// than MaxDrawDepth; Depth is its depth in the whole tree, and ppid
	// names the parent it hangs from. Below counts the processes of its
	// subtree that continue as such roots further down.
	Continued bool          `json:"continued,omitempty"`
	Depth     int           `json:"depth,omitempty"`
	Below     int           `json:"below,omitempty"`
	Connects  []string      `json:"connects,omitempty"`
	Execs     []TreeExec    `json:"execs,omitempty"`
	Children  []TreeProcess `json:"children,omitempty"`
}

// TreeExec is one image a process ran, with where the exec was logged.
type TreeExec struct {
	Time      string   `json:"time"`
	Exe       string   `json:"exe"`
	Args      []string `json:"args"`
	Inherited bool     `json:"inherited,omitempty"`
	ArgsHex   []string `json:"args_hex,omitempty"`
	Cwd       string   `json:"cwd,omitempty"`
	File      string   `json:"file,omitempty"`
	Line      int      `json:"line,omitempty"`
	Serial    uint64   `json:"serial,omitempty"`
}

// WriteTreeJSON writes the forest as an auditchain.tree/v1 document.
func WriteTreeJSON(w io.Writer, t *parser.Tree, forest []*TreeNode) error {
	doc := TreeDocument{Schema: TreeSchema, Hosts: []string{}, Processes: []TreeProcess{}}
	hosts := map[string]bool{}
	// conv recurses at most MaxDrawDepth deep: SelectTree cuts deeper
	// trees into pieces.
	var conv func(n *TreeNode) TreeProcess
	conv = func(n *TreeNode) TreeProcess {
		p := n.Proc
		hosts[p.Key.Host] = true
		args, argsHex := losslessArgs(p.Args)
		tp := TreeProcess{
			Host: p.Key.Host, PID: p.Key.PID, PPID: p.PPID,
			Start: rfc(p.Key.Start), FirstSeen: rfc(p.FirstSeen), LastSeen: rfc(p.LastSeen),
			Exe: valid(p.Exe), Comm: valid(p.Comm), Args: args, ArgsHex: argsHex, Cwd: valid(p.Cwd),
			User: p.User, AUID: p.AUID.Value(), SES: p.SES.Value(), TTY: p.TTY,
			Placeholder: p.Placeholder, Reparented: p.Reparented, Exited: p.Exited, Focus: n.Focus,
			Continued: n.Continued, Below: n.Below,
		}
		tp.Inferred, tp.Reason = inferredProcess(p)
		if n.Continued {
			tp.Depth = n.Depth
		}
		if p.UID.Set {
			u := p.UID.N
			tp.UID = &u
		}
		if c := t.ContainerOf(p); c.ID != "" || c.Name != "" {
			tp.ContainerID, tp.Container = c.ID, c.Name
		}
		for _, x := range p.Execs {
			a, ah := losslessArgs(x.Args)
			tp.Execs = append(tp.Execs, TreeExec{Time: rfc(x.Time), Exe: valid(x.Exe), Args: a, ArgsHex: ah, Inherited: x.Inherited,
				Cwd: valid(x.Cwd), File: x.Pos.File, Line: x.Pos.Line, Serial: x.Serial})
		}
		for _, a := range p.Peers {
			tp.Connects = append(tp.Connects, a.String())
		}
		for _, c := range n.Children {
			tp.Children = append(tp.Children, conv(c))
		}
		return tp
	}
	for _, r := range forest {
		doc.Processes = append(doc.Processes, conv(r))
	}
	for h := range hosts {
		doc.Hosts = append(doc.Hosts, h)
	}
	sort.Strings(doc.Hosts)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
