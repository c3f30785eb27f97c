package report

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// svgGraph is a chain's process tree drawn as a graph, laid out here in Go
// and drawn by the template as inline SVG (no script, no assets, so the
// page's CSP holds): one row per process, children indented under their
// parent and joined to it by an edge, the attack path (every process with a
// finding and its ancestors up to the server) highlighted, and in a lane on
// the left the HTTP requests that caused a process, each joined to it by an
// edge drawn as its link was made (observed solid, inferred dashed,
// ambiguous dotted and amber). As in svgChart, coordinates are computed and
// evidence only reaches the SVG as escaped <text> and <title> content.
//
// The graph is bounded: routine siblings off the attack path fold into a
// "+N more" chip on their parent, a process off the path is drawn without
// its children, and past graphMaxRows rows the rest of the attack path is
// cut. Cut says, in words, what was left out; the process list under the
// graph keeps every process of the chain's tree.
type svgGraph struct {
	Width, Height int
	LaneW         int // width of the request lane; 0 when no request is drawn
	Top           int
	Nodes         []graphNode
	Edges         []graphEdge
	Reqs          []graphReq
	Cut           []string
	Drawn, Total  int // processes drawn, processes in the chain's tree
}

type graphNode struct {
	X, Y, W, H int // the box
	TX, TY     int // the label's origin
	PID        string
	Prog, Cmd  string
	Class      string // g-node, plus path, sus, ctx (context, not in the chain), off
	Tip        string
	Badges     []graphBadge
	MoreX      int    // x of the chip text
	More       string // "+N more", the folded children
	MoreTip    string
}

type graphBadge struct {
	X, Y, W int
	ID      string
}

type graphEdge struct {
	D     string // the path's d attribute: moves and lines only
	Class string
}

type graphReq struct {
	X, Y, W, H int
	TX, TY     int
	Text       string
	Status     string // observed, inferred, ambiguous, linked
	SX         int    // x of the status word
	Tip        string
	Edge       string
}

// Graph bounds and geometry, in CSS pixels.
const (
	// graphMaxRows caps the processes drawn; a chain's tree is cut at
	// Options.TreeLimit already, and a graph that tall reads as a list.
	graphMaxRows = 60
	// graphRoutineShown: off-path children drawn per parent; more than
	// graphRoutineShown+1 of them fold into "+N more".
	graphRoutineShown = 2
	// graphMaxIndent: a fork chain deeper than this is drawn at this
	// indentation, so the graph stays as wide as a screen.
	graphMaxIndent  = 24
	graphRowH       = 26
	graphBoxH       = 20
	graphIndent     = 22
	graphCharW      = 7.3 // 12 px monospace
	graphBadgeCharW = 6.7 // 11 px monospace
	graphLaneW      = 440
	graphTop        = 26
	graphCmdMax     = 52
)

// graphRow is one drawn process with the requests that caused it.
type graphRow struct {
	n      *treeNode
	depth  int
	parent int // row index of the parent, -1 for a root
	path   bool
	folded []*treeNode // children folded into the chip
	below  int         // descendants not drawn under an off-path process
	reqs   []DocRequest
	elided int // levels between the row and its drawn parent (capRows)
}

// capRows keeps graphMaxRows of rows: the roots, then the processes with
// findings, then those a request caused, then the rest of the path, then
// the others, each in tree order. A row whose parent is not kept hangs
// from its nearest kept ancestor, by an edge that says how many levels it
// skips.
func capRows(rows []graphRow, caused map[int]bool) []graphRow {
	rank := func(r graphRow) int {
		switch {
		case r.depth == 0:
			return 0
		case r.n.Suspicious:
			return 1
		case caused[r.n.PID]:
			return 2
		case r.path:
			return 3
		}
		return 4
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(rows[order[a]]) < rank(rows[order[b]]) })
	keep := make([]bool, len(rows))
	for _, i := range order[:graphMaxRows] {
		keep[i] = true
	}
	at := make([]int, len(rows)) // old index → new index
	var out []graphRow
	for i, r := range rows {
		if !keep[i] {
			continue
		}
		p, skipped := r.parent, 0
		for p >= 0 && !keep[p] {
			p, skipped = rows[p].parent, skipped+1
		}
		if p >= 0 {
			p = at[p]
		}
		r.parent, r.elided = p, skipped
		at[i] = len(out)
		out = append(out, r)
	}
	return out
}

func newGraph(ch *DocChain, opts Options) svgGraph {
	g := svgGraph{Top: graphTop, Total: len(ch.Tree)}
	if len(ch.Tree) == 0 {
		return g
	}
	roots := nestTree(ch.Tree)
	// A process a request caused is drawn even off the attack path: the
	// request is part of the story.
	caused := map[int]bool{}
	for _, r := range ch.Requests {
		caused[r.PID] = true
	}
	rows := graphRows(roots, graphRoutineShown, caused)
	if len(rows) > graphMaxRows {
		// Fold every off-path child first; cut the path itself only if
		// that is not enough.
		rows = graphRows(roots, 0, caused)
	}
	cutPath := 0
	if len(rows) > graphMaxRows {
		cutPath = len(rows) - graphMaxRows
		rows = capRows(rows, caused)
	}

	// Attach each request to the drawn process it caused (or, for an
	// upload, the worker that wrote the file): the row of that pid whose
	// first sighting is nearest the request.
	unattached := 0
	for _, r := range ch.Requests {
		best := -1
		var bestD time.Duration
		for i, row := range rows {
			if row.n.PID != r.PID || r.PID == 0 {
				continue
			}
			d := row.n.FirstSeen.Sub(r.Time)
			if d < 0 {
				d = -d
			}
			if best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			unattached++
			continue
		}
		rows[best].reqs = append(rows[best].reqs, r)
	}
	for _, row := range rows {
		if len(row.reqs) > 0 {
			g.LaneW = graphLaneW
			break
		}
	}

	folded, below, flat := 0, 0, 0
	y := g.Top
	rowY := make([]int, len(rows))
	for i, row := range rows {
		rowY[i] = y
		n := row.n
		x := g.LaneW + 8 + min(row.depth, graphMaxIndent)*graphIndent
		if row.depth > graphMaxIndent {
			flat++
		}
		node := graphNode{X: x, Y: y, H: graphBoxH, TX: x + 6, TY: y + 14, PID: strconv.Itoa(n.PID),
			Class: "g-node"}
		node.Prog, node.Cmd = graphLabel(n)
		label := node.PID + " " + node.Prog
		if node.Cmd != "" {
			label += "  " + node.Cmd
		}
		node.W = monoWidth(label, graphCharW) + 12
		switch {
		case n.Suspicious:
			node.Class += " path sus"
		case row.path:
			node.Class += " path"
		default:
			node.Class += " off"
		}
		if !n.InChain {
			node.Class += " ctx"
		}
		node.Tip = graphTip(n, row.below, opts)
		bx := x + node.W + 6
		for k, id := range n.FindingIDs {
			if k == 3 {
				node.MoreX = bx
				node.More = "+" + strconv.Itoa(len(n.FindingIDs)-3) + " findings"
				bx += monoWidth(node.More, graphBadgeCharW) + 10
				break
			}
			w := monoWidth(id, graphBadgeCharW) + 8
			node.Badges = append(node.Badges, graphBadge{X: bx, Y: y + 2, W: w, ID: id})
			bx += w + 4
		}
		if chip, tip, nf := foldChip(row, n.HiddenChildren); chip != "" {
			if node.More != "" {
				node.More += " · "
			} else {
				node.MoreX = bx
			}
			node.More += chip
			node.MoreTip = tip
			folded += nf
			bx += monoWidth(chip, graphBadgeCharW) + 10
		}
		below += row.below
		g.Width = max(g.Width, bx+10)
		if row.parent >= 0 {
			p := g.Nodes[row.parent]
			class := "g-edge"
			if row.path {
				class += " path"
			}
			if row.elided > 0 {
				class += " elided"
				node.Tip += "\n" + plural(row.elided, "level") + " between this process and the one above it not drawn"
			}
			g.Edges = append(g.Edges, graphEdge{Class: class,
				D: "M" + strconv.Itoa(p.X+10) + " " + strconv.Itoa(p.Y+graphBoxH) + " V" + strconv.Itoa(y+graphBoxH/2) + " H" + strconv.Itoa(x)})
		}
		// A process caused by k requests takes k rows, one request each.
		for j, r := range row.reqs {
			g.Reqs = append(g.Reqs, graphRequest(r, y+j*graphRowH, y+graphBoxH/2, x, opts))
		}
		y += max(1, len(row.reqs)) * graphRowH
		g.Nodes = append(g.Nodes, node)
	}
	g.Drawn = len(rows)
	g.Height = y + 6
	g.Width = max(g.Width, g.LaneW+300)

	if folded > 0 {
		g.Cut = append(g.Cut, plural(folded, "routine process")+" off the attack path folded into “+N more” (hover for their commands)")
	}
	if below > 0 {
		g.Cut = append(g.Cut, plural(below, "process")+" under processes off the attack path not drawn")
	}
	if cutPath > 0 {
		g.Cut = append(g.Cut, plural(cutPath, "more process")+" not drawn: the graph stops at "+strconv.Itoa(graphMaxRows)+
			" rows and keeps the processes with findings first; a dotted edge skips the levels between a process and its drawn ancestor")
	}
	if flat > 0 {
		g.Cut = append(g.Cut, plural(flat, "process")+" deeper than "+strconv.Itoa(graphMaxIndent)+" levels drawn at that indentation (hover for pid and ppid)")
	}
	if unattached > 0 {
		g.Cut = append(g.Cut, plural(unattached, "request")+" whose process is not drawn (see the request table)")
	}
	if ch.TreeTruncated {
		g.Cut = append(g.Cut, "the chain's tree itself was cut at "+plural(len(ch.Tree), "process")+" (--max-tree-nodes)")
	}
	return g
}

// graphRows flattens the trees into the rows to draw, depth first. Every
// process on the attack path is a row, and so is every process a request
// caused; of a process's other children the first shown are rows, and the
// rest fold into the parent's chip (all of them when more than shown+1 are
// there: a chip saying "+1 more" takes the room the process would). With
// shown 0, a process off the path is drawn without its children.
func graphRows(roots []*treeNode, shown int, caused map[int]bool) []graphRow {
	var rows []graphRow
	var walk func(n *treeNode, depth, parent int, path bool)
	walk = func(n *treeNode, depth, parent int, path bool) {
		i := len(rows)
		rows = append(rows, graphRow{n: n, depth: depth, parent: parent, path: path})
		if !path && shown == 0 {
			rows[i].below = countBelow(n)
			return
		}
		var off []*treeNode
		kept := map[*treeNode]bool{}
		for _, k := range n.Kids {
			switch {
			case k.Open:
			case caused[k.PID]:
				kept[k] = true
			default:
				off = append(off, k)
			}
		}
		keep := len(off)
		if keep > shown+1 || shown == 0 {
			keep = shown
		}
		for _, k := range off[:keep] {
			kept[k] = true
		}
		rows[i].folded = off[keep:]
		for _, k := range n.Kids {
			if k.Open || kept[k] {
				walk(k, depth+1, i, k.Open)
			}
		}
	}
	for _, r := range roots {
		walk(r, 0, -1, r.Open)
	}
	return rows
}

func countBelow(n *treeNode) int {
	c := 0
	for _, k := range n.Kids {
		c += 1 + countBelow(k)
	}
	return c
}

// foldChip is the "+N more" text of a row, its tooltip (the folded
// processes by name and command) and how many processes it folds.
func foldChip(row graphRow, hidden int) (string, string, int) {
	n := len(row.folded)
	for _, k := range row.folded {
		n += countBelow(k)
	}
	if n == 0 && hidden == 0 {
		return "", "", 0
	}
	var parts []string
	if n > 0 {
		names := map[string]int{}
		var order []string
		for _, k := range row.folded {
			name := k.Name
			if names[name] == 0 {
				order = append(order, name)
			}
			names[name]++
		}
		sort.SliceStable(order, func(i, j int) bool { return names[order[i]] > names[order[j]] })
		var what []string
		for i, name := range order {
			if i == 3 {
				what = append(what, "…")
				break
			}
			if names[name] > 1 {
				name += " ×" + strconv.Itoa(names[name])
			}
			what = append(what, name)
		}
		parts = append(parts, "+"+strconv.Itoa(n)+" more: "+strings.Join(what, ", "))
	}
	if hidden > 0 {
		parts = append(parts, "+"+strconv.Itoa(hidden)+" outside the chain")
	}
	var tip []string
	for i, k := range row.folded {
		if i == 20 {
			tip = append(tip, "… "+strconv.Itoa(len(row.folded)-20)+" more")
			break
		}
		prog, cmd := graphLabel(k)
		t := strconv.Itoa(k.PID) + " " + prog + " " + cmd
		if b := countBelow(k); b > 0 {
			t += " (+" + strconv.Itoa(b) + " below)"
		}
		tip = append(tip, t)
	}
	if hidden > 0 {
		tip = append(tip, plural(hidden, "other child")+" not part of the chain (a server's other workers)")
	}
	return strings.Join(parts, " · "), strings.Join(tip, "\n"), n
}

// graphLabel is a node's program and short command.
func graphLabel(n *treeNode) (string, string) {
	if n.Placeholder || n.Name == "" || n.Name == "?" {
		return "(started before the log)", ""
	}
	return n.Name, ellipsize(shellJoin(n.Args), graphCmdMax)
}

func graphTip(n *treeNode, below int, opts Options) string {
	var b strings.Builder
	b.WriteString("pid " + strconv.Itoa(n.PID) + " ppid " + strconv.Itoa(n.PPID))
	if n.User != "" {
		b.WriteString(" · " + n.User)
	}
	if !n.FirstSeen.IsZero() {
		b.WriteString(" · first seen " + fmtTime(n.FirstSeen, opts.tz()))
	}
	if n.Exe != "" {
		b.WriteString("\n" + n.Exe)
	}
	if len(n.Args) > 0 {
		b.WriteString("\n" + shorten(shellJoin(n.Args), 400))
	}
	if n.Placeholder {
		b.WriteString("\n" + placeholderNote(n.Name, len(n.Kids)))
	}
	if len(n.FindingIDs) > 0 {
		b.WriteString("\nfindings: " + strings.Join(n.FindingIDs, " "))
	}
	if !n.InChain {
		b.WriteString("\ncontext: an ancestor of the chain's processes, not part of it")
	}
	if below > 0 {
		b.WriteString("\n" + plural(below, "process") + " below, not drawn (see the list)")
	}
	return b.String()
}

// requestStatus is how a request was tied to the process: observed,
// inferred or ambiguous; "linked" for a link that does not say.
func requestStatus(r DocRequest) string {
	switch {
	case r.LinkBasis == "ambiguous":
		return "ambiguous"
	case r.Inferred:
		return "inferred"
	case r.LinkBasis != "":
		return "observed"
	}
	return "linked"
}

// graphRequest lays out one request box at row y, with its edge to the
// process box at (nx, ny).
func graphRequest(r DocRequest, y, ny, nx int, opts Options) graphReq {
	status := requestStatus(r)
	q := graphReq{X: 6, Y: y, W: graphLaneW - 28, H: graphBoxH, TX: 12, TY: y + 14, Status: status}
	// The status word sits inside the box's right end; the text stops
	// before it, at fit characters.
	fit := max(8, int(float64(q.W-12-monoWidth(status, graphBadgeCharW)-8)/graphCharW))
	tz := opts.tz()
	var tip strings.Builder
	if status == "ambiguous" {
		q.Text = "? one of " + plural(len(r.Candidates), "request")
		tip.WriteString("ambiguous: " + plural(len(r.Candidates), "candidate request") + " fit equally")
		for _, c := range r.Candidates {
			tip.WriteString("\n" + fmtTime(c.Time, tz) + " " + c.Method + " " + shorten(c.URL, 200) + " → " + strconv.Itoa(c.Status) + " from " + c.Client)
		}
	} else {
		head := r.Time.In(tz).Format("15:04:05") + " " + r.Method + " "
		q.Text = head + shortURL(r.URL, fit-len([]rune(head)))
		tip.WriteString(fmtTime(r.Time, tz) + " " + r.Method + " " + shorten(r.URL, 300) + " → " + strconv.Itoa(r.Status) + " from " + r.Client)
	}
	if r.File != "" {
		tip.WriteString("\nwrote " + r.File)
	}
	tip.WriteString("\n" + requestLinkNote(r))
	if r.Confidence != "" {
		tip.WriteString(" (confidence " + r.Confidence + ")")
	}
	q.Tip = tip.String()
	q.Text = ellipsize(q.Text, fit)
	q.SX = q.X + q.W - 6
	x0, mid := q.X+q.W, graphLaneW-10
	q.Edge = "M" + strconv.Itoa(x0) + " " + strconv.Itoa(y+graphBoxH/2) + " H" + strconv.Itoa(mid) +
		" V" + strconv.Itoa(ny) + " H" + strconv.Itoa(nx)
	return q
}

// monoWidth estimates the width of s in a monospace font of the given
// advance: the layout is done without a browser, and monospace makes the
// estimate exact enough to keep boxes around their text.
func monoWidth(s string, adv float64) int {
	return int(float64(len([]rune(s)))*adv + 0.5)
}

// shortURL keeps what tells requests to a web shell apart, the last path
// segment and the query, and elides the directories before them.
func shortURL(u string, n int) string {
	if len([]rune(u)) <= n {
		return u
	}
	path, query, _ := strings.Cut(u, "?")
	if i := strings.LastIndexByte(path, '/'); i > 0 && n > 0 {
		tail := "…" + path[i:]
		if query != "" {
			tail += "?" + query
		}
		return tail
	}
	return u
}
