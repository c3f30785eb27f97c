package report

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestGraph: the chain's process graph draws the attack path from the
// server down to every process with a finding, attaches each request to the
// process it caused with its link's status, and keeps routine processes off
// the path as plain nodes.
func TestGraph(t *testing.T) {
	d := NewDocument(attackCase(fixtureOptions{links: true}), goldenOptions())
	g := newGraph(&d.Chains[0], goldenOptions())
	class := map[string]string{}
	for _, n := range g.Nodes {
		class[n.PID] = n.Class
	}
	for pid, want := range map[string]string{
		"900":  "g-node path ctx", // the php-fpm master: an ancestor, not in the chain
		"901":  "g-node path sus", // the worker that wrote shell.php
		"1210": "g-node path sus",
		"1211": "g-node path sus",
		"1201": "g-node off", // id under sh -c id: no finding of its own
		"1250": "g-node off", // the sleep loop
	} {
		if class[pid] != want {
			t.Errorf("node %s has class %q, want %q", pid, class[pid], want)
		}
	}
	var status []string
	for _, r := range g.Reqs {
		status = append(status, r.Status)
	}
	if got := strings.Join(status, " "); got != "inferred observed ambiguous" {
		t.Errorf("request statuses %q, want inferred observed ambiguous", got)
	}
	if amb := g.Reqs[2]; !strings.Contains(amb.Text, "one of 2 requests") || !strings.Contains(amb.Tip, "POST /uploads/shell.php") {
		t.Errorf("the ambiguous request reads %q (tip %q): it must say it is one of the candidates and list them", amb.Text, amb.Tip)
	}
	// Each request's edge ends at the left of its process's box.
	ends := map[int]bool{}
	for _, n := range g.Nodes {
		ends[n.X] = true
	}
	for _, r := range g.Reqs {
		i := strings.LastIndex(r.Edge, "H")
		x, err := strconv.Atoi(r.Edge[i+1:])
		if err != nil || !ends[x] {
			t.Errorf("request edge %q does not end at a process box", r.Edge)
		}
	}
	if g.Drawn != g.Total || len(g.Cut) != 0 {
		t.Errorf("%d of %d drawn, cut %q: a small tree is drawn whole", g.Drawn, g.Total, g.Cut)
	}
}

// TestGraphBounded: a server with hundreds of routine workers and a long
// attack path stays within graphMaxRows rows, folds the workers into
// "+N more" and says what it left out.
func TestGraphBounded(t *testing.T) {
	ch := &DocChain{}
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	ch.Tree = append(ch.Tree, DocNode{Depth: 0, PID: 1, Name: "nginx", Args: []string{"nginx"}, InChain: true})
	for i := range 300 {
		ch.Tree = append(ch.Tree, DocNode{Depth: 1, PID: 100 + i, Name: "worker", Args: []string{"nginx: worker"}, InChain: true, FirstSeen: t0})
	}
	ch.Tree = append(ch.Tree, DocNode{Depth: 1, PID: 50, Name: "sh", Args: []string{"sh", "-i"}, InChain: true, Suspicious: true, FindingIDs: []string{"F0001"}})
	for i := range 100 {
		ch.Tree = append(ch.Tree, DocNode{Depth: 2, PID: 1000 + i, Name: "curl", Args: []string{"curl", "x"}, InChain: true, Suspicious: true, FindingIDs: []string{"F0002"}})
	}
	ch.Requests = []DocRequest{{Time: t0, Method: "GET", URL: "/x", PID: 1099, LinkBasis: "parameter-in-argv"}}
	g := newGraph(ch, goldenOptions())
	if g.Drawn > graphMaxRows || len(g.Nodes) > graphMaxRows {
		t.Errorf("%d rows drawn, cap %d", len(g.Nodes), graphMaxRows)
	}
	if !strings.Contains(g.Nodes[0].More, "+300 more: worker ×300") {
		t.Errorf("the server's chip reads %q, want the 300 workers folded", g.Nodes[0].More)
	}
	cut := strings.Join(g.Cut, "; ")
	for _, want := range []string{"300 routine processes", "more processes not drawn", "1 request whose process is not drawn"} {
		if !strings.Contains(cut, want) {
			t.Errorf("the cut note %q does not say %q", cut, want)
		}
	}
}

// TestChartIdleGap: a 40-minute pause in a chain of three minutes'
// activity is one marked break of fixed height, not 40 minutes of empty
// chart.
func TestChartIdleGap(t *testing.T) {
	chart := func(idle time.Duration) svgChart {
		d := NewDocument(attackCase(fixtureOptions{idle: idle}), goldenOptions())
		v := newHTMLView(d, goldenOptions())
		return v.Chains[0].SVG
	}
	plain, gapped := chart(0), chart(40*time.Minute)
	if len(plain.Gaps) != 0 {
		t.Errorf("a chain without a pause has breaks %v", plain.Gaps)
	}
	if len(gapped.Gaps) != 1 || gapped.Gaps[0].Label != "40m 30s without activity" {
		t.Fatalf("breaks %+v, want one of 40m 30s", gapped.Gaps)
	}
	if gapped.Height > plain.Height+chartGapH+chartMinStep {
		t.Errorf("the chart grew from %d to %d px for the pause: it is drawn to scale", plain.Height, gapped.Height)
	}
	// The break sits between the markers before and after it.
	g := gapped.Gaps[0].Y
	above, below := 0, 0
	for _, m := range gapped.Marks {
		if m.Y < g {
			above++
		} else {
			below++
		}
	}
	if above == 0 || below == 0 {
		t.Errorf("the break at y=%d has %d markers above and %d below", g, above, below)
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{90 * time.Second, "1m 30s without activity"}, {3*time.Hour + 12*time.Minute, "3h 12m without activity"}, {50 * time.Hour, "2d 2h without activity"}} {
		if got := idleText(tc.d); got != tc.want {
			t.Errorf("idleText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestGraphDeepChain: a fork chain hundreds of levels deep is drawn no
// wider than graphMaxIndent levels, and the graph says so.
func TestGraphDeepChain(t *testing.T) {
	ch := &DocChain{}
	for i := range 500 {
		ch.Tree = append(ch.Tree, DocNode{Depth: i, PID: 10 + i, PPID: 9 + i, Name: "sh", Args: []string{"sh"}, InChain: true,
			Suspicious: i == 499, FindingIDs: []string{"F0001"}[:min(1, i/499)]})
	}
	g := newGraph(ch, goldenOptions())
	if g.Width > graphLaneW+8+graphMaxIndent*graphIndent+400 {
		t.Errorf("the graph is %d px wide for a deep chain", g.Width)
	}
	if len(g.Nodes) != graphMaxRows {
		t.Errorf("%d rows, want the cap %d", len(g.Nodes), graphMaxRows)
	}
	cut := strings.Join(g.Cut, "; ")
	for _, want := range []string{"deeper than 24 levels", "440 more processes not drawn"} {
		if !strings.Contains(cut, want) {
			t.Errorf("the cut note %q does not say %q", cut, want)
		}
	}
	// The process with the finding, at the bottom of the chain, is drawn,
	// hung from the last drawn level by an elided edge.
	last := g.Nodes[len(g.Nodes)-1]
	if last.PID != "509" || !strings.Contains(last.Class, "sus") {
		t.Errorf("the last row is pid %s (%s), want the process with the finding, 509", last.PID, last.Class)
	}
	if e := g.Edges[len(g.Edges)-1]; !strings.Contains(e.Class, "elided") {
		t.Errorf("the edge to it is %q, want an elided edge", e.Class)
	}
}
