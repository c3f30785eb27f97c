package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
	"github.com/auditchain/auditchain/timeline"
	"github.com/schollz/progressbar/v3"
)

const scanSynopsis = `scan [flags] PATH...

Runs the whole analysis: parses the logs into events and process trees,
evaluates the detection rules, groups the findings into attack chains laid
on the eight stages (initial access … exfiltration/impact), and writes an
evidence report. The exit status is 1 when a finding reaches --fail-on
(default high), 2 when no input could be read, else 0.

Examples:
  auditchain scan /evidence/var/log/audit/ access.log
  auditchain scan --root /mnt/image --case IR-2026-042 --examiner "J. Doe"
  auditchain scan --format html -o report.html logs/
  auditchain scan --format json --reproducible -o scan.json logs/   # for 'auditchain diff'`

type scanFlags struct {
	in         inputFlags
	rules      []string
	disable    []string
	allowlist  string
	auditRules string
	perAct     int // --max-repeats (findingbound.go)
	perRule    int // --max-findings-per-rule
	// --max-link-repeats, as timeline.Options.MaxRepeats (findingbound.go)
	linkRepeats int
	linkEvents  int // --max-link-events, as timeline.Options.MaxLinkEvents
	reportFlags
	noProgress bool
	mem        memoryFlag
	prof       profileFlags
	jobs       int // --jobs: host partitions read at once (scanhosts.go)
}

func runScan(e *env, args []string) error {
	var f scanFlags
	det := newGroup("Detection")
	det.fs.StringArrayVar(&f.rules, "rules", nil, "add the Sigma rules in `DIR` (or one .yml file) to the built-in ones; repeatable")
	det.fs.StringArrayVar(&f.disable, "disable-rule", nil, "do not run rule `ID`; repeatable (see 'auditchain rules')")
	det.fs.StringVar(&f.allowlist, "allowlist", "", "YAML `FILE` of known-benign activity: rule id + field conditions")
	det.fs.StringVar(&f.auditRules, "audit-rules", "", "the evidence's audit.rules `FILE`: what was audited (else read from the log)")
	det.fs.IntVar(&f.perAct, "max-repeats", detect.DefaultRepeatsPerAct, repeatsUsage)
	det.fs.IntVar(&f.perRule, "max-findings-per-rule", detect.DefaultFindingsPerRule, findingsPerRuleUsage)
	det.fs.IntVar(&f.linkRepeats, "max-link-repeats", timeline.DefaultLinkRepeats, linkRepeatsUsage)
	det.fs.IntVar(&f.linkEvents, "max-link-events", timeline.DefaultLinkEvents, linkEventsUsage)
	rep, outg := f.groups("report", "inputs")
	outg.fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar (it is shown only on a terminal, for large inputs)")
	resources := f.mem.group(2)
	f.prof.addFlags(resources)
	resources.fs.IntVar(&f.jobs, "jobs", 0, "hosts read at once (`N`) when the inputs are several hosts' audit logs; each host's logs go through trees, rules and timeline of their own, and the report is the same; 1 reads all as one stream (default: half the cores, at least 1)")
	fs := newCommandFlags(e, "scan", scanSynopsis, f.in.group_(), f.in.filterGroup(), det, rep, outg, resources)
	if err := fs.Parse(args); err != nil {
		if errHelp(err) != nil {
			return err
		}
		return usagef("%v", err)
	}
	stopMem, err := f.mem.apply(e.getenv)
	if err != nil {
		return err
	}
	defer stopMem()
	if err := f.prof.start(); err != nil {
		return err
	}
	defer f.prof.stop()
	failOn, failNone, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	tz, err := f.in.location()
	if err != nil {
		return err
	}
	if err := f.in.checkWindow(); err != nil {
		return err
	}
	reads := append(f.in.reads(fs.Args()), f.auditRules, f.allowlist)
	f.in.context = []string{f.auditRules, f.allowlist}
	if err := checkOutput(e, f.out, append(reads, f.rules...)); err != nil {
		return err
	}
	w, err := report.NewWriter(f.format, report.Options{
		Reproducible: f.reproducible, Verbose: f.verbose, TZ: tz,
		Color: f.out == "" && e.isTTY(e.stdout) && e.getenv("NO_COLOR") == "",
	})
	if err != nil {
		return usagef("--format: %v", err)
	}
	// the timeline's correlation rules are disabled there, the rest in
	// the rules engine (which refuses ids it does not know)
	var offEngine, offTimeline []string
	for _, id := range f.disable {
		if slices.Contains(timeline.CorrelationRules, id) {
			offTimeline = append(offTimeline, id)
		} else {
			offEngine = append(offEngine, id)
		}
	}
	dopts := ruleOptions(f.rules, offEngine)
	dopts.Allowlist = f.allowlist
	if err := setFindingBounds(&dopts, &f.linkRepeats, &f.linkEvents, f.perAct, f.perRule); err != nil {
		return err
	}
	engine, err := detect.New(dopts)
	if err != nil {
		return usagef("%v", err)
	}
	ruleSet := reportRuleSet(e, engine, dopts, len(f.rules) > 0)
	var ruleFile []*parser.Input // hashed for the report; the timeline reads it
	if f.auditRules != "" {
		_, in, err := parser.ContextFile(f.auditRules, parser.FormatAuditRules)
		if err != nil {
			return usagef("--audit-rules %s: %v", f.auditRules, err)
		}
		ruleFile = append(ruleFile, in)
	}
	ev, err := f.in.resolve(e, fs.Args())
	if err != nil {
		return err
	}
	newBuilder := func(engine *detect.Engine) (*timeline.Builder, error) {
		b, err := timeline.NewBuilder(timeline.Options{AuditRules: f.auditRules, Servers: engine.Servers(),
			AccessLogSkew: ev.opts.ClockSkew[string(parser.FormatAccessLog)], MaxRepeats: f.linkRepeats, MaxLinkEvents: f.linkEvents,
			Disabled: offTimeline,
			// the engine retains with KeepText every event a finding or its
			// state keeps: the lists may pack the others (timeline/keptlists.go)
			PackKept: true,
			// only requests read the accepts the timeline would keep
			NoRequests: auditOnly(ev.inputs)})
		if err != nil {
			return nil, usagef("%v", err)
		}
		return b, nil
	}
	newEngine := func() (*detect.Engine, error) {
		engine, err := detect.New(dopts)
		if err != nil {
			return nil, usagef("%v", err)
		}
		return engine, nil
	}
	builder, err := newBuilder(engine)
	if err != nil {
		return err
	}

	// the executable's hash, for the report, on a core the reading leaves
	// (17 MB: 10-20 ms of SHA-256 on the serial end of a scan otherwise)
	binHash := make(chan string, 1)
	go func() { binHash <- binarySHA256() }()
	start := time.Now()
	stopProgress := startProgress(e, ev, &f)
	// the engine and the timeline pin the processes they keep, so the
	// trees may spill the rest
	ev.opts.SpillLimit = f.mem.procs
	ev.opts.PoisonRecycled = poisonRecycled(e)
	if f.jobs <= 0 {
		// one stream keeps about two cores busy (its reader, decoding
		// workers and consumer): on 2 cores, two hosts side by side gained
		// 7-15% of wall time with a core to spare and lost more than that
		// when neighbours took both cores (README, Speed)
		f.jobs = max(runtime.GOMAXPROCS(0)/2, 1)
	}
	var rd *scanRead
	if parts := hostPartitions(ev.inputs, ev.opts.Host); parts != nil && f.jobs != 1 {
		// several hosts: each read apart, side by side (scanhosts.go)
		if rd, err = readHosts(ev, parts, f.jobs, engine, builder, newEngine, newBuilder); err != nil {
			stopProgress()
			return err
		}
		if rd == nil { // a partition met another host's records: one stream
			if engine, err = newEngine(); err != nil {
				stopProgress()
				return err
			}
			if builder, err = newBuilder(engine); err != nil {
				stopProgress()
				return err
			}
		}
	}
	if rd == nil {
		rd = readSerial(ev, engine, builder)
	}
	defer rd.close()
	findings, span, tree := rd.findings, rd.span, rd.tree
	stopProgress()
	if rd.err != nil {
		return rd.err
	}
	if err := f.prof.heap(); err != nil { // the peak: see profileFlags.heap
		return err
	}
	f.prof.noteTree(tree)
	reportInputProblems(e.stderr, ev.inputs)
	warnSpill(e, rd.stats)

	ref, _, _ := span.reference()
	since, until, err := f.in.window(ref)
	if err != nil {
		return err
	}
	filter := filterReport(e.stderr, f.in, span, tree.Hosts(), since, until)
	findings = filterFindings(findings, tree, f.in, since, until)
	res := builder.Build(findings, tree)
	if err := tree.Err(); err != nil {
		return err // a spill file that failed: the chains would be incomplete
	}
	for _, n := range res.Coverage.Clock { // a correction the analyst must make
		fmt.Fprintf(e.stderr, "auditchain: warning: %s\n", n)
	}
	c := &report.Case{
		Name: f.caseName, Examiner: f.examiner,
		Tool:        report.Tool{Name: "auditchain", Version: toolVersion(), RulesVersion: engine.Version(), BinarySHA256: <-binHash},
		CommandLine: e.args,
		Inputs:      slices.Concat(ev.inputs, ev.context, ruleFile, allowFile(engine)), Skipped: ev.skipped,
		Findings: res.Findings, Chains: res.Chains, Coverage: res.Coverage, Routine: res.Routine,
		Tree: tree, Filter: filter, RuleSet: ruleSet, Allowed: allowedOf(engine),
		Descriptions: report.RuleDescriptions(engine.Rules()),
		Logins:       builder.Logins(), Accepts: builder.Accepts(),
	}
	c.Hosts = tree.Hosts()
	if cut, bound := engine.TargetsCut(); cut > 0 { // never a silent cut
		n := fmt.Sprintf("findings: %d further matches were not reported as findings: a rule reports at most %d targets (files, peers) per process and kind of event, and the first %d are the evidence", cut, bound, bound)
		fmt.Fprintf(e.stderr, "auditchain: warning: %s\n", n)
		c.Coverage.Notes = append(c.Coverage.Notes, n)
	}
	for _, n := range append(engine.Dropped(), builder.Dropped()...) { // never a silent cut
		fmt.Fprintf(e.stderr, "auditchain: warning: %s\n", n)
		c.Coverage.Notes = append(c.Coverage.Notes, n)
	}
	for _, n := range quoteActors(ev.inputs, c.Findings, ev.opts.Limits.Decompress, engine.Servers()) { // never a silent cut
		fmt.Fprintf(e.stderr, "auditchain: warning: %s\n", n)
		c.Coverage.Notes = append(c.Coverage.Notes, n)
	}
	if n := hostsNote(tree); n != "" { // never a silent cut
		fmt.Fprintf(e.stderr, "auditchain: warning: %s\n", n)
		c.Coverage.Notes = append(c.Coverage.Notes, n)
	}
	st := rd.stats
	f.prof.retention(e.stderr, st)
	c.Stats = report.Stats{Events: st.Events, Records: st.Records, Processes: st.Processes, Malformed: st.Malformed}
	if !f.reproducible {
		c.GeneratedAt = time.Now().UTC()
		c.Stats.Duration = time.Since(start)
	}
	if f.reproducible {
		c.Tool.BinarySHA256 = ""
	}
	sum, err := writeReport(e, f.out, func(out io.Writer) error { return w.Write(out, c) })
	if err != nil {
		return err
	}
	if err := tree.Err(); err != nil {
		return err
	}
	f.wrote(e, sum)
	if !failNone {
		n := 0
		for _, x := range c.Findings {
			if x.Severity >= failOn {
				n++
			}
		}
		if n > 0 {
			return &findingsError{n}
		}
	}
	return nil
}

func parseFailOn(v string) (detect.Severity, bool, error) {
	if v == "none" {
		return 0, true, nil
	}
	s, err := detect.ParseSeverity(v)
	if err != nil {
		return 0, false, usagef("--fail-on %q: want informational, low, medium, high, critical or none", v)
	}
	return s, false, nil
}

// filterFindings applies --since/--until/--host/--container.
func filterFindings(fs []*detect.Finding, t *parser.Tree, in inputFlags, since, until time.Time) []*detect.Finding {
	out := fs[:0]
	for _, f := range fs {
		switch {
		case !since.IsZero() && f.Time.Before(since):
		case !until.IsZero() && f.Time.After(until):
		case in.hostSel != "" && f.Host != in.hostSel:
		case in.contSel != "" && !inContainer(t, f, in.contSel):
		default:
			out = append(out, f)
		}
	}
	return out
}

func inContainer(t *parser.Tree, f *detect.Finding, sel string) bool {
	c := f.Event.Container()
	if f.Process != nil && c.IsZero() {
		c = t.ContainerOf(f.Process)
	}
	return c.ID != "" && strings.HasPrefix(c.ID, sel) || c.Name == sel
}

// writeReport writes like writeOutput and returns the SHA-256 of what was
// written, for the chain-of-custody record.
func writeReport(e *env, path string, write func(io.Writer) error) (string, error) {
	h := sha256.New()
	err := writeOutput(e, path, func(w io.Writer) error { return write(io.MultiWriter(w, h)) })
	return hex.EncodeToString(h.Sum(nil)), err
}

// startProgress shows a progress bar on stderr when it is a terminal and
// the input is large; it returns the function that ends it.
func startProgress(e *env, ev *evidence, f *scanFlags) func() {
	var total int64
	for _, in := range ev.inputs {
		total += in.Size()
	}
	if f.noProgress || e.terminal == nil || !e.isTTY(e.terminal) || total < 64<<20 {
		return func() {}
	}
	var read atomic.Int64
	ev.opts.Progress = &read
	bar := progressbar.NewOptions64(total, progressbar.OptionSetWriter(e.terminal),
		progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("reading"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				bar.Set64(read.Load())
			}
		}
	}()
	return func() { close(done); bar.Finish() }
}

// allowedOf is what the allowlist suppressed, nil when nothing was.
func allowedOf(engine *detect.Engine) *detect.AllowedMatches {
	if m := engine.Allowed(); m.Total > 0 {
		return &m
	}
	return nil
}

// allowFile is the allowlist as read, for the report's inputs: it decides
// what the report leaves out, so it is hashed like the evidence.
func allowFile(engine *detect.Engine) []*parser.Input {
	if in := engine.AllowlistInput(); in != nil {
		return []*parser.Input{in}
	}
	return nil
}

// auditOnly reports whether every input is an audit log: no access-log
// request can come, so the timeline need not keep what only requests read
// (timeline.Options.NoRequests).
func auditOnly(ins []*parser.Input) bool {
	for _, in := range ins {
		if in.Format != parser.FormatAuditd {
			return false
		}
	}
	return len(ins) > 0
}
