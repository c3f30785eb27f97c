package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A fleet's archive is partitioned by host: one `auditchain scan --format
// json` per partition, then `auditchain merge` makes one case of the
// reports. Merge works on Documents alone (the wire contract), so reports
// of machines scanned elsewhere, by other runs, merge the same.

// MergeInput is one report to merge and where it came from.
type MergeInput struct {
	Path   string
	SHA256 string // of the report file as read
	Bytes  int64
	Doc    *Document
}

// MergeOptions are the merge's own header fields and the cross-host
// matching parameters (crosshost.go).
type MergeOptions struct {
	Tool        DocTool
	CommandLine []string
	Case        *DocCase
	GeneratedAt time.Time // zero: omitted (reproducible)
	// HostAddrs are the addresses of each host (--host-addr NAME=IP,…):
	// what ties an ssh destination on one host to another host.
	HostAddrs map[string][]string
	// Skew is the clock difference allowed between two hosts' records of
	// the same connection; 0 means DefaultSkew.
	Skew time.Duration
}

// DefaultSkew is the clock difference allowed between two hosts unless
// MergeOptions.Skew says otherwise: NTP-synchronised machines are within
// milliseconds, an unsynchronised VM drifts by seconds.
const DefaultSkew = 5 * time.Second

// DocMerged is one report a merged case was made of.
type DocMerged struct {
	Path        string     `json:"path"`
	SHA256      string     `json:"sha256"`
	Bytes       int64      `json:"bytes"`
	Hosts       []string   `json:"hosts"`
	Tool        DocTool    `json:"tool"`
	GeneratedAt time.Time  `json:"generated_at,omitzero"`
	CommandLine []string   `json:"command_line"`
	Filter      *DocFilter `json:"filter,omitempty"`
	FirstTime   time.Time  `json:"first_time,omitzero"`
	LastTime    time.Time  `json:"last_time,omitzero"`
	Findings    int        `json:"findings"`
	Chains      int        `json:"chains"`
}

// DocHostCoverage is what one merged report (one host partition) could
// show: the case's own coverage is their union, which hides that one host
// audited less than another.
type DocHostCoverage struct {
	Hosts    []string    `json:"hosts"`
	Report   string      `json:"report"` // the merged report's path
	Coverage DocCoverage `json:"coverage"`
	Stats    DocStats    `json:"stats"`
	Inputs   int         `json:"inputs"`
}

// mergedFinding and mergedChain remember where an element came from while
// the merged order is decided.
type mergedFinding struct {
	rep, idx int
	f        DocFinding
}

type mergedChain struct {
	rep, idx int
	ch       DocChain
}

// Merge makes one case of several reports: every host's findings and
// chains renumbered (F0001…, C01… in the order a scan would give: findings
// by time, chains worst first) with where each came from in origin, inputs
// and coverage kept per report, indicators merged, the summary recomputed,
// and ssh sessions linked across hosts (crosshost.go). The result is an
// auditchain.report/v1 Document: every writer renders it, and a merged
// case can be diffed or merged again. The output does not depend on the
// order of in.
func Merge(in []MergeInput, o MergeOptions) (*Document, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("merge: no reports")
	}
	in = slices.Clone(in)
	for i := range in {
		if in[i].Doc == nil {
			return nil, fmt.Errorf("merge: %s: no document", in[i].Path)
		}
	}
	// the hosts, then the content, decide the order: not the arguments
	slices.SortStableFunc(in, func(a, b MergeInput) int {
		return cmp.Or(strings.Compare(strings.Join(a.Doc.Hosts, ","), strings.Join(b.Doc.Hosts, ",")),
			strings.Compare(a.SHA256, b.SHA256), strings.Compare(a.Path, b.Path))
	})
	for i := 1; i < len(in); i++ {
		if in[i].SHA256 != "" && in[i].SHA256 == in[i-1].SHA256 {
			return nil, fmt.Errorf("merge: %s and %s are the same report (sha256 %s)", in[i-1].Path, in[i].Path, in[i].SHA256)
		}
	}
	// a merged case given with one of its own parts would count it twice
	for _, m := range in {
		for _, part := range m.Doc.Merged {
			for _, o := range in {
				if o.SHA256 != "" && o.SHA256 == part.SHA256 {
					return nil, fmt.Errorf("merge: %s is already merged into %s", o.Path, m.Path)
				}
			}
		}
	}
	d := &Document{
		Schema: SchemaVersion, Tool: o.Tool, Case: o.Case, GeneratedAt: utc(o.GeneratedAt),
		CommandLine: validAll(o.CommandLine), Inputs: []DocInput{}, Findings: []DocFinding{},
		Chains: []DocChain{}, IOCs: []DocIOC{},
	}
	if d.Tool.Name == "" {
		d.Tool.Name = "auditchain"
	}
	var fs []mergedFinding
	var cs []mergedChain
	var hosts []string
	for r, m := range in {
		doc := m.Doc
		d.Merged = append(d.Merged, DocMerged{
			Path: valid(m.Path), SHA256: m.SHA256, Bytes: m.Bytes, Hosts: doc.Hosts, Tool: doc.Tool,
			GeneratedAt: doc.GeneratedAt, CommandLine: doc.CommandLine, Filter: doc.Filter,
			FirstTime: doc.FirstTime, LastTime: doc.LastTime, Findings: len(doc.Findings), Chains: len(doc.Chains),
		})
		d.HostCoverage = append(d.HostCoverage, DocHostCoverage{Hosts: doc.Hosts, Report: valid(m.Path),
			Coverage: doc.Coverage, Stats: doc.Stats, Inputs: len(doc.Inputs)})
		d.Inputs = append(d.Inputs, doc.Inputs...)
		d.SkippedInputs = append(d.SkippedInputs, doc.SkippedInputs...)
		hosts = append(hosts, doc.Hosts...)
		d.FirstTime = earliest(d.FirstTime, doc.FirstTime)
		d.LastTime = latest(d.LastTime, doc.LastTime)
		d.Stats.Events += doc.Stats.Events
		d.Stats.Records += doc.Stats.Records
		d.Stats.Processes += doc.Stats.Processes
		d.Stats.Malformed += doc.Stats.Malformed
		d.Logins = append(d.Logins, doc.Logins...)
		d.LoginsDropped += doc.LoginsDropped
		for i, f := range doc.Findings {
			fs = append(fs, mergedFinding{r, i, f})
		}
		for i, ch := range doc.Chains {
			cs = append(cs, mergedChain{r, i, ch})
		}
		d.RuleSet = mergeRuleSet(d.RuleSet, doc.RuleSet)
		d.Allowlisted = mergeAllowlisted(d.Allowlisted, doc.Allowlisted)
	}
	d.Hosts = sortedUnique(hosts)
	d.Coverage = mergeCoverage(in)
	if len(d.SkippedInputs) == 0 {
		d.SkippedInputs = nil
	}

	// findings: time, then host, then as each report had them
	slices.SortStableFunc(fs, func(a, b mergedFinding) int {
		return cmp.Or(a.f.Time.Compare(b.f.Time), strings.Compare(a.f.Host, b.f.Host), cmp.Compare(a.rep, b.rep), cmp.Compare(a.idx, b.idx))
	})
	fid := make([]map[string]string, len(in)) // per report: old finding id → new
	for r := range fid {
		fid[r] = map[string]string{}
	}
	for i := range fs {
		fid[fs[i].rep][fs[i].f.ID] = FindingID(i)
	}
	// chains: worst first, as a scan ranks them
	slices.SortStableFunc(cs, func(a, b mergedChain) int {
		return cmp.Or(-cmp.Compare(severityRank(a.ch.Severity), severityRank(b.ch.Severity)), -cmp.Compare(a.ch.Score, b.ch.Score),
			a.ch.FirstSeen.Compare(b.ch.FirstSeen), strings.Compare(a.ch.Host, b.ch.Host), cmp.Compare(a.rep, b.rep), cmp.Compare(a.idx, b.idx))
	})
	cid := make([]map[string]string, len(in))
	for r := range cid {
		cid[r] = map[string]string{}
	}
	for i := range cs {
		cid[cs[i].rep][cs[i].ch.ID] = fmt.Sprintf("C%02d", i+1)
	}
	for _, m := range fs {
		f := m.f
		f.Origin = origin(f.Host, f.ID, in[m.rep].Path)
		f.ID = fid[m.rep][f.ID]
		f.ChainID = cid[m.rep][f.ChainID]
		d.Findings = append(d.Findings, f)
		if f.Outcome == OutcomeFailure {
			d.Stats.FailedAttempts++
		}
	}
	for _, m := range cs {
		d.Chains = append(d.Chains, renumberChain(m.ch, cid[m.rep][m.ch.ID], fid[m.rep], origin(m.ch.Host, m.ch.ID, in[m.rep].Path)))
	}
	d.IOCs = mergeIOCs(in, fid)
	if !d.GeneratedAt.IsZero() {
		for _, m := range in {
			d.Stats.DurationMS += m.Doc.Stats.DurationMS
		}
	}
	d.CrossHost = linkAcrossHosts(d, o)
	d.Summary = nil
	buildSummary(d)
	return d, nil
}

// origin names where a merged chain or finding came from.
func origin(host, id, path string) string {
	return fmt.Sprintf("%s %s of %s", HostLabel(host), id, valid(path))
}

// renumberChain gives a chain its merged id and its findings theirs,
// everywhere the chain names them (stages, tree).
func renumberChain(ch DocChain, id string, fid map[string]string, from string) DocChain {
	re := func(ids []string) []string {
		out := make([]string, 0, len(ids))
		for _, x := range ids {
			if n, ok := fid[x]; ok {
				out = append(out, n)
			}
		}
		return out
	}
	ch.ID, ch.Origin = id, from
	ch.FindingIDs = re(ch.FindingIDs)
	ch.Stages = slices.Clone(ch.Stages)
	for i := range ch.Stages {
		ch.Stages[i].FindingIDs = re(ch.Stages[i].FindingIDs)
	}
	ch.Tree = slices.Clone(ch.Tree)
	for i := range ch.Tree {
		ch.Tree[i].FindingIDs = re(ch.Tree[i].FindingIDs)
	}
	ch.Links = slices.Clone(ch.Links)
	ch.Hosts = slices.Clone(ch.Hosts)
	return ch
}

// mergeIOCs joins the reports' indicators by type and value: the first
// and last sighting over all hosts, the findings renumbered.
func mergeIOCs(in []MergeInput, fid []map[string]string) []DocIOC {
	type key struct{ typ, value string }
	acc := map[key]*DocIOC{}
	var order []key
	for r, m := range in {
		for _, x := range m.Doc.IOCs {
			k := key{x.Type, x.Value}
			ioc := acc[k]
			if ioc == nil {
				ioc = &DocIOC{Type: x.Type, Value: x.Value, ValueHex: x.ValueHex, FindingIDs: []string{}}
				acc[k] = ioc
				order = append(order, k)
			}
			ioc.FirstSeen = earliest(ioc.FirstSeen, x.FirstSeen)
			ioc.LastSeen = latest(ioc.LastSeen, x.LastSeen)
			for _, id := range x.FindingIDs {
				if n, ok := fid[r][id]; ok {
					ioc.FindingIDs = append(ioc.FindingIDs, n)
				}
			}
		}
	}
	out := make([]DocIOC, 0, len(order))
	for _, k := range order {
		ioc := acc[k]
		slices.SortFunc(ioc.FindingIDs, compareIDs)
		ioc.FindingIDs = slices.Compact(ioc.FindingIDs)
		out = append(out, *ioc)
	}
	slices.SortStableFunc(out, func(a, b DocIOC) int {
		return cmp.Or(cmp.Compare(iocRank(a.Type), iocRank(b.Type)), strings.Compare(a.Value, b.Value))
	})
	return out
}

// mergeCoverage is the union of what the reports could show. Each host's
// own stays in host_coverage; notes and tampering name their host when
// there are several.
func mergeCoverage(in []MergeInput) DocCoverage {
	var c DocCoverage
	var sys, watches, keys []string
	sources := map[string]bool{}
	several := len(in) > 1
	for _, m := range in {
		dc := m.Doc.Coverage
		sys = append(sys, dc.Syscalls...)
		watches = append(watches, dc.Watches...)
		keys = append(keys, dc.RuleKeys...)
		sources[dc.RulesSource] = true
		c.AccessLog = c.AccessLog || dc.AccessLog
		c.Rules = max(c.Rules, dc.Rules)
		label := ""
		if several {
			label = HostLabel(strings.Join(m.Doc.Hosts, ",")) + ": "
		}
		for _, t := range dc.Tampering {
			c.Tampering = append(c.Tampering, label+t)
		}
		for _, n := range dc.Notes {
			c.Notes = append(c.Notes, label+n)
		}
		c.Servers = append(c.Servers, dc.Servers...)
	}
	c.Syscalls, c.Watches, c.RuleKeys = sortedUnique(sys), sortedUnique(watches), sortedUnique(keys)
	if c.Tampering == nil {
		c.Tampering = []string{}
	}
	if len(sources) == 1 {
		for s := range sources {
			c.RulesSource = s
		}
	}
	if several {
		c.Notes = append(c.Notes, fmt.Sprintf("merged from %d reports: coverage is their union; what each host's audit rules could show is in host_coverage", len(in)))
	}
	return c
}

// mergeRuleSet joins the rule sets of two reports: the most rules run,
// every skipped rule once.
func mergeRuleSet(a, b *DocRuleSet) *DocRuleSet {
	if a == nil || b == nil {
		return cmp.Or(a, b)
	}
	out := &DocRuleSet{Run: max(a.Run, b.Run), SkippedRules: slices.Clone(a.SkippedRules)}
	for _, s := range b.SkippedRules {
		if !slices.Contains(out.SkippedRules, s) {
			out.SkippedRules = append(out.SkippedRules, s)
		}
	}
	out.Skipped = len(out.SkippedRules)
	return out
}

// mergeAllowlisted adds up what the allowlists kept out, listing at most
// as many matches as one report does.
func mergeAllowlisted(a, b *DocAllowlisted) *DocAllowlisted {
	if a == nil || b == nil {
		return cmp.Or(a, b)
	}
	out := &DocAllowlisted{Total: a.Total + b.Total, Matches: slices.Clone(a.Matches)}
	out.Matches = append(out.Matches, b.Matches...)
	if n := max(len(a.Matches), len(b.Matches)); len(out.Matches) > n {
		out.Matches = out.Matches[:n]
	}
	return out
}
