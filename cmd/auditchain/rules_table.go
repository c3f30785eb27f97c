package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/report"
)

// rulesWidth is the width `auditchain rules` keeps to without --wide: a
// terminal of 100 columns, or a review tool's diff pane.
const rulesWidth = 100

// maxIDWidth caps the id column; SigmaHQ ids are 36-character UUIDs.
const maxIDWidth = 36

func disabledSet(ids []string) map[string]bool {
	off := map[string]bool{}
	for _, id := range ids {
		off[id] = true
	}
	return off
}

// ruleStatus is a rule's status column: runs, disabled (by the user) or
// skipped (cannot be loaded or run; the reason is listed below the table).
func ruleStatus(r *detect.Rule, off map[string]bool) string {
	switch {
	case !r.Runnable:
		return "skipped"
	case off[r.ID]:
		return "disabled"
	}
	return "runs"
}

// ruleCounts is "N rules: R run, D disabled, S skipped".
func ruleCounts(eng *detect.Engine, off map[string]bool) string {
	var run, dis, skip int
	for _, r := range eng.Rules() {
		switch ruleStatus(r, off) {
		case "runs":
			run++
		case "disabled":
			dis++
		default:
			skip++
		}
	}
	s := fmt.Sprintf("%d rules: %d run", len(eng.Rules()), run)
	if dis > 0 {
		s += fmt.Sprintf(", %d disabled", dis)
	}
	if skip > 0 {
		s += fmt.Sprintf(", %d skipped", skip)
	}
	return s
}

// writeRulesText prints the rules in a table that fits rulesWidth columns:
// the techniques column is left to --wide, long ids are shortened and
// titles wrap within their column.
func writeRulesText(w io.Writer, eng *detect.Engine, disabled []string) error {
	off := disabledSet(disabled)
	fmt.Fprintf(w, "rule set %s, %s\n\n", eng.Version(), ruleCounts(eng, off))
	idW := len("id")
	for _, r := range eng.Rules() {
		idW = max(idW, min(utf8.RuneCountInString(report.SafeText(r.ID)), maxIDWidth))
	}
	const stageW, sevW, statusW, gap = 5, 8, 8, 2
	titleW := rulesWidth - idW - stageW - sevW - statusW - 4*gap
	row := func(id, stage, sev, status, title string) {
		line := fmt.Sprintf("%-*s  %-*s  %-*s  %-*s  %s", idW, id, stageW, stage, sevW, sev, statusW, status, title)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("id", "stage", "severity", "status", "title")
	for _, r := range eng.Rules() {
		stage := "match" // placed by what matched (the stage table)
		switch {
		case r.Tampering:
			stage = "tamp"
		case r.Stage.Valid():
			stage = fmt.Sprint(int(r.Stage))
		}
		sev := r.Level.String()
		if len(sev) > sevW {
			sev = sev[:4] // informational
		}
		title := wrapText(report.SafeText(r.Title), titleW)
		if len(title) == 0 {
			title = []string{""}
		}
		row(ellipsis(report.SafeText(r.ID), idW), stage, sev, ruleStatus(r, off), title[0])
		for _, more := range title[1:] {
			row("", "", "", "", more)
		}
	}
	fmt.Fprintf(w, "\nstage: 1-8 as in the report, match = placed by what matched, tamp = tampering;\n"+
		"--wide adds the ATT&CK techniques and full ids.\n")
	writeRuleProblems(w, eng, rulesWidth)
	return nil
}

// writeRuleProblems lists the skipped rules with why, then the notes on
// rules that run, each wrapped to width (0: not wrapped).
func writeRuleProblems(w io.Writer, eng *detect.Engine, width int) {
	var skipped, notes []detect.Problem
	for _, r := range eng.Rules() {
		if !r.Runnable {
			skipped = append(skipped, r.SkipProblem())
			continue
		}
		notes = append(notes, r.Problems...)
	}
	section := func(title string, ps []detect.Problem) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, p := range ps {
			where := p.File
			if p.Line > 0 {
				where += fmt.Sprintf(":%d", p.Line)
			}
			fmt.Fprintf(w, "  %s\n", report.SafeText(p.RuleID))
			for _, l := range append(wrapText(report.SafeText(where), width-6), wrapText(report.SafeText(p.Msg), width-6)...) {
				fmt.Fprintf(w, "      %s\n", l)
			}
		}
	}
	section(fmt.Sprintf("Skipped: %d rules cannot be loaded or run", len(skipped)), skipped)
	section("Notes", notes)
}

// wrapText splits s into lines of at most width runes at spaces, cutting
// words longer than a line. width <= 0 leaves s whole.
func wrapText(s string, width int) []string {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var out []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		wr := []rune(word)
		for len(wr) > width { // a path or id longer than the column
			if len(cur) > 0 {
				out, cur = append(out, string(cur)), nil
			}
			out, wr = append(out, string(wr[:width])), wr[width:]
		}
		switch {
		case len(cur) == 0:
			cur = wr
		case len(cur)+1+len(wr) <= width:
			cur = append(append(cur, ' '), wr...)
		default:
			out, cur = append(out, string(cur)), wr
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// ellipsis shortens s to n runes, marking the cut.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// reportRuleSet tells the analyst on stderr which rules are skipped and
// why and what the rules note, then how many run, and returns the report's
// account of the rule set: set when the user added rules or any rule is
// skipped. A skipped rule never stops the scan and does not change the
// exit status (DESIGN.md: partly unusable input is reported, not an exit
// status).
func reportRuleSet(e *env, eng *detect.Engine, opts detect.Options, userRules bool) *report.RuleSet {
	off := disabledSet(opts.Disabled)
	for _, p := range eng.Problems() {
		fmt.Fprintf(e.stderr, "auditchain: rule %s\n", report.SafeText(p.String()))
	}
	rs := &report.RuleSet{}
	for _, r := range eng.Rules() {
		switch ruleStatus(r, off) {
		case "runs":
			rs.Run++
		case "skipped":
			p := r.SkipProblem()
			rs.Skipped = append(rs.Skipped, report.SkippedRule{RuleID: r.ID, Title: r.Title, File: p.File, Line: p.Line, Reason: p.Msg})
		}
	}
	if len(rs.Skipped) > 0 {
		fmt.Fprintf(e.stderr, "auditchain: rules: %d run, %d skipped (cannot be loaded or run; listed above and in the report)\n", rs.Run, len(rs.Skipped))
	}
	if !userRules && len(rs.Skipped) == 0 {
		return nil
	}
	return rs
}
