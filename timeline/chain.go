package timeline

import (
	"time"

	"github.com/auditchain/auditchain/detect"
	"github.com/auditchain/auditchain/parser"
)

// Visibility says whether a stage could be seen in the inputs at all.
type Visibility string

// Visibilities of a stage slot.
const (
	Observed    Visibility = "observed"     // findings place the chain in this stage
	NotObserved Visibility = "not-observed" // the logs could have shown it and do not
	NotVisible  Visibility = "not-visible"  // the inputs cannot show it (no access log, no such audit rule)
)

// Confidence of a stage placement.
const (
	ConfidenceObserved = "observed" // a finding of this stage is in the chain
	ConfidenceInferred = "inferred" // deduced from later stages (stage 1 from 2/3)
)

// Slot is one of a chain's eight stages.
type Slot struct {
	Stage      detect.Stage
	Observed   bool
	Visibility Visibility
	Confidence string // ConfidenceObserved, ConfidenceInferred or ""
	Reason     string
	FirstSeen  time.Time
	LastSeen   time.Time
	Findings   []*detect.Finding
}

// Chain is one intrusion: findings linked by evidence (ancestry, account and
// session, files, peers, container), laid on the eight stages.
type Chain struct {
	ID        string // C01, C02 … in report order
	Host      string
	Container parser.Container
	Score     int
	Severity  detect.Severity // the highest of its findings
	FirstSeen time.Time
	LastSeen  time.Time
	Stages    [8]Slot // always all eight, in order
	Findings  []*detect.Finding
	// Roots are the processes the chain grew from (the shell a web server
	// spawned for the attacker), Processes all processes in the chain.
	Roots     []*parser.Process
	Processes []*parser.Process
	Links     []string // how the chain's parts were linked, for the report
}

// Coverage says what the inputs could show: audit rules in force, sources
// present, and signs of tampering with the evidence.
type Coverage struct {
	RulesSource string   // "log" (CONFIG_CHANGE records), "file" (--audit-rules) or "" (unknown)
	Syscalls    []string // audited syscalls, sorted
	Watches     []string // watched paths, sorted
	AccessLog   bool     // an HTTP access log is among the inputs
	Tampering   []string // human-readable signs: rules removed, auditing disabled, gaps
}
