package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// SchemaVersion is the value of Document.Schema. A field of the contract is
// never renamed or removed without a new version; fields may be added.
const SchemaVersion = "auditchain.report/v1"

// Document is the JSON report, the wire contract auditchain.report/v1
// (DESIGN.md). It is built from a Case by NewDocument only, and it holds no
// internal types: parser.Event and detect.Finding are never marshalled.
//
// Slices are sorted and never hold map-ordered data, so the same Case gives
// the same bytes. Times are UTC (RFC3339Nano on the wire); zero times are
// omitted. Strings that are not valid UTF-8 are kept losslessly: the text
// field holds U+FFFD for the bad bytes and a *_hex field beside it the
// original bytes in hex.
type Document struct {
	Schema        string          `json:"schema"`
	Tool          DocTool         `json:"tool"`
	Case          *DocCase        `json:"case,omitempty"`
	GeneratedAt   time.Time       `json:"generated_at,omitzero"` // omitted with Options.Reproducible
	CommandLine   []string        `json:"command_line"`
	Inputs        []DocInput      `json:"inputs"`
	SkippedInputs []DocSkipped    `json:"skipped_inputs,omitempty"`
	Hosts         []string        `json:"hosts"`
	FirstTime     time.Time       `json:"first_time,omitzero"` // of the inputs' records
	LastTime      time.Time       `json:"last_time,omitzero"`
	Filter        *DocFilter      `json:"filter,omitempty"` // the window and filters applied
	Coverage      DocCoverage     `json:"coverage"`
	Findings      []DocFinding    `json:"findings"`
	Chains        []DocChain      `json:"chains"`
	IOCs          []DocIOC        `json:"iocs"`
	Stats         DocStats        `json:"stats"`
	RuleSet       *DocRuleSet     `json:"rule_set,omitempty"`    // ruleset.go
	Allowlisted   *DocAllowlisted `json:"allowlisted,omitempty"` // allowed.go
	Routine       []DocRoutine    `json:"routine,omitempty"`     // routine.go: demoted, never deleted
	// Summary is what happened and what to clean up, made from the rest of
	// the Document (summary.go); every writer shows it first.
	Summary *DocSummary `json:"summary,omitempty"`
	// Logins are the remote login sessions (logins.go); LoginsDropped
	// counts those past MaxLogins. The merge fields are set by
	// `auditchain merge` only (merge.go).
	Logins        []DocLogin        `json:"logins,omitempty"`
	LoginsDropped int               `json:"logins_dropped,omitempty"`
	Merged        []DocMerged       `json:"merged,omitempty"`
	HostCoverage  []DocHostCoverage `json:"host_coverage,omitempty"`
	CrossHost     []DocCrossLink    `json:"cross_host,omitempty"`
}

// DocTool names the program, its version and the rule set in force.
type DocTool struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	RulesVersion string `json:"rules_version"`
	BinarySHA256 string `json:"binary_sha256,omitempty"`
}

// DocCase is the case header given on the command line.
type DocCase struct {
	Name     string `json:"name,omitempty"`
	Examiner string `json:"examiner,omitempty"`
}

// DocInput is one evidence file and what reading it found.
type DocInput struct {
	Path        string      `json:"path"`
	PathHex     string      `json:"path_hex,omitempty"`
	SHA256      string      `json:"sha256"`
	Bytes       int64       `json:"bytes"`
	Format      string      `json:"format"`
	Compression string      `json:"compression,omitempty"`
	Records     int         `json:"records"`
	Malformed   int         `json:"malformed"`
	Duplicates  int         `json:"duplicates,omitempty"`
	FirstTime   time.Time   `json:"first_time,omitzero"`
	LastTime    time.Time   `json:"last_time,omitzero"`
	Errors      []DocRecErr `json:"errors,omitempty"` // the first malformed records
	// OutOfOrder counts the places where the records go back in time;
	// Reordered says they were read in time order all the same.
	OutOfOrder int    `json:"out_of_order,omitempty"`
	Reordered  bool   `json:"reordered,omitempty"`
	OrderNote  string `json:"order_note,omitempty"`
}

// DocRecErr is one skipped (malformed) record, by position.
type DocRecErr struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// DocSkipped is an input that was given but could not be used.
type DocSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// WatchesText is the coverage's watches as said to a reader: the list,
// "(none)" when the rules are known and hold none, or what the log cannot
// say — auditd's add_rule record names a rule's key and list, never its
// paths, so a log alone shows no watch even where one was set (the
// notes say what the keys suggest).
func (c DocCoverage) WatchesText() string {
	switch {
	case len(c.Watches) > 0:
		return strings.Join(c.Watches, ", ")
	case c.RulesSource == "log":
		return "not shown by the log (auditd records a rule's key and list, not its paths; see the notes for what the keys suggest)"
	case c.RulesSource == "":
		return "unknown"
	}
	return "(none)"
}

// DocCoverage says what the inputs could show, and signs of tampering.
type DocCoverage struct {
	RulesSource string      `json:"rules_source,omitempty"` // log, file or empty (unknown)
	Syscalls    []string    `json:"syscalls"`
	Watches     []string    `json:"watches"`
	AccessLog   bool        `json:"access_log"`
	Tampering   []string    `json:"tampering"`
	RuleKeys    []string    `json:"rule_keys"`         // keys (-k) of the rules in force
	Rules       int         `json:"rules"`             // number of rules in force
	Notes       []string    `json:"notes,omitempty"`   // how coverage was inferred, what could not be known
	Servers     []DocServer `json:"servers,omitempty"` // web/application servers recognised, and how
}

// DocFinding is one rule match on one event.
type DocFinding struct {
	ID     string `json:"id"`      // F0001 … in report order
	RuleID string `json:"rule_id"` // the primary rule: title, severity and stage are its
	// RuleIDs are every rule that matched the act, primary first: several
	// rules on one event make one finding (one per act).
	RuleIDs  []string  `json:"rule_ids"`
	Title    string    `json:"title"`
	Severity string    `json:"severity"`
	Stage    int       `json:"stage"`    // 1–8, 0 for none (tampering)
	StageID  string    `json:"stage_id"` // "" for none
	Attack   []string  `json:"attack"`
	Time     time.Time `json:"time"`
	Host     string    `json:"host"`
	Reason   string    `json:"reason,omitempty"`
	// Description is the rule's own account of what it catches: why the
	// act is suspicious (Reason says why it sits in its stage).
	Description string `json:"description,omitempty"`
	// ChainLink says why the finding belongs to its chain: the link that
	// joined its process (or a parent of it) to the chain.
	ChainLink string `json:"chain_link,omitempty"`
	// File and Peer are the event's target: the path written, renamed
	// into place, chmod-ed or deleted, and the address connected to.
	File    string `json:"file,omitempty"`
	FileHex string `json:"file_hex,omitempty"`
	Peer    string `json:"peer,omitempty"`
	// PeerService names the process of the host that answered the
	// connect ("redis-server[31130]", inferred by address and time): the
	// peer is the victim's own service, not one to block.
	PeerService string `json:"peer_service,omitempty"`
	// ChannelPeer is, for a command run inside a channel (stage 7, no
	// peer of its own), the peer of the channel's connect: where the
	// commands came from.
	ChannelPeer string `json:"channel_peer,omitempty"`
	// FileExisted: the event changed File, which was there before it (an
	// append, an overwrite, a rename over it; by its PATH records): the
	// victim's own file, to restore, not one to delete.
	FileExisted bool `json:"file_existed,omitempty"`
	// Hook is, for a planted-file-run inferred from an interpreter's
	// first child, the start-up hook the interpreter read (no exec names
	// it: detect/startuphook.go): the act is the hook firing, inferred.
	Hook      string `json:"hook,omitempty"`
	Source    string `json:"source,omitempty"`
	Tampering bool   `json:"tampering,omitempty"`
	ChainID   string `json:"chain_id,omitempty"`
	Kind      string `json:"kind"`    // the event's kind: exec, connect, file-write …
	Summary   string `json:"summary"` // what the event did, one line; "attempted …" when it failed
	// Outcome is whether the act took effect: success, failure (an attempt:
	// the syscall failed) or unknown (no syscall result); OutcomeReason
	// says why when it is not success, e.g. "EACCES (permission denied)".
	Outcome       string        `json:"outcome"`
	OutcomeReason string        `json:"outcome_reason,omitempty"`
	Process       *DocProcess   `json:"process,omitempty"`
	Evidence      []DocEvidence `json:"evidence"`
	Origin        string        `json:"origin,omitempty"` // merge: "HOST F0051 of REPORT"
}

// DocProcess is the acting process of a finding at the time of its event.
type DocProcess struct {
	PID         int      `json:"pid"`
	PPID        int      `json:"ppid"`
	Exe         string   `json:"exe"`
	ExeHex      string   `json:"exe_hex,omitempty"`
	Args        []string `json:"args"`
	ArgsHex     []string `json:"args_hex,omitempty"`
	Cwd         string   `json:"cwd"`
	CwdHex      string   `json:"cwd_hex,omitempty"`
	User        string   `json:"user"`
	UID         uint32   `json:"uid"`
	AUID        uint32   `json:"auid"`
	SES         uint32   `json:"ses"`
	ContainerID string   `json:"container_id"`
	// ContainerName is the container's name as the runtime logs give it
	// (docker events, config.v2.json, CRI paths), when known.
	ContainerName string        `json:"container_name,omitempty"`
	Ancestors     []DocAncestor `json:"ancestors"` // nearest first
	// AncestorsTruncated is true when the chain of parents ends at a process
	// whose own parent the logs never showed.
	AncestorsTruncated bool `json:"ancestors_truncated,omitempty"`
	// Inferred is true when the process is not read from its own records
	// (see inferredProcess); Reason says why. The acting process of a
	// finding is observed: its event is the evidence.
	Inferred bool   `json:"inferred"`
	Reason   string `json:"reason,omitempty"`
}

// DocAncestor is one parent of a finding's process.
type DocAncestor struct {
	PID     int      `json:"pid"`
	Exe     string   `json:"exe"`
	ExeHex  string   `json:"exe_hex,omitempty"`
	Args    []string `json:"args"`
	ArgsHex []string `json:"args_hex,omitempty"`
	// Inferred is true for an ancestor the logs never show (known only as
	// a ppid) or placed by a guess (a daemon's background fork); Reason
	// says which and why.
	Inferred bool   `json:"inferred"`
	Reason   string `json:"reason,omitempty"`
}

// DocEvidence is one source event behind a finding: where it starts and its
// records exactly as they stand in the file.
type DocEvidence struct {
	File    string    `json:"file"`
	Line    int       `json:"line"`   // the event's first record's line
	Serial  uint64    `json:"serial"` // the audit serial, 0 for other sources
	Raw     string    `json:"raw"`    // the event's records joined by "\n"
	RawHex  string    `json:"raw_hex,omitempty"`
	Offset  int64     `json:"offset,omitempty"` // byte offset of the line in the decompressed stream
	Role    string    `json:"role"`             // "event" (the matched event) or "related"
	Time    time.Time `json:"time,omitzero"`
	Kind    string    `json:"kind,omitempty"`
	Summary string    `json:"summary,omitempty"`
	PID     int       `json:"pid,omitempty"`
}

// DocChain is one intrusion laid on the eight stages.
type DocChain struct {
	ID          string        `json:"id"` // C01 … worst first
	Host        string        `json:"host"`
	ContainerID string        `json:"container_id"`
	Container   *DocContainer `json:"container,omitempty"`
	Score       int           `json:"score"`
	Severity    string        `json:"severity"`
	FirstSeen   time.Time     `json:"first_seen,omitzero"`
	LastSeen    time.Time     `json:"last_seen,omitzero"`
	Stages      []DocStage    `json:"stages"` // always all 8, in order
	FindingIDs  []string      `json:"finding_ids"`
	Hosts       []string      `json:"hosts"` // every host the chain reached
	Links       []string      `json:"links"`
	// Requests tie access-log requests to what they caused (the shell a
	// request to the web shell spawned, the file an upload wrote).
	Requests []DocRequest `json:"requests"`
	// Tree is the process tree around the chain in depth-first order: the
	// chain's processes, their ancestors and what the chain's roots spawned.
	Tree          []DocNode `json:"tree"`
	TreeTruncated bool      `json:"tree_truncated,omitempty"`
	Origin        string    `json:"origin,omitempty"` // merge: "HOST C03 of REPORT"
}

// DocContainer describes the chain's container beyond its id.
type DocContainer struct {
	Name      string `json:"name,omitempty"`
	Image     string `json:"image,omitempty"`
	Pod       string `json:"pod,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Runtime   string `json:"runtime,omitempty"`
}

// DocStage is one of a chain's eight stage slots.
type DocStage struct {
	Stage      int       `json:"stage"`
	StageID    string    `json:"stage_id"`
	Name       string    `json:"name"`
	Observed   bool      `json:"observed"`
	Visibility string    `json:"visibility"` // observed | not-observed | not-visible
	Confidence string    `json:"confidence"` // observed | inferred | ""
	Reason     string    `json:"reason"`
	FirstSeen  time.Time `json:"first_seen,omitzero"`
	LastSeen   time.Time `json:"last_seen,omitzero"`
	FindingIDs []string  `json:"finding_ids"`
	// Requests are access-log requests that are evidence of the stage on
	// their own (recon, the exploit, the upload POST); they have no finding.
	Requests []DocRequest `json:"requests"`
}

// DocRequest is one access-log request, and for a chain's requests what it
// caused.
type DocRequest struct {
	Time      time.Time    `json:"time"`
	Client    string       `json:"client"`
	Method    string       `json:"method"`
	URL       string       `json:"url"` // path and query as logged
	URLHex    string       `json:"url_hex,omitempty"`
	Status    int          `json:"status"`
	VHost     string       `json:"vhost,omitempty"`
	UserAgent string       `json:"user_agent,omitempty"`
	Evidence  *DocEvidence `json:"evidence,omitempty"`
	// What the request caused (chain requests only).
	PID        int      `json:"pid,omitempty"` // the process spawned (or, for an upload, the writer)
	Exe        string   `json:"exe,omitempty"`
	ExeHex     string   `json:"exe_hex,omitempty"`
	Args       []string `json:"args,omitempty"`
	ArgsHex    []string `json:"args_hex,omitempty"`
	WorkerPID  int      `json:"worker_pid,omitempty"` // the web-server process that served it
	File       string   `json:"file,omitempty"`       // the file an upload created
	FileHex    string   `json:"file_hex,omitempty"`
	Confidence string   `json:"confidence,omitempty"` // high, medium or low
	Reason     string   `json:"reason,omitempty"`
	// LinkBasis names the evidence that tied the request to what it
	// caused (timeline.Basis*); Inferred is set unless that evidence is in
	// the records themselves (a request parameter in the command line).
	LinkBasis string `json:"link_basis,omitempty"`
	Inferred  bool   `json:"inferred,omitempty"`
	// Candidates, for link_basis "ambiguous": the requests that fit
	// equally. The entry then names no request of its own (method and url
	// are empty, time is the process's start).
	Candidates []DocRequest `json:"candidates,omitempty"`
	// Backdoor is the planted file (a .user.ini, .htaccess, or a changed
	// page) the request came back through: a re-entry (the reason says
	// why).
	Backdoor string `json:"backdoor,omitempty"`
}

// DocNode is one process of a chain's tree. Depth is relative to the tree's
// roots (0); the list is in depth-first order, so the parent of a node is the
// nearest earlier node one level up.
type DocNode struct {
	Depth       int       `json:"depth"`
	PID         int       `json:"pid"`
	PPID        int       `json:"ppid"`
	Name        string    `json:"name"`
	Exe         string    `json:"exe"`
	ExeHex      string    `json:"exe_hex,omitempty"`
	Args        []string  `json:"args"`
	ArgsHex     []string  `json:"args_hex,omitempty"`
	User        string    `json:"user"`
	UID         uint32    `json:"uid"`
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastSeen    time.Time `json:"last_seen,omitzero"`
	Exited      bool      `json:"exited,omitempty"`
	Placeholder bool      `json:"placeholder,omitempty"` // known only as a ppid
	Inferred    bool      `json:"inferred"`              // not read from its own records: Reason says why
	Reason      string    `json:"reason,omitempty"`
	InChain     bool      `json:"in_chain"`   // false for context (ancestors)
	Suspicious  bool      `json:"suspicious"` // a finding's acting process
	FindingIDs  []string  `json:"finding_ids"`
	// HiddenChildren counts children left out because they are not part of
	// the chain (a web server's other workers).
	HiddenChildren int `json:"hidden_children,omitempty"`
}

// DocIOC is one indicator of compromise drawn from the findings' events.
type DocIOC struct {
	Type       string    `json:"type"` // address, file, user, url, hash
	Value      string    `json:"value"`
	ValueHex   string    `json:"value_hex,omitempty"`
	FirstSeen  time.Time `json:"first_seen,omitzero"`
	LastSeen   time.Time `json:"last_seen,omitzero"`
	FindingIDs []string  `json:"finding_ids"`
	// Inferred: the value is in no finding's own record, only in records
	// tied to findings (a connect beside an exec, a request linked to a
	// process); Reason says which. An IOC in a finding's own record is
	// observed.
	Inferred bool   `json:"inferred,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// DocStats are the counts of the run.
type DocStats struct {
	Events    int `json:"events"`
	Records   int `json:"records"`
	Processes int `json:"processes"`
	Malformed int `json:"malformed"`
	// FailedAttempts counts the findings whose act failed (outcome
	// failure); they are findings too, counted apart so the summary can say
	// how many acts were only attempted.
	FailedAttempts int   `json:"failed_attempts"`
	DurationMS     int64 `json:"duration_ms,omitempty"` // omitted with Options.Reproducible
}

// ReadDocument decodes a JSON report, for `auditchain diff`. It rejects a
// document of another schema version with an error that says which one it
// is, and unknown fields are ignored so that a newer v1 still reads.
func ReadDocument(r io.Reader) (*Document, error) {
	var d Document
	dec := json.NewDecoder(r)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("read report: %w (is it `auditchain scan --format json` output?)", err)
	}
	if d.Schema != SchemaVersion {
		return nil, fmt.Errorf("read report: schema %q, want %q", d.Schema, SchemaVersion)
	}
	return &d, nil
}
