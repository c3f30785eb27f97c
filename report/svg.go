package report

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// svgChart is the attack-chain view of one chain, laid out here in Go and
// drawn by the template as SVG: the eight stages as columns, time running
// down, one marker per finding in its stage's column. Coordinates are
// computed, never taken from the evidence, so attacker text only ever
// reaches the SVG as escaped <text> and <title> content.
type svgChart struct {
	Width, Height int
	Top           int // y of the first row below the column headers
	AxisX         int // x of the time axis
	Cols          []svgCol
	Ticks         []svgTick
	Marks         []svgMark
	Gaps          []svgGap
}

// svgGap is a compressed idle stretch: a marked break of fixed height in
// place of the empty space its duration would take.
type svgGap struct {
	Y     int // the middle of the break
	Label string
}

type svgCol struct {
	X, W, Center int
	Num          int
	Lines        []svgText // the stage name, wrapped
	VerdictY     int
	ID           string
	Class        string // observed, inferred, not-observed, not-visible
	Verdict      string
}

type svgText struct {
	X, Y int
	Text string
}

type svgTick struct {
	Y     int
	Label string
}

type svgMark struct {
	X, Y, LabelX int
	ID, Severity string
	Label        string // the title, with "×N" for repeated acts
	End          bool   // the label ends at the marker (text-anchor end)
	Tip          string // the tooltip: time, title, summary
	n            int
}

// Chart geometry, in CSS pixels.
const (
	chartAxisW   = 190 // room for the time labels left of the columns
	chartColW    = 128
	chartHeadH   = 58
	chartPad     = 22
	chartMinStep = 18 // minimal vertical gap between two findings
	chartMinBody = 160
	chartGapH    = 40 // the height of a compressed idle stretch
)

// An idle stretch between two findings is compressed into a break when it
// is at least chartGapMin long and at least chartGapShare of the chain's
// span: a chain of a few minutes' activity then hours of quiet then more
// would otherwise be drawn as two clumps at the ends of an empty page.
const (
	chartGapMin   = 2 * time.Minute
	chartGapShare = 0.15
)

type idleBreak struct{ start, end time.Time }

// idleBreaks finds the idle stretches to compress between the findings'
// times, in time order.
func idleBreaks(fs []*DocFinding) []idleBreak {
	times := make([]time.Time, 0, len(fs))
	for _, f := range fs {
		if !f.Time.IsZero() {
			times = append(times, f.Time)
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	if len(times) < 2 {
		return nil
	}
	span := times[len(times)-1].Sub(times[0])
	var out []idleBreak
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if gap >= chartGapMin && float64(gap) >= chartGapShare*float64(span) {
			out = append(out, idleBreak{times[i-1], times[i]})
		}
	}
	return out
}

// idleText says how long a break lasted: "3h 12m idle", "42m 10s idle".
func idleText(d time.Duration) string {
	d = d.Round(time.Second)
	var s string
	switch {
	case d >= 24*time.Hour:
		s = strconv.Itoa(int(d/(24*time.Hour))) + "d " + strconv.Itoa(int(d%(24*time.Hour)/time.Hour)) + "h"
	case d >= time.Hour:
		s = strconv.Itoa(int(d/time.Hour)) + "h " + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m"
	default:
		s = strconv.Itoa(int(d/time.Minute)) + "m " + strconv.Itoa(int(d%time.Minute/time.Second)) + "s"
	}
	return s + " without activity"
}

func newChart(ch *DocChain, fs []*DocFinding, opts Options) svgChart {
	c := svgChart{AxisX: chartAxisW - 8, Top: chartHeadH}
	c.Width = chartAxisW + 8*chartColW + 10
	for i, s := range ch.Stages {
		x := chartAxisW + i*chartColW
		class := "not-observed"
		switch {
		case s.Observed && s.Confidence == "inferred":
			class = "inferred"
		case s.Observed:
			class = "observed"
		case s.Visibility == "not-visible":
			class = "not-visible"
		}
		c.Cols = append(c.Cols, svgCol{
			X: x, W: chartColW, Center: x + chartColW/2, Num: s.Stage, ID: s.StageID,
			Class: class, Verdict: stageVerdict(s),
		})
		for k, l := range wrapWords(s.Name, 17) {
			c.Cols[i].Lines = append(c.Cols[i].Lines, svgText{X: x + chartColW/2, Y: 32 + 13*k, Text: l})
		}
	}

	// y follows time, stretched so that the span fills the body, then
	// pushed down where two findings would overlap; the order in time is
	// kept, and the axis labels name the exact time of the marker beside
	// them, so the stretch never misleads.
	// The axis spans the findings, not the chain: stage 1 drawn from
	// access-log requests alone has no marker, and a chain's earlier
	// first_seen only left the top of the chart empty.
	body := max(chartMinBody, distinctActs(fs)*chartMinStep)
	var first, last time.Time
	for _, f := range fs {
		first = earliest(first, f.Time)
		last = latest(last, f.Time)
	}
	breaks := idleBreaks(fs)
	span := last.Sub(first)
	for _, b := range breaks {
		span -= b.end.Sub(b.start)
	}
	nextBreak := 0
	prevY := -chartMinStep
	lastTick := -100
	perCol := map[int][]int{} // column → y of its markers, to shift neighbours sideways
	// Repeated acts collapse into one labelled marker with a count: within
	// a run of findings of one stage, a title already drawn is counted on
	// its marker instead of drawn again.
	runStage, run := -1, map[string]int{}
	for _, f := range fs {
		if f.Stage != runStage {
			runStage, run = f.Stage, map[string]int{}
		}
		if i, ok := run[f.Title]; ok {
			m := &c.Marks[i]
			m.n++
			m.Label = ellipsize(f.Title, 44) + " ×" + strconv.Itoa(m.n)
			m.Tip += "\n" + f.ID + " " + fmtTime(f.Time, opts.tz()) + " " + f.Summary
			continue
		}
		// Time runs proportionally except across the idle breaks, each
		// drawn chartGapH tall whatever its length.
		active, crossed, idle := f.Time.Sub(first), 0, time.Duration(0)
		for _, b := range breaks {
			if !b.end.After(f.Time) {
				active -= b.end.Sub(b.start)
				crossed++
			}
		}
		y := c.Top + chartPad + crossed*chartGapH
		if span > 0 {
			y += int(float64(body) * float64(active) / float64(span))
		}
		y = max(y, prevY+chartMinStep)
		for ; nextBreak < crossed; nextBreak++ {
			idle += breaks[nextBreak].end.Sub(breaks[nextBreak].start)
		}
		if idle > 0 {
			y = max(y, prevY+chartGapH)
			c.Gaps = append(c.Gaps, svgGap{Y: prevY + (y-prevY)/2, Label: idleText(idle)})
		}
		prevY = y
		col := f.Stage - 1
		if col < 0 || col > 7 {
			continue // tampering and stage-less findings have no column
		}
		x := chartAxisW + col*chartColW + 22
		for _, oy := range perCol[col] {
			if y-oy < chartMinStep && x < chartAxisW+(col+1)*chartColW-40 {
				x += 14
			}
		}
		perCol[col] = append(perCol[col], y)
		run[f.Title] = len(c.Marks)
		labelX, end := x+10, col >= 5 // labels of the right-hand columns run left, inside the chart
		if end {
			labelX = x - 10
		}
		c.Marks = append(c.Marks, svgMark{
			X: x, Y: y, LabelX: labelX, End: end, ID: f.ID, Severity: f.Severity, Label: ellipsize(f.Title, 44), n: 1,
			Tip: f.ID + " " + fmtTime(f.Time, opts.tz()) + " [" + f.Severity + "] " + f.Title + " — " + f.Summary,
		})
		if y-lastTick >= 2*chartMinStep-2 {
			c.Ticks = append(c.Ticks, svgTick{Y: y, Label: fmtTime(f.Time, opts.tz())})
			lastTick = y
		}
	}
	c.Height = max(prevY, c.Top+chartPad+body) + chartPad + 18
	for i := range c.Cols {
		c.Cols[i].VerdictY = c.Height - 8
	}
	return c
}

// wrapWords breaks a stage name into lines of at most n characters.
func wrapWords(s string, n int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= n:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// distinctActs counts the markers newChart draws for fs: repeated titles
// within a run of one stage count once.
func distinctActs(fs []*DocFinding) int {
	n, stage := 0, -1
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Stage != stage {
			stage, seen = f.Stage, map[string]bool{}
		}
		if !seen[f.Title] {
			seen[f.Title] = true
			n++
		}
	}
	return n
}
