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
	// Requests are access-log requests that are evidence of this stage on
	// their own (the recon burst and exploit request of stage 1, the upload
	// POST of stage 2); they have no finding ids.
	Requests []*parser.Event
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
	// Requests tie access-log requests to what they caused: a request to a
	// script and the shell its worker spawned, an upload POST and the file
	// it wrote. Sorted by request time.
	Requests []RequestLink
	// Hosts are every host the chain reached, sorted (more than one after
	// lateral movement to another node).
	Hosts []string
}

// RequestLink ties one HTTP request to the process or file it caused, so a
// report can say "GET /uploads/shell.php?cmd=id at 10:02:03 → php-fpm pid
// 812 → sh -c id".
type RequestLink struct {
	Request *parser.Event // the KindHTTP event
	// Process is the shell the web server's worker spawned for the request,
	// or for an upload the worker that wrote the file.
	Process *parser.Process
	// Worker is the web-server process that served the request (the parent
	// of Process for an exec).
	Worker *parser.Process
	// Event is the exec or file write the request caused.
	Event *parser.Event
	// File is the file an upload created, "" for an exec.
	File string
	// Confidence is "high" (the request's parameters appear in the command
	// line), "medium" (the only candidate in the time window) or "low"
	// (the nearest of several candidates).
	Confidence string
	// Reason says how the two were matched, in a sentence.
	Reason string
	// Basis names the evidence that decided (one of the Basis* constants).
	Basis string
	// Inferred is set when the link is not observed in the evidence itself
	// (a parameter in the command line is observed; being the only request
	// in flight is inferred; an ambiguous link names no request at all).
	Inferred bool
	// Tunnel is the ssh client whose reverse forward (-R) the request came
	// in through, TunnelReason why (inferred; reqtunnel.go); nil when none.
	Tunnel       *parser.Process
	TunnelReason string
	// Candidates are the requests that fit equally when Basis is
	// BasisAmbiguous; Request is then nil: none is picked.
	Candidates []*parser.Event
	// Backdoor is the planted file the request came back through, and
	// BackdoorFinding the finding that planted it (reentry.go); "" when
	// none.
	Backdoor        string
	BackdoorFinding *detect.Finding
}

// requests returns the request the link names, or for an ambiguous link
// every candidate (whichever it was).
func (rl RequestLink) requests() []*parser.Event {
	if rl.Request != nil {
		return []*parser.Event{rl.Request}
	}
	return rl.Candidates
}

// Coverage says what the inputs could show: audit rules in force, sources
// present, and signs of tampering with the evidence.
type Coverage struct {
	RulesSource string   // "log" (CONFIG_CHANGE records), "file" (--audit-rules) or "" (unknown)
	Syscalls    []string // audited syscalls, sorted
	Watches     []string // watched paths, sorted
	AccessLog   bool     // an HTTP access log is among the inputs
	Tampering   []string // human-readable signs: rules removed, auditing disabled, gaps
	// RuleKeys are the keys (-k) of the rules in force, sorted.
	RuleKeys []string
	// Rules is the number of rules in force (add_rule records or rule lines).
	Rules int
	// Notes say how Syscalls and Watches were inferred and what could not
	// be known (auditd logs carry a rule's key and list, not its text).
	Notes []string
	// Servers are the web and application servers recognised, and how.
	Servers []ServerInfo
	// Clock are clock corrections the analyst must make (a web server's
	// clock off the audit clock), for the CLI to warn about; each is also
	// in Notes, after "clock: ".
	Clock []string
}
