package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/internal/linediff"
)

// DiffResult is what changed between two reports, e.g. last night's scan
// and tonight's.
type DiffResult struct {
	NewFindings  []DocFinding  `json:"new_findings"`  // in the new report only, new report order
	GoneFindings []DocFinding  `json:"gone_findings"` // in the old report only, old report order
	NewChains    []DocChain    `json:"new_chains"`    // chains that share no finding with an old chain
	GoneChains   []DocChain    `json:"gone_chains"`   // old chains that share no finding with a new chain
	NewStages    []StageChange `json:"new_stages"`    // stages a continuing chain reached since
	// Text is the line diff of the two text reports as plain "-"/"+" lines
	// with two lines of context; empty when they are equal.
	Text string `json:"text"`
}

// StageChange is a stage a chain reached in the new report that the
// matching chain of the old report had not.
type StageChange struct {
	ChainID    string `json:"chain_id"` // in the new report
	OldChainID string `json:"old_chain_id"`
	Stage      int    `json:"stage"`
	StageID    string `json:"stage_id"`
}

// Diff compares two reports. Findings are matched by content — rule, time,
// host, process and its argv, stage — never by id, because ids are
// positions and shift when one finding is added. A chain of the new report
// continues the old chain (same host and container) with which it shares
// the most findings; chains that share none are new or gone. Neither
// document is modified.
func Diff(old, new *Document, opts Options) *DiffResult {
	r := &DiffResult{}
	oldKeys := map[string]int{}
	for _, f := range old.Findings {
		oldKeys[findingKey(&f)]++
	}
	newKeys := map[string]int{}
	for _, f := range new.Findings {
		newKeys[findingKey(&f)]++
	}
	// Multisets: the same activity twice in the new report and once in the
	// old is one new finding.
	seen := map[string]int{}
	for _, f := range new.Findings {
		k := findingKey(&f)
		seen[k]++
		if seen[k] > oldKeys[k] {
			r.NewFindings = append(r.NewFindings, f)
		}
	}
	seen = map[string]int{}
	for _, f := range old.Findings {
		k := findingKey(&f)
		seen[k]++
		if seen[k] > newKeys[k] {
			r.GoneFindings = append(r.GoneFindings, f)
		}
	}

	oldSets := chainKeySets(old)
	newSets := chainKeySets(new)
	matched := make([]bool, len(old.Chains))
	for i := range new.Chains {
		nc := &new.Chains[i]
		best, bestN := -1, 0
		for j := range old.Chains {
			oc := &old.Chains[j]
			if matched[j] || oc.Host != nc.Host || oc.ContainerID != nc.ContainerID {
				continue
			}
			n := 0
			for k := range newSets[i] {
				if oldSets[j][k] {
					n++
				}
			}
			if n > bestN {
				best, bestN = j, n
			}
		}
		if best < 0 {
			r.NewChains = append(r.NewChains, *nc)
			continue
		}
		matched[best] = true
		oc := &old.Chains[best]
		for k, s := range nc.Stages {
			if s.Observed && (k >= len(oc.Stages) || !oc.Stages[k].Observed) {
				r.NewStages = append(r.NewStages, StageChange{ChainID: nc.ID, OldChainID: oc.ID, Stage: s.Stage, StageID: s.StageID})
			}
		}
	}
	for j := range old.Chains {
		if !matched[j] {
			r.GoneChains = append(r.GoneChains, old.Chains[j])
		}
	}

	textOpts := Options{TZ: opts.TZ, Verbose: opts.Verbose, TreeLimit: opts.TreeLimit}
	var a, b bytes.Buffer
	// Rendering into a buffer cannot fail.
	_ = writeText(&a, old, textOpts)
	_ = writeText(&b, new, textOpts)
	r.Text = linediff.Diff(a.String(), b.String())
	return r
}

// findingKey is a finding's identity by content.
func findingKey(f *DocFinding) string {
	parts := []string{f.RuleID, f.Time.UTC().Format(time.RFC3339Nano), f.Host, f.StageID}
	if p := f.Process; p != nil {
		parts = append(parts, strconv.Itoa(p.PID), p.Exe, strings.Join(p.Args, "\x00"))
	}
	if len(f.Evidence) > 0 {
		parts = append(parts, f.Evidence[0].Summary)
	}
	return strings.Join(parts, "\x1f")
}

// chainKeySets returns, per chain, the content keys of its findings.
func chainKeySets(d *Document) []map[string]bool {
	byID := findingIndex(d)
	out := make([]map[string]bool, len(d.Chains))
	for i, ch := range d.Chains {
		out[i] = map[string]bool{}
		for _, id := range ch.FindingIDs {
			if f := byID[id]; f != nil {
				out[i][findingKey(f)] = true
			}
		}
	}
	return out
}

// HasNewAtOrAbove reports whether a new finding has severity sev or worse;
// `auditchain diff --fail-on` turns it into the exit status.
func (r *DiffResult) HasNewAtOrAbove(sev detect.Severity) bool {
	for _, f := range r.NewFindings {
		if s, err := detect.ParseSeverity(f.Severity); err == nil && s >= sev {
			return true
		}
	}
	return false
}

// Empty reports whether the two reports show the same findings, chains and
// stages (the text may still differ, e.g. in input hashes).
func (r *DiffResult) Empty() bool {
	return len(r.NewFindings)+len(r.GoneFindings)+len(r.NewChains)+len(r.GoneChains)+len(r.NewStages) == 0
}

// WriteText prints the result for a terminal: the changes in findings,
// chains and stages, then the line diff of the text reports. Evidence text
// and every string of the documents (ids and severities too: a document
// may be hostile) is sanitized as in the text report.
func (r *DiffResult) WriteText(w io.Writer, opts Options) error {
	var b bytes.Buffer
	finding := func(sign string, f *DocFinding) {
		fmt.Fprintf(&b, "  %s %s %s [%s] stage %d %s  %s: %s\n", sign, sanitize(f.ID), fmtTime(f.Time, opts.tz()),
			sanitize(f.Severity), f.Stage, sanitize(f.StageID), sanitize(f.Title), shorten(sanitize(f.Summary), 120))
	}
	fmt.Fprintf(&b, "new findings: %d\n", len(r.NewFindings))
	for i := range r.NewFindings {
		finding("+", &r.NewFindings[i])
	}
	fmt.Fprintf(&b, "gone findings: %d\n", len(r.GoneFindings))
	for i := range r.GoneFindings {
		finding("-", &r.GoneFindings[i])
	}
	chain := func(sign string, c *DocChain) {
		var st []string
		for _, s := range c.Stages {
			if s.Observed {
				st = append(st, strconv.Itoa(s.Stage))
			}
		}
		fmt.Fprintf(&b, "  %s %s host %s [%s] stages %s\n", sign, sanitize(c.ID), sanitize(orDash(c.Host)), sanitize(c.Severity), strings.Join(st, ","))
	}
	fmt.Fprintf(&b, "new chains: %d\n", len(r.NewChains))
	for i := range r.NewChains {
		chain("+", &r.NewChains[i])
	}
	fmt.Fprintf(&b, "gone chains: %d\n", len(r.GoneChains))
	for i := range r.GoneChains {
		chain("-", &r.GoneChains[i])
	}
	fmt.Fprintf(&b, "stages newly reached: %d\n", len(r.NewStages))
	for _, s := range r.NewStages {
		fmt.Fprintf(&b, "  + %s (was %s): stage %d %s\n", sanitize(s.ChainID), sanitize(s.OldChainID), s.Stage, sanitize(s.StageID))
	}
	if r.Text != "" {
		b.WriteString("\ntext report diff (-old +new):\n")
		b.WriteString(SanitizeLines(r.Text)) // the text reports are escaped already; a hostile document's need not be
	}
	_, err := w.Write(b.Bytes())
	return err
}
