package report

import (
	"strconv"
	"strings"
)

// The text report's first screen: what happened, what to clean up, the
// key IOCs (summary.go makes them; this file only lays them out).

// textWidth is the width summary paragraphs are wrapped to.
const textWidth = 100

func (t *textRenderer) summarySection() {
	s := t.d.Summary
	if s == nil {
		return
	}
	t.heading("What happened")
	if len(s.Chains) == 0 {
		t.printf("  No chain of high or critical severity.\n")
	}
	for _, st := range s.Chains {
		t.wrapped("  ", "    ", t.paint(sgrBold, st.ChainID+" ["+st.Severity+"]")+" "+sanitize(st.Headline))
		for _, x := range st.Sentences {
			lead := "    " + fmtClock(x) + "  "
			t.wrapped(lead, strings.Repeat(" ", len(lead)), sanitize(x.Text)+" "+idList(x.FindingIDs, 5))
		}
	}
	if len(s.Folded) > 0 {
		t.printf("  Lower-severity chains, one line each (their detail is below):\n")
		for _, st := range s.Folded {
			t.wrapped("    - ", "      ", st.ChainID+" ["+st.Severity+"] "+sanitize(st.Headline))
		}
	}

	t.heading("What to clean up")
	if len(s.Cleanup) == 0 {
		t.printf("  Nothing the findings show being left behind.\n")
	}
	for _, g := range cleanGroups(s.Cleanup) {
		t.wrapped("  "+t.paint(sgrBold, g.Label)+" ", "      ", sanitize(strings.Join(g.What, ", ")))
	}
	if len(s.Cleanup) > 0 {
		t.printf("  With its evidence:\n")
	}
	for _, c := range s.Cleanup {
		lead := "  " + padRight(c.Kind, 12) + " "
		t.wrapped(lead, strings.Repeat(" ", len(lead)+2), sanitize(c.What)+" — "+sanitize(c.Detail)+" "+idList(c.FindingIDs, 4))
	}
	if len(s.KeyIOCs) > 0 {
		t.heading("Key IOCs")
		for _, k := range s.KeyIOCs {
			lead := "  " + padRight(k.Type, 8) + " "
			t.wrapped(lead, strings.Repeat(" ", len(lead)+2), sanitize(k.Value)+" — "+sanitize(k.Note))
		}
	}
	t.printf("\n")
	t.wrapped("  Score: ", "         ", s.Score+".")
}

func fmtClock(x DocSentence) string {
	if x.Time.IsZero() {
		return "--:--:--"
	}
	return clock(x.Time)
}

// idList is "[F0001 F0002 +3]": the findings a sentence rests on.
func idList(ids []string, n int) string {
	if len(ids) == 0 {
		return ""
	}
	if len(ids) <= n {
		return "[" + strings.Join(ids, " ") + "]"
	}
	return "[" + strings.Join(ids[:n], " ") + " +" + strconv.Itoa(len(ids)-n) + "]"
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// wrapped prints s (already sanitized) wrapped at textWidth, the first line
// after lead, the others after indent. Words longer than a line (a path, a
// command) are kept whole.
func (t *textRenderer) wrapped(lead, indent, s string) {
	line, width := lead, len([]rune(lead))
	first := true
	for _, w := range strings.Fields(s) {
		n := len([]rune(w))
		if width+n+1 > textWidth && width > len([]rune(indent)) && !(first && width == len([]rune(lead))) {
			t.printf("%s\n", strings.TrimRight(line, " "))
			line, width = indent, len([]rune(indent))
		}
		if width > len([]rune(indent)) && !(first && width == len([]rune(lead))) {
			line += " "
			width++
		}
		line += w
		width += n
		first = false
	}
	t.printf("%s\n", strings.TrimRight(line, " "))
}

// scoreParts is " (400 critical + …)" for a chain the summary tells.
func (t *textRenderer) scoreParts(id string) string {
	if t.d.Summary == nil {
		return ""
	}
	for _, st := range t.d.Summary.Chains {
		if st.ChainID == id && st.ScoreParts != "" {
			return " (" + st.ScoreParts + ")"
		}
	}
	return ""
}

// whySuspicious is the rule's description, its first sentence, or the
// title when the rule has none.
func whySuspicious(f *DocFinding) string {
	d := f.Description
	if d == "" {
		return f.Title
	}
	if i := strings.Index(d, ". "); i > 0 {
		d = d[:i+1]
	}
	return ellipsize(d, 240)
}

// stageWhy words the placement reason: why the finding sits in its stage.
func stageWhy(f *DocFinding) string {
	name := "no stage"
	if f.StageID != "" {
		name = strconv.Itoa(f.Stage) + " " + f.StageID
	}
	switch r := f.Reason; {
	case r == "stage fixed by the rule":
		return name + ", set by the rule itself whatever the context"
	case strings.HasPrefix(r, "rule default"):
		return name + ", the rule's own stage: nothing around the act (web server, reverse shell, scheduled job) moved it"
	default:
		return name + ": " + r
	}
}

// ancestorLabel is "name[pid]", or says the name is unknown because the
// process started before the log.
func ancestorLabel(a DocAncestor) string {
	if (a.Exe == "" || a.Exe == "?") && a.PID == 1 {
		return "pid 1 (init, not in the logs)"
	}
	if a.Exe == "" || a.Exe == "?" {
		return "pid " + strconv.Itoa(a.PID) + " (inferred: only seen as a parent pid, name unknown)"
	}
	return procLabel(baseName(a.Exe), a.PID) + inferredMark(a.Inferred, a.Reason)
}

// placeholderNote says what is known of a process seen only as a parent,
// whose program name may have been inferred from its forks (parser's
// inferMasterImage).
func placeholderNote(name string, children int) string {
	s := "its exec came before the log began, so its name and command are unknown"
	if name != "" && name != "?" {
		s = "its exec came before the log began: its program is inferred from its forks, which run it without an exec of their own; its command line is unknown"
	}
	if children > 0 {
		s += "; known as the parent of " + plural(children, "process")
	}
	return s
}

// nodeLabel is procLabel for a tree node; a process whose name is unknown
// (seen only as a parent) is "pid N" rather than "?[N]".
func nodeLabel(name string, pid int) string {
	if name == "" || name == "?" {
		return "pid " + strconv.Itoa(pid)
	}
	return procLabel(name, pid)
}
