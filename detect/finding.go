package detect

import (
	"time"

	"github.com/auditchain/auditchain/parser"
)

// Finding is one act: the rule matches on one event (one target of one
// process for repeated file and network events), merged.
type Finding struct {
	// RuleID is the primary rule: the one whose title, severity and stage
	// the finding takes (acts.go says how it is chosen).
	RuleID string
	// RuleIDs are every rule that matched the act, primary first.
	RuleIDs []string
	Title   string
	// Why says why this match is suspicious when what matched differs
	// from the rule's description (meaning.go); "" means the description.
	Why      string
	Severity Severity
	Attack   []string // ATT&CK technique ids, e.g. T1059.004
	Stage    Stage    // decided per match by the placement rules (DESIGN.md)
	Reason   string   // why this stage and severity, in a sentence
	Time     time.Time
	Host     string
	Event    *parser.Event
	Process  *parser.Process // the acting process (Event.Proc), nil for non-process events
	// Ancestors are Process's ancestors when the rule matched, nearest
	// first; AncestorsTruncated says the chain ends at an unknown parent.
	Ancestors          []*parser.Process
	AncestorsTruncated bool
	// Related are further events that support the finding (the connect of
	// a reverse shell next to its exec).
	Related []*parser.Event
	// Actor is, for a finding on a file or network act, the exec record
	// of the image that did it (the rm behind a delete, the tar behind a
	// read of /etc/shadow), read back from the input after the scan
	// (parser.ReadBack; cmd sets it); nil when its exec is not in the
	// logs or could not be read again. Evidence, not a link: nothing
	// derives IOCs or chains from it.
	Actor *parser.Event
	// PeerService names, for a connect, the process of the host that
	// answered it ("redis-server[31130]"): the peer is the victim's own
	// service, not the intruder's (set by the timeline, inferred by
	// address and time: timeline/localservice.go); "" otherwise.
	PeerService string
	// Tampering marks findings about the evidence itself (audit rules
	// deleted, auditing disabled, logs wiped); reports show them first.
	Tampering bool
	// Source is "rule" for our own and user Sigma rules, or the sensor that
	// raised an alert ("falco").
	Source string
	// NeedsCorroboration marks an act that shows staging alone — fetching
	// or unpacking files, which installs and updates do as well — and runs
	// nothing it fetched: by itself it is not evidence of intent. The
	// timeline keeps it below high unless its chain shows intent
	// (timeline/corroborate.go). The rule's meaning block grades its
	// selections (meaning.go, intent:).
	NeedsCorroboration bool
	// Shows is what such an act shows alone (ShowsStaging or
	// ShowsDiscovery), for the sentence that says why it was kept lower.
	Shows Shows
	// Refused says, for a program that asks the system for another
	// identity (sudo, su), that the system refused it: the user-space
	// record that followed the exec (USER_CMD, USER_AUTH, USER_ERR with
	// res=failed). The exec took place; the act it asked for did not.
	// Set by the timeline (timeline/refused.go); "" otherwise.
	Refused string
	// FiredHook is, for a planted-file-run finding inferred from an
	// interpreter's first child (startuphook.go), the start-up hook it
	// read: no exec names it, so the timeline links the write to the
	// firing by this name. "" otherwise.
	FiredHook string
	// TriedScript is, for a marker echo placed as a web shell tried
	// (landing.go), the script that landed in the served tree just before
	// it: nothing but the order ties them, so the timeline links the
	// script's writer to the echo by this name, inferred. "" otherwise.
	TriedScript string
	// TriedAt is when that script landed (the write the rule flagged; a
	// later touch of the file is not its writer).
	TriedAt time.Time
	// decoded says, when the rule matched only text the command decodes
	// into a file (engine.go, contentOnly), what that content would be run;
	// beside a rule that matched what the act runs, such a finding does
	// not lead the act's finding, and this is said in its reason
	decoded string
}

// Shows is what an act that needs corroboration shows by itself.
type Shows string

const (
	// ShowsStaging: fetching or unpacking files, or naming temporary
	// ones, as installs, updates and applications do.
	ShowsStaging Shows = "staging"
	// ShowsDiscovery: asking who and where the process runs (id, uname
	// -a, hostname), as status and diagnostics pages do on every view.
	ShowsDiscovery Shows = "discovery"
	// ShowsWritten: a script written where the site serves it, as
	// installers, plugin managers and settings pages do. A web shell is
	// one once it is served and runs commands, which its chain then shows.
	ShowsWritten Shows = "written"
	// ShowsTransfer: files sent to a destination (an upload, a copy over
	// ssh), as integrations, publishing and off-site backups do; with
	// evidence of an intrusion in its chain it is exfiltration.
	ShowsTransfer Shows = "transfer"
	// ShowsCollection: files packed into an archive in a temporary folder
	// by a program the server started itself (no shell), as an
	// application's exports do; with evidence of an intrusion in its
	// chain it is data staged to leave.
	ShowsCollection Shows = "collection"
	// ShowsSchedule: the account's crontab installed by the web server's
	// own code with no shell (crontab - from an argument list, the table
	// on its standard input, which the log does not show), as an
	// application's scheduling page does; with evidence of an intrusion
	// in its chain it is persistence.
	ShowsSchedule Shows = "schedule"
	// ShowsShippedSchedule: the account's crontab installed by the web
	// server's shell from a file of the site's served tree that no record
	// shows written during the log, as a release endpoint installing the
	// release's table does; with evidence of an intrusion in its chain it
	// is persistence.
	ShowsShippedSchedule Shows = "shipped-schedule"
)
