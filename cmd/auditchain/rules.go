package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/report"
	"github.com/olekukonko/tablewriter"
)

const rulesSynopsis = `rules [flags]
       auditchain rules test [flags] RULE.yml PATH...

Lists the detection rules in force (built-in plus --rules) with their
stage, severity and status in a table that fits 100 columns (--wide adds
the ATT&CK techniques and full titles), then every rule that is skipped
because it cannot be loaded or run, with its file:line and why. 'rules test' runs one Sigma rule file alone over logs and prints each
match with its process, stage and evidence position.

Examples:
  auditchain rules
  auditchain rules --rules ./my-rules --format json
  auditchain rules test my-rule.yml /evidence/var/log/audit/`

func runRules(e *env, args []string) error {
	if len(args) > 0 && args[0] == "test" {
		return runRulesTest(e, args[1:])
	}
	var dirs, disabled []string
	var format string
	var wide bool
	det := newGroup("Detection")
	det.fs.StringArrayVar(&dirs, "rules", nil, "add the Sigma rules in `DIR` (or one .yml file); repeatable")
	det.fs.StringArrayVar(&disabled, "disable-rule", nil, "mark rule `ID` as disabled; repeatable")
	out := newGroup("Output")
	out.fs.StringVar(&format, "format", "text", "`FORMAT`: text or json")
	out.fs.BoolVar(&wide, "wide", false, "text: every column (ATT&CK techniques, full titles), however wide")
	fs := newCommandFlags(e, "rules", rulesSynopsis, det, out)
	if err := fs.Parse(args); err != nil {
		if errHelp(err) != nil {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (did you mean 'rules test'?)", fs.Arg(0))
	}
	eng, err := detect.New(ruleOptions(dirs, disabled))
	if err != nil {
		return usagef("%v", err)
	}
	switch format {
	case "json":
		return writeRulesJSON(e.stdout, eng, disabled)
	case "text":
		if wide {
			return writeRulesWide(e.stdout, eng, disabled)
		}
		return writeRulesText(e.stdout, eng, disabled)
	}
	return usagef("--format %q: want text or json", format)
}

func ruleOptions(paths, disabled []string) detect.Options {
	o := detect.Options{Disabled: disabled}
	for _, r := range paths {
		if strings.HasSuffix(r, ".yml") || strings.HasSuffix(r, ".yaml") {
			o.RuleFiles = append(o.RuleFiles, r)
		} else {
			o.RuleDirs = append(o.RuleDirs, r)
		}
	}
	return o
}

// writeRulesWide is the table with every column, as wide as it needs.
func writeRulesWide(w io.Writer, eng *detect.Engine, disabled []string) error {
	off := disabledSet(disabled)
	fmt.Fprintf(w, "rule set %s, %s\n\n", eng.Version(), ruleCounts(eng, off))
	t := tablewriter.NewWriter(w)
	t.Header("id", "stage", "severity", "techniques", "title", "status")
	for _, r := range eng.Rules() {
		stage := "by match"
		if r.Stage.Valid() {
			stage = fmt.Sprintf("%d %s", int(r.Stage), r.Stage.ID())
		}
		if r.Tampering {
			stage = "tampering"
		}
		t.Append(report.SafeText(r.ID), stage, r.Level.String(), strings.Join(r.Attack, " "), report.SafeText(r.Title), ruleStatus(r, off))
	}
	if err := t.Render(); err != nil {
		return err
	}
	writeRuleProblems(w, eng, 0)
	return nil
}

// ruleDoc is one rule in `rules --format json`.
type ruleDoc struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Stage    int      `json:"stage"`
	StageID  string   `json:"stage_id,omitempty"`
	Severity string   `json:"severity"`
	Attack   []string `json:"attack"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Runnable bool     `json:"runnable"`
	Disabled bool     `json:"disabled,omitempty"`
	Skipped  string   `json:"skipped,omitempty"` // why it cannot be loaded or run
	Problems []string `json:"problems,omitempty"`
}

func writeRulesJSON(w io.Writer, eng *detect.Engine, disabled []string) error {
	off := disabledSet(disabled)
	docs := []ruleDoc{}
	for _, r := range eng.Rules() {
		d := ruleDoc{ID: r.ID, Title: r.Title, Stage: int(r.Stage), StageID: r.Stage.ID(), Severity: r.Level.String(),
			Attack: append([]string{}, r.Attack...), File: r.File, Line: r.Line, Runnable: r.Runnable, Disabled: off[r.ID],
			Skipped: r.SkipReason()}
		for _, p := range r.Problems {
			d.Problems = append(d.Problems, p.Msg)
		}
		docs = append(docs, d)
	}
	return writeJSON(w, struct {
		Version string    `json:"rules_version"`
		Rules   []ruleDoc `json:"rules"`
	}{eng.Version(), docs})
}

func runRulesTest(e *env, args []string) error {
	var in inputFlags
	fs := newCommandFlags(e, "rules test", rulesSynopsis, in.group_())
	if err := fs.Parse(args); err != nil {
		if errHelp(err) != nil {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() < 2 {
		return usagef("want a rule file and at least one log: rules test RULE.yml PATH...")
	}
	eng, err := detect.LoadRuleFile(fs.Arg(0))
	if err != nil {
		// not a usage mistake: the rule cannot run, and testing it would
		// only ever print "0 matches"
		return fmt.Errorf("%s", report.SafeText(err.Error()))
	}
	for _, p := range eng.Problems() {
		fmt.Fprintf(e.stderr, "auditchain: %s\n", report.SafeText(p.String()))
	}
	ev, err := in.resolve(e, fs.Args()[1:])
	if err != nil {
		return err
	}
	r := parser.NewReader(ev.inputs, ev.opts)
	defer r.Close()
	n := 0
	show := func(f *detect.Finding) {
		n++
		fe := f.Event.FirstEvidence()
		cmd := ""
		switch {
		case f.Process != nil:
			cmd = report.QuoteArg(f.Process.CommandLine())
		case len(f.Event.Args) > 0: // a runtime's record of a command, no host process
			cmd = report.QuoteArg(strings.Join(f.Event.Args, " "))
		}
		fmt.Fprintf(e.stdout, "%s  %-8s stage %d %-24s %s  pid %d %s  (%s serial %d)\n",
			f.Time.UTC().Format("2006-01-02T15:04:05.000Z"), f.Severity, int(f.Stage), f.Stage.ID(), f.RuleID,
			f.Event.PID, cmd, fe.Pos, fe.Serial)
	}
	err = r.All(func(x *parser.Event) {
		for _, f := range eng.Observe(x, r.Tree()) {
			show(f)
		}
	})
	for _, f := range eng.Finish() {
		show(f)
	}
	reportInputProblems(e.stderr, r.Inputs())
	fmt.Fprintf(e.stdout, "%d matches\n", n)
	return err
}

func rulesVersion() (string, error) {
	eng, err := detect.New(detect.Options{})
	if err != nil {
		return "", err
	}
	return eng.Version(), nil
}
