package detect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
	Attack     []string // ATT&CK technique ids from the tags, e.g. T1059.004
	Tags       []string
	Logsource  string // "process_creation", "auditd", …
	Tampering  bool   // the rule is about tampering with the evidence
	Risk       int    // risk score 0-100 (auditchain.risk), 0 when not given
	// Runnable is false when the rule loaded but cannot be evaluated (an
	// unobserved logsource, a correlation, an unsupported modifier); its
	// Problems say why.
	Runnable bool
	Problems []Problem

	cat category
	det *compiled
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
		what = "disabled"
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

var yamlLine = regexp.MustCompile(`line (\d+)`)

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
// not a usable rule is returned as a Rule with Runnable false and a
// problem, never dropped; a file that is not YAML is an error.
func parseRuleFile(file string, data []byte, ft *fieldTable) ([]*Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var rules []*Rule
	for i := 0; ; i++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &RuleError{file, errLine(err), fmt.Errorf("not valid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))}
		}
		if len(doc.Content) == 0 {
			continue
		}
		r, err := parseRuleDoc(file, i, doc.Content[0], ft)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	if len(rules) == 0 {
		return nil, &RuleError{file, 0, errors.New("no rule in file")}
	}
	return rules, nil
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

func parseRuleDoc(file string, idx int, root *yaml.Node, ft *fieldTable) (*Rule, error) {
	if root.Kind != yaml.MappingNode {
		return nil, &RuleError{file, root.Line, errors.New("a rule is a YAML mapping")}
	}
	r := &Rule{File: file, Line: root.Line, Level: SeverityMedium}
	if v := mapValue(root, "id"); v != nil {
		r.ID = v.Value
	}
	if v := mapValue(root, "title"); v != nil {
		r.Title = v.Value
	}
	if r.ID == "" {
		r.ID = strings.TrimSuffix(path.Base(file), path.Ext(file))
		if idx > 0 {
			r.ID += "#" + strconv.Itoa(idx+1)
		}
	}
	disable := func(line int, msg string) (*Rule, error) {
		r.Problems = append(r.Problems, Problem{RuleID: r.ID, File: file, Line: line, Disabled: true, Msg: msg})
		return r, nil
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
			return nil, &RuleError{file, root.Line, errors.New("this is a Sigma config, not a rule")}
		}
		return nil, &RuleError{file, root.Line, errors.New("rule has no detection")}
	}
	if r.Title == "" {
		return nil, &RuleError{file, root.Line, errors.New("rule has no title")}
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
	expandPatterns(det)
	var sr sigma.Rule
	if err := root.Decode(&sr); err != nil {
		return nil, &RuleError{file, errLine(err), fmt.Errorf("rule %s: %v", r.ID, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	r.Description = strings.TrimSpace(sr.Description)
	if sr.Level != "" {
		lv, err := ParseSeverity(sr.Level)
		if err != nil {
			return nil, &RuleError{file, lineOf(root, "level"), fmt.Errorf("rule %s: %v", r.ID, err)}
		}
		r.Level = lv
	} else {
		note(root.Line, "no level: medium assumed")
	}
	r.Tags = sr.Tags
	r.Attack = attackIDs(sr.Tags)
	r.Stage = stageFromTags(sr.Tags)
	if err := r.readCustom(mapValue(root, "auditchain")); err != nil {
		return nil, &RuleError{file, lineOf(root, "auditchain"), fmt.Errorf("rule %s: %v", r.ID, err)}
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
	c, notes, err := compileDetection(ft, cat, sr.Detection)
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
	r.Runnable = true
	return r, nil
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
	r.Tampering = r.Tampering || c.Tampering
	if c.Risk < 0 || c.Risk > 100 {
		return fmt.Errorf("auditchain.risk %d: want 0-100", c.Risk)
	}
	r.Risk = c.Risk
	return nil
}

var techniqueTag = regexp.MustCompile(`^attack\.(t\d{4}(\.\d{3})?)$`)

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

var ofPattern = regexp.MustCompile(`(?i)\b(1|all)\s+of\s+([A-Za-z0-9_*]*\*[A-Za-z0-9_*]*)`)

// expandPatterns rewrites "1 of PATTERN" and "all of PATTERN" in the
// conditions into explicit (a or b) / (a and b) lists before sigma-go sees
// them: its condition lexer rejects patterns with a leading wildcard
// ("1 of *_tools"), which Sigma allows.
func expandPatterns(det *yaml.Node) {
	var names []string
	var conds []*yaml.Node
	for i := 0; i+1 < len(det.Content); i += 2 {
		k, v := det.Content[i], det.Content[i+1]
		switch {
		case k.Value == "condition" && v.Kind == yaml.ScalarNode:
			conds = append(conds, v)
		case k.Value == "condition" && v.Kind == yaml.SequenceNode:
			conds = append(conds, v.Content...)
		default:
			names = append(names, k.Value)
		}
	}
	sort.Strings(names)
	for _, c := range conds {
		if c.Kind != yaml.ScalarNode {
			continue
		}
		c.Value = ofPattern.ReplaceAllStringFunc(c.Value, func(m string) string {
			sub := ofPattern.FindStringSubmatch(m)
			var hit []string
			for _, n := range names {
				if ok, _ := path.Match(sub[2], n); ok {
					hit = append(hit, n)
				}
			}
			if len(hit) == 0 {
				return m // left for the condition parser to report
			}
			op := " or "
			if strings.EqualFold(sub[1], "all") {
				op = " and "
			}
			return "(" + strings.Join(hit, op) + ")"
		})
	}
}
