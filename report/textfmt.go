package report

import (
	"strconv"
	"strings"
	"time"
)

// This file holds the small formatting helpers the text and HTML writers
// share. Every helper that returns attacker text for the terminal runs it
// through sanitize; the HTML writer uses the unsanitized forms and lets
// html/template escape them.

// timeLayout is the layout of times in text and HTML: RFC 3339 with
// milliseconds, in the zone Options.TZ names.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func fmtTime(t time.Time, tz *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(tz).Format(timeLayout)
}

// shellJoin joins argv the way a shell would need it typed: arguments with
// spaces or quotes are single-quoted, so `sh -c 'id; uname'` stays one
// argument to the eye.
func shellJoin(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = shellQuote(a)
	}
	return strings.Join(parts, " ")
}

func shellQuote(a string) string {
	if a == "" {
		return "''"
	}
	if safeWord(a) {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// procLabel is "name[pid]" for a tree node or ancestor.
func procLabel(name string, pid int) string {
	return name + "[" + strconv.Itoa(pid) + "]"
}

// humanBytes prints a byte count the way ls -h would, exact below 1 KiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}

// stageVerdict says in a word what a stage slot shows.
func stageVerdict(s DocStage) string {
	switch {
	case s.Observed && s.Confidence == "inferred":
		return "inferred"
	case s.Observed:
		return "yes"
	case s.Visibility == "not-visible":
		return "not visible"
	}
	return "no"
}

// findingIndex maps finding ids to their position in d.Findings.
func findingIndex(d *Document) map[string]*DocFinding {
	m := make(map[string]*DocFinding, len(d.Findings))
	for i := range d.Findings {
		m[d.Findings[i].ID] = &d.Findings[i]
	}
	return m
}

// treeNode is a DocNode with its children, rebuilt from the depth-first
// list for drawing.
type treeNode struct {
	DocNode
	Kids []*treeNode
	// Open says whether the node or one below it is suspicious: the HTML
	// tree opens that branch.
	Open bool
}

// nestTree rebuilds the nesting of a depth-first node list: a node's parent
// is the nearest earlier node one level up. Depths that jump (a corrupted
// report) attach to the deepest open node instead of failing.
func nestTree(nodes []DocNode) []*treeNode {
	var roots []*treeNode
	var stack []*treeNode
	for _, n := range nodes {
		t := &treeNode{DocNode: n}
		for len(stack) > 0 && len(stack) > n.Depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, t)
		} else {
			p := stack[len(stack)-1]
			p.Kids = append(p.Kids, t)
		}
		stack = append(stack, t)
	}
	var mark func(t *treeNode) bool
	mark = func(t *treeNode) bool {
		open := t.Suspicious
		for _, k := range t.Kids {
			if mark(k) {
				open = true
			}
		}
		t.Open = open
		return open
	}
	for _, r := range roots {
		mark(r)
	}
	return roots
}

// severityRank orders severity names; unknown names rank lowest.
func severityRank(s string) int {
	switch s {
	case "informational":
		return 0
	case "low":
		return 1
	case "medium":
		return 2
	case "high":
		return 3
	case "critical":
		return 4
	}
	return -1
}

// requestLinkNote says how a request was tied to what it caused:
// "observed: …", "inferred: …" or "ambiguous: 3 candidates …" (the reason
// of an inferred or ambiguous link already starts with its word).
func requestLinkNote(r DocRequest) string {
	why := sanitize(r.Reason)
	switch {
	case r.LinkBasis == "ambiguous" || r.Inferred:
		if !strings.HasPrefix(why, "inferred") && !strings.HasPrefix(why, "ambiguous") {
			why = "inferred: " + why
		}
		return why
	case r.LinkBasis != "":
		return "observed: " + why
	}
	return orDash(r.Confidence) + ": " + why
}
