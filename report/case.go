package report

import (
	"fmt"
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
	"github.com/auditchain/auditchain/timeline"
)

// Tool describes the program that made a report.
type Tool struct {
	Name         string
	Version      string
	RulesVersion string // digest of the rule set in force
	BinarySHA256 string
}

// Case is the one model every writer renders. Writers treat it as read-only.
type Case struct {
	Name        string // --case
	Examiner    string // --examiner
	Tool        Tool
	CommandLine []string
	GeneratedAt time.Time // zero with --reproducible
	Inputs      []*parser.Input
	Skipped     []parser.SkippedInput
	Hosts       []string
	// Findings in report order (time, then a total order); IDs are F0001… in this order.
	Findings []*detect.Finding
	Chains   []*timeline.Chain // worst first
	Coverage timeline.Coverage
	Tree     *parser.Tree
	Stats    Stats
	Filter   *Filter                // --since/--until/--host/--container applied; nil for none
	RuleSet  *RuleSet               // nil: built-in rules only, none skipped
	Allowed  *detect.AllowedMatches // what --allowlist suppressed; nil for none
	Routine  []*timeline.Routine    // routine activity whose findings were demoted (timeline.Result.Routine)
	// Descriptions are the rules' descriptions by rule id, for the report's
	// "why suspicious"; RuleDescriptions makes it from the engine's rules.
	Descriptions map[string]string
	// Logins and Accepts are the sshd logins and accepts the timeline
	// kept; the report lists the remote sessions (logins.go).
	Logins, Accepts []*parser.Event
}

// Stats are the counts of a run.
type Stats struct {
	Events    int
	Records   int
	Processes int
	Malformed int
	Duration  time.Duration // zero with --reproducible
}

// FindingID returns the report id of the i-th finding (0-based): F0001 …
func FindingID(i int) string {
	return fmt.Sprintf("F%04d", i+1)
}
