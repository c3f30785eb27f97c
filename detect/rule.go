package detect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/auditchain/auditchain/internal/lazydfa"
	sigma "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"
)

// Rule is one loaded Sigma rule with what auditchain reads from it.
type Rule struct {
	ID          string
	Title       string
	Description string
	File        string // "builtin:rules/NAME.yml" or the user's path
	Line        int    // line of the rule's document in File
	Level       Severity
	// Stage is the default stage (the custom field auditchain.stage, else
	// derived from the ATT&CK tactic tags); Place may override it per match.
	Stage Stage
	// FixedStage keeps Stage whatever the match context (auditchain.placement: fixed).
	FixedStage bool
	// unprivileged is the stage, techniques and reason of a match whose
	// acting process has no root rights (auditchain.unprivileged): what a
	// plain account plants in the system's folders is for another account
	// to run, while root planting there keeps its own access
	unprivileged *unprivilegedPlace
	// accountContext: the rule has a search in which the web account
	// stands in for the ancestry (loginsession.go)
	accountContext bool
	Attack         []string // ATT&CK technique ids from the tags, e.g. T1059.004
	Tags           []string
	Logsource      string // "process_creation", "auditd", …
	Tampering      bool   // the rule is about tampering with the evidence
	Risk           int    // risk score 0-100 (auditchain.risk), 0 when not given
	// Runnable is false when the rule loaded but cannot be evaluated (an
	// unobserved logsource, a correlation, an unsupported modifier); its
	// Problems say why.
	Runnable bool
	Problems []Problem

	cat category
	det *compiled

	// per-match meaning (meaning.go): set by auditchain.attack/matches
	perMatch   bool
	baseAttack []string
	meanings   []meaning
	// descWhy is the description on one line, the why of a match whose
	// entries say none: worked out once, not for every finding
	descWhy string
}

// Problem is something about a rule that auditchain does not support or
// had to interpret; Disabled says whether the rule was left out for it.
type Problem struct {
	RuleID   string
	File     string
	Line     int
	Disabled bool
	Msg      string
}

func (p Problem) String() string {
	pos := p.File
	if p.Line > 0 {
		pos += ":" + strconv.Itoa(p.Line)
	}
	what := "note"
	if p.Disabled {
		what = "skipped"
	}
	return fmt.Sprintf("%s: rule %s %s: %s", pos, p.RuleID, what, p.Msg)
}

// RuleError is a rule file that could not be loaded at all, positioned as
// path:line: msg.
type RuleError struct {
	File string
	Line int
	Err  error
}

func (e *RuleError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// problemAt is a positioned message inside one rule document.
type problemAt struct {
	line int
	msg  string
}

// lineError carries a line from the compiler to the loader.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }

func atLine(line int, err error) error { return &lineError{line, err} }

var yamlLine = lazydfa.MustCompile(`line (\d+)`)

// errLine finds the line in a yaml or sigma-go error message.
func errLine(err error) int {
	var le *lineError
	if errors.As(err, &le) {
		return le.line
	}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// parseRuleFile reads every rule document of a file. A document that is
// not a usable rule — not YAML, not a rule, or one auditchain cannot run —
// is returned as a Rule with Runnable false and a disabled Problem saying
// why, never dropped and never an error: one broken file among many must
// not stop a scan.
func parseRuleFile(file string, data []byte, ft *fieldTable) []*Rule {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var rules []*Rule
	for i := 0; ; i++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			// the decoder cannot resynchronise after a syntax error
			msg := "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")
			return append(rules, unloadable(file, i, errLine(err), msg))
		}
		if len(doc.Content) == 0 {
			continue
		}
		rules = append(rules, parseRuleDoc(file, i, doc.Content[0], ft))
	}
	if len(rules) == 0 {
		return []*Rule{unloadable(file, 0, 0, "no rule in file")}
	}
	return rules
}

// unloadable is the stand-in for a rule document that could not be read
// as a rule: it has no title or detection, only the reason it is skipped.
func unloadable(file string, idx, line int, msg string) *Rule {
	r := &Rule{File: file, Line: line, Level: SeverityMedium, ID: fileRuleID(file, idx)}
	r.Problems = []Problem{{RuleID: r.ID, File: file, Line: line, Disabled: true, Msg: msg}}
	return r
}

// fileRuleID names a rule without an id: its file's base name, and the
// document's number after the first.
func fileRuleID(file string, idx int) string {
	id := strings.TrimSuffix(path.Base(file), path.Ext(file))
	if idx > 0 {
		id += "#" + strconv.Itoa(idx+1)
	}
	return id
}

// SkipReason returns why the rule does not run ("" when it runs): the
// first problem that disabled it.
func (r *Rule) SkipReason() string {
	if r.Runnable {
		return ""
	}
	return r.SkipProblem().Msg
}

// SkipProblem returns the problem that keeps the rule from running (its
// position and reason); for a rule that runs, the zero Problem.
func (r *Rule) SkipProblem() Problem {
	if r.Runnable {
		return Problem{}
	}
	for _, p := range r.Problems {
		if p.Disabled {
			return p
		}
	}
	return Problem{RuleID: r.ID, File: r.File, Line: r.Line, Disabled: true, Msg: "cannot run"}
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func parseRuleDoc(file string, idx int, root *yaml.Node, ft *fieldTable) *Rule {
	if root.Kind != yaml.MappingNode {
		return unloadable(file, idx, root.Line, "a rule is a YAML mapping")
	}
	r := &Rule{File: file, Line: root.Line, Level: SeverityMedium}
	if v := mapValue(root, "id"); v != nil {
		r.ID = v.Value
	}
	if v := mapValue(root, "title"); v != nil {
		r.Title = v.Value
	}
	if r.ID == "" {
		r.ID = fileRuleID(file, idx)
	}
	disable := func(line int, msg string) *Rule {
		r.Problems = append(r.Problems, Problem{RuleID: r.ID, File: file, Line: line, Disabled: true, Msg: msg})
		return r
	}
	note := func(line int, msg string) {
		r.Problems = append(r.Problems, Problem{RuleID: r.ID, File: file, Line: line, Msg: msg})
	}
	// Sigma 2 correlation rules and the old multi-document collections
	// need state across rules: reported, not run.
	if v := mapValue(root, "correlation"); v != nil {
		return disable(v.Line, "correlation rules (event_count, value_count, temporal) are not supported")
	}
	if v := mapValue(root, "action"); v != nil {
		return disable(v.Line, "multi-document rule collections (action: "+v.Value+") are not supported; write one rule per document")
	}
	det := mapValue(root, "detection")
	if det == nil {
		if mapValue(root, "logsources") != nil {
			return disable(root.Line, "this is a Sigma config, not a rule")
		}
		return disable(root.Line, "rule has no detection")
	}
	if r.Title == "" {
		return disable(root.Line, "rule has no title")
	}
	if det.Kind != yaml.MappingNode {
		return disable(det.Line, "detection is not a mapping of searches and a condition")
	}
	// sigma-go v0.6.6 decodes "timeframe" from the wrong node and fails on
	// every rule that has one; timeframe only matters with an aggregation,
	// which we report anyway, so drop it before decoding.
	for i := 0; i+1 < len(det.Content); i += 2 {
		if det.Content[i].Value == "timeframe" {
			note(det.Content[i].Line, "timeframe ignored (only meaningful for aggregations)")
			det.Content = append(det.Content[:i:i], det.Content[i+2:]...)
			break
		}
	}
	conds, line, err := takeConditions(det)
	if err != nil {
		return disable(line, err.Error())
	}
	var sr sigma.Rule
	if err := root.Decode(&sr); err != nil {
		return disable(errLine(err), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	r.Description = strings.TrimSpace(sr.Description)
	if sr.Level != "" {
		lv, err := ParseSeverity(sr.Level)
		if err != nil {
			return disable(lineOf(root, "level"), err.Error())
		}
		r.Level = lv
	} else {
		note(root.Line, "no level: medium assumed")
	}
	r.Tags = sr.Tags
	r.Attack = attackIDs(sr.Tags)
	r.Stage = stageFromTags(sr.Tags)
	if err := r.readCustom(mapValue(root, "auditchain")); err != nil {
		return disable(lineOf(root, "auditchain"), err.Error())
	}
	for _, t := range r.Attack {
		if t == "T1562.012" || t == "T1070.002" {
			r.Tampering = true
		}
	}

	cat, why := categoryOf(sr.Logsource.Product, sr.Logsource.Category, sr.Logsource.Service)
	r.cat = cat
	r.Logsource = cat.String()
	if cat == catNone {
		r.Logsource = strings.Trim(sr.Logsource.Product+"/"+sr.Logsource.Category+sr.Logsource.Service, "/")
		return disable(lineOf(root, "logsource"), why)
	}
	c, notes, err := compileDetection(ft, cat, sr.Detection, conds)
	for _, n := range notes {
		note(n.line, n.msg)
	}
	if err != nil {
		line := errLine(err)
		if line == 0 {
			line = det.Line
		}
		return disable(line, err.Error())
	}
	r.det = c
	r.accountContext = hasAccountSearch(c)
	if err := r.checkMeanings(); err != nil {
		return disable(lineOf(root, "auditchain"), err.Error())
	}
	r.Runnable = true
	return r
}

// takeConditions removes the condition from a detection node before
// sigma-go decodes it (its condition lexer rejects identifiers SigmaHQ
// uses) and returns it as written, for parseCondition.
func takeConditions(det *yaml.Node) ([]condSource, int, error) {
	for i := 0; i+1 < len(det.Content); i += 2 {
		if det.Content[i].Value != "condition" {
			continue
		}
		k, v := det.Content[i], det.Content[i+1]
		det.Content = append(det.Content[:i:i], det.Content[i+2:]...)
		var nodes []*yaml.Node
		switch v.Kind {
		case yaml.ScalarNode:
			nodes = []*yaml.Node{v}
		case yaml.SequenceNode:
			nodes = v.Content
		}
		if len(nodes) == 0 {
			return nil, k.Line, errors.New("condition: want a string or a list of strings")
		}
		var out []condSource
		for _, n := range nodes {
			if n.Kind != yaml.ScalarNode {
				return nil, n.Line, errors.New("condition: want a string or a list of strings")
			}
			out = append(out, condSource{n.Value, n.Line})
		}
		return out, k.Line, nil
	}
	return nil, det.Line, errors.New("detection has no condition")
}

func lineOf(root *yaml.Node, key string) int {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			return root.Content[i].Line
		}
	}
	return root.Line
}

// custom is the rule's "auditchain:" mapping.
type custom struct {
	Stage     string `yaml:"stage"`
	Placement string `yaml:"placement"`
	Tampering bool   `yaml:"tampering"`
	Risk      int    `yaml:"risk"`
	// Attack and Matches map what a match means per selection (meaning.go).
	Attack  []string      `yaml:"attack"`
	Matches []meaningSpec `yaml:"matches"`
	// Unprivileged places a match whose acting process's effective uid
	// is not 0 (with placement: fixed).
	Unprivileged *struct {
		Stage  string   `yaml:"stage"`
		Attack []string `yaml:"attack"`
		Why    string   `yaml:"why"`
	} `yaml:"unprivileged"`
}

// unprivilegedPlace is a rule's auditchain.unprivileged, read.
type unprivilegedPlace struct {
	stage  Stage
	attack []string
	why    string
}

func (r *Rule) readCustom(n *yaml.Node) error {
	if n == nil {
		return nil
	}
	var c custom
	if err := n.Decode(&c); err != nil {
		return fmt.Errorf("auditchain: %v", err)
	}
	if c.Stage != "" {
		s, ok := ParseStage(c.Stage)
		if !ok {
			return fmt.Errorf("auditchain.stage %q: want 1-8, a stage id or none", c.Stage)
		}
		r.Stage = s
	}
	switch c.Placement {
	case "", "context":
	case "fixed":
		r.FixedStage = true
	default:
		return fmt.Errorf("auditchain.placement %q: want context or fixed", c.Placement)
	}
	if u := c.Unprivileged; u != nil {
		st, ok := ParseStage(u.Stage)
		if !ok || st == StageNone {
			return fmt.Errorf("auditchain.unprivileged.stage %q: want 1-8 or a stage id", u.Stage)
		}
		if !r.FixedStage {
			return errors.New("auditchain.unprivileged: only with placement: fixed (the context places the others)")
		}
		if strings.TrimSpace(u.Why) == "" {
			return errors.New("auditchain.unprivileged.why: say why the stage differs")
		}
		for _, a := range u.Attack {
			if !techniqueID.MatchString(a) {
				return fmt.Errorf("auditchain.unprivileged.attack %q: want a technique id such as T1574.006", a)
			}
		}
		r.unprivileged = &unprivilegedPlace{stage: st, attack: u.Attack, why: strings.TrimSpace(u.Why)}
	}
	r.Tampering = r.Tampering || c.Tampering
	if c.Risk < 0 || c.Risk > 100 {
		return fmt.Errorf("auditchain.risk %d: want 0-100", c.Risk)
	}
	r.Risk = c.Risk
	return r.readMeanings(c.Attack, c.Matches)
}

var techniqueTag = lazydfa.MustCompile(`^attack\.(t\d{4}(\.\d{3})?)$`)

// attackIDs returns the ATT&CK technique ids of Sigma tags, in tag order.
func attackIDs(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		m := techniqueTag.FindStringSubmatch(strings.ToLower(t))
		if m == nil {
			continue
		}
		id := strings.ToUpper(m[1])
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// tacticStages maps ATT&CK tactics to a default stage for rules written
// without our custom field (SigmaHQ's, users'). First match in tag order.
var tacticStages = map[string]Stage{
	"attack.initial_access":       StageInitialAccess,
	"attack.t1505.003":            StageWebshellUpload,
	"attack.persistence":          StagePersistence,
	"attack.lateral_movement":     StageLateralMovement,
	"attack.command_and_control":  StageCommandAndControl,
	"attack.exfiltration":         StageExfiltrationImpact,
	"attack.impact":               StageExfiltrationImpact,
	"attack.collection":           StageExfiltrationImpact,
	"attack.credential_access":    StageSuspiciousSpawn,
	"attack.defense_evasion":      StageSuspiciousSpawn,
	"attack.privilege_escalation": StageSuspiciousSpawn,
	"attack.execution":            StageCommandExecution,
	"attack.discovery":            StageCommandExecution,
}

func stageFromTags(tags []string) Stage {
	for _, t := range tags {
		if strings.EqualFold(t, "attack.t1505.003") { // web shells, whatever the tactic order
			return StageWebshellUpload
		}
	}
	for _, t := range tags {
		if s, ok := tacticStages[strings.ToLower(t)]; ok {
			return s
		}
	}
	return StageNone
}
