package report

import (
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
	RuleSet  *RuleSet // nil: built-in rules only, none skipped
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
	return "F" + pad(i+1, 4)
}

// ChainID returns the report id of the i-th chain (0-based): C01 …
func ChainID(i int) string {
	return "C" + pad(i+1, 2)
}

func pad(n, width int) string {
	s := []byte{}
	for n > 0 || len(s) == 0 {
		s = append([]byte{byte('0' + n%10)}, s...)
		n /= 10
	}
	for len(s) < width {
		s = append([]byte{'0'}, s...)
	}
	return string(s)
}
